#!/bin/bash
# pgindent.sh: indent the C sources as PostgreSQL indents its own, with
# PostgreSQL's pgindent and pg_bsd_indent and its typedefs plus this
# project's.  No package ships them, so they come from the newest
# postgresql-NN source package in Debian's archive (sid), which is fetched
# once into a cache directory.
#
#   test/pgindent.sh          indent the tree in place
#   test/pgindent.sh --check  change nothing; list the files pgindent would
#                             change and exit 1 if there are any
#
# Needs curl, xz, bzip2, perl and a C compiler; PGXS headers for c.h.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${PGINDENT_CACHE:-/var/tmp/bedrock_fdw-pgindent}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mode="${1:-}"

mkdir -p "$CACHE"
if [ ! -x "$CACHE/pg_bsd_indent" ] || [ ! -f "$CACHE/pgindent" ]; then
    # the newest postgresql-NN in sid, and its upstream tarball
    curl -sSf "$MIRROR/dists/sid/main/source/Sources.xz" -o "$CACHE/Sources.xz"
    read -r pkg version tarball < <(xz -dc "$CACHE/Sources.xz" | awk '
        /^Package: postgresql-[0-9]+$/ { pkg = $2; ver = ""; next }
        pkg && /^Version:/ { ver = $2 }
        pkg && / postgresql-[0-9]+_[^ ]*\.orig\.tar\.bz2$/ { file = $NF; print pkg, ver, file; pkg = "" }
    ' | sort -V | tail -1)
    [ -n "${tarball:-}" ] || { echo "pgindent: no postgresql source package in sid" >&2; exit 1; }
    echo "pgindent: tools from $pkg $version"
    curl -sSf "$MIRROR/pool/main/p/$pkg/$tarball" -o "$CACHE/$tarball"
    top="postgresql-${version%-*}"      # the upstream version: 18.6-3 -> 18.6
    tar -C "$CACHE" -xjf "$CACHE/$tarball" "$top/src/tools/pgindent" "$top/src/tools/pg_bsd_indent"
    rm -f "$CACHE/$tarball"
    cp "$CACHE/$top/src/tools/pgindent/pgindent" "$CACHE/pgindent"
    cp "$CACHE/$top/src/tools/pgindent/typedefs.list" "$CACHE/typedefs.pg"
    (cd "$CACHE/$top/src/tools/pg_bsd_indent" &&
        ${CC:-cc} -O2 -I"$(pg_config --includedir-server)" -o "$CACHE/pg_bsd_indent" ./*.c \
            -L"$(pg_config --pkglibdir)" -L"$(pg_config --libdir)" -lpgport -lpgcommon)
fi

# PostgreSQL's typedefs, this project's, and those of the libraries it wraps
cd "$REPO"
{
    cat "$CACHE/typedefs.pg"
    grep -ohE '^\} *[A-Za-z_][A-Za-z0-9_]*;' src/*.h src/*.c bedrock_fdw.c | sed -E 's/^\} *//; s/;//'
    grep -ohE '^typedef [a-z]+ [A-Za-z_]+ [A-Za-z_]+;' src/*.h src/*.c | awk '{print $4}' | tr -d ';'
    printf '%s\n' CURL CURLM CURLcode CURLMcode CURLMsg xmlDocPtr xmlNodePtr Block Builder
} | sort -u >"$CACHE/typedefs.list"

files=(bedrock_fdw.c src/*.c src/*.h)
if [ "$mode" = "--check" ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    tar -cf - "${files[@]}" | tar -C "$work" -xf -
    (cd "$work" && perl "$CACHE/pgindent" --indent="$CACHE/pg_bsd_indent" \
        --typedefs="$CACHE/typedefs.list" "${files[@]}")
    changed=()
    for f in "${files[@]}"; do
        cmp -s "$f" "$work/$f" || changed+=("$f")
    done
    if [ ${#changed[@]} -gt 0 ]; then
        echo "pgindent: not indented: ${changed[*]} (run test/pgindent.sh)"
        exit 1
    fi
    echo "pgindent: ${#files[@]} files indented"
    exit 0
fi
perl "$CACHE/pgindent" --indent="$CACHE/pg_bsd_indent" --typedefs="$CACHE/typedefs.list" "${files[@]}"
