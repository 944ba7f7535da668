#!/bin/bash
# package.sh: the Debian package.  dpkg-buildpackage -us -uc builds
# postgresql-15-bedrock-fdw with pg_buildext (running make installcheck
# against the built tree), and autopkgtest installs the .deb and runs its
# debian/tests (make installcheck against the installed package).  Works in
# a copy of the tracked files, so nothing lands beside the checkout.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"

need=()
for p in debhelper dpkg-dev postgresql-all postgresql-server-dev-all autopkgtest; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${need[@]}" >/dev/null || { echo "package: could not install ${need[*]}"; exit 1; }
fi

outer="$(mktemp -d)"
# the server reads the staged extension files there (Debian's extension_destdir:
# ALTER EXTENSION UPDATE lists that directory), as postgres
chmod 755 "$outer"
trap 'rm -rf "$outer"' EXIT
src="$outer/bedrock-fdw"
mkdir "$src"
(cd "$REPO" && git ls-files -z 2>/dev/null | xargs -0 -I{} cp --parents {} "$src/") ||
    tar -C "$REPO" --exclude=.git -cf - . | tar -C "$src" -xf -
[ -d "$src/debian" ] || cp -R "$REPO/debian" "$src/"

status=0
if (cd "$src" && dpkg-buildpackage -us -uc) >"$outer/build.log" 2>&1; then
    echo "ok - dpkg-buildpackage -us -uc: $(cd "$outer" && ls ./*.deb | grep -v dbgsym | xargs -n1 basename)"
else
    tail -30 "$outer/build.log"
    [ -n "${KEEP_PACKAGE_LOG:-}" ] && cp "$outer/build.log" "$KEEP_PACKAGE_LOG"
    echo "not ok - dpkg-buildpackage -us -uc"
    exit 1
fi
deb="$(ls "$outer"/postgresql-*-bedrock-fdw_*.deb | head -1)"
if autopkgtest --no-built-binaries "$deb" "$src/" -- null >"$outer/autopkgtest.log" 2>&1; then
    grep -E "^installcheck +PASS" "$outer/autopkgtest.log" | tail -1
    echo "ok - the package installs and passes its autopkgtest"
else
    tail -40 "$outer/autopkgtest.log"
    echo "not ok - autopkgtest"
    status=1
fi
exit $status
