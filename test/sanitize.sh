#!/bin/bash
# sanitize.sh: the extension under AddressSanitizer and UndefinedBehaviorSanitizer,
# and the standalone C tests under valgrind.
#
#   test/sanitize.sh [regress|valgrind]...     default: both
#
# regress   builds a copy of the tree with -fsanitize=address,undefined in a
#           scratch directory (the repository's objects are left alone),
#           installs it, and runs test/regress.sh with the server started under
#           LD_PRELOAD of gcc's ASan runtime.  Leak detection is off: the
#           backend's own allocations would be reported.  Fails on a failing
#           test or any ASan or UBSan report in the server log.  Afterwards
#           (after a failure too) the repository's normal build is installed
#           again.
# valgrind  builds the SigV4, timestamp and JSON test programs and runs them
#           under valgrind; any memory error or definite/indirect leak fails.
#
# Each part prints how long it took.  Run as root, like make test.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SUITE_DIR="${SUITE_DIR:-$REPO/../shared/aws/sigv4-testsuite}"
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(regress valgrind)

SCRATCH="$(mktemp -d /tmp/bedrock_sanitize.XXXXXX)"
chmod 755 "$SCRATCH"            # the server, running as postgres, preloads from here
sanitized_installed=""
cleanup() {
    if [ -n "$sanitized_installed" ]; then
        make -s -C "$REPO" install >/dev/null ||
            echo "sanitize: reinstalling the normal build failed"
    fi
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
failed=0

run_regress() {
    local san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
    local asan_rt status=0
    asan_rt="$(gcc -print-file-name=libasan.so)"
    if [ ! -e "$asan_rt" ]; then
        echo "sanitize: no ASan runtime (gcc -print-file-name=libasan.so)"
        return 1
    fi
    asan_rt="$(readlink -f "$asan_rt")"

    # ASan preloaded into an uninstrumented program starts at the first
    # malloc, which in postgres comes from libgpg-error's constructor, inside
    # bindtextdomain() holding glibc's gettext lock.  Starting, ASan looks up
    # swift_demangle; the failed lookup makes dlerror() call gettext, which
    # takes and releases that same lock, and the next bindtextdomain() hangs
    # for ever (pg_ctl start never returns).  Defining the symbol avoids the
    # failed lookup.
    printf '%s\n' '#include <stddef.h>' \
        'char *swift_demangle(const char *, size_t, char *, size_t *, unsigned);' \
        'char *swift_demangle(const char *n, size_t l, char *o, size_t *ol, unsigned f)' \
        '{ (void) n; (void) l; (void) o; (void) ol; (void) f; return NULL; }' \
        >"$SCRATCH/swift_demangle.c"
    gcc -shared -fPIC -o "$SCRATCH/swift_demangle.so" "$SCRATCH/swift_demangle.c" || return 1

    # a copy of the tree without build products, so nothing sanitized stays behind
    mkdir -p "$SCRATCH/src"
    tar -C "$REPO" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
        --exclude=node_modules --exclude=results -cf - . | tar -C "$SCRATCH/src" -xf -
    # with_llvm=no: no JIT bitcode, which clang would build without the sanitizers
    if ! make -s -C "$SCRATCH/src" with_llvm=no PG_CFLAGS="$san -Werror" \
            PG_LDFLAGS="-fsanitize=address,undefined" >"$SCRATCH/build.log" 2>&1; then
        cat "$SCRATCH/build.log"
        echo "sanitize: sanitized build failed"
        return 1
    fi
    if ! readelf -d "$SCRATCH/src/bedrock_fdw.so" | grep -q 'libasan'; then
        echo "sanitize: bedrock_fdw.so is not linked with ASan"
        return 1
    fi
    sanitized_installed=1
    make -s -C "$SCRATCH/src" with_llvm=no install >/dev/null || return 1

    # Sanitizer reports go to files of their own (log_path), so they are
    # found even if the server log is gone; the server log is read as well.
    local reports="$SCRATCH/reports" out="$SCRATCH/regress.out" work pattern
    mkdir -p "$reports"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$reports"
    BEDROCK_PG_ENV="LD_PRELOAD=$asan_rt:$SCRATCH/swift_demangle.so ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$reports/asan UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan" \
        KEEP_WORK=1 bash "$REPO/test/regress.sh" >"$out" 2>&1 || status=$?
    cat "$out"
    pattern='ERROR: AddressSanitizer|runtime error:|ASan runtime does not come first'
    if [ -n "$(ls -A "$reports")" ]; then
        echo "sanitize: sanitizer reports:"
        head -60 "$reports"/*
        status=1
    fi
    work="$(sed -n 's/^kept //p' "$out" | tail -1)"
    if [ -n "$work" ] && [ -f "$work/postgres.log" ]; then
        if grep -qE "$pattern" "$work/postgres.log"; then
            echo "sanitize: the server log shows a sanitizer report:"
            grep -E -A30 "$pattern" "$work/postgres.log" | head -60
            status=1
        fi
    fi
    if [ -n "$work" ] && [ -d "$work" ]; then
        if [ $status -ne 0 ]; then echo "sanitize: kept $work"; else rm -rf "$work"; fi
    fi

    # back to the normal build for whatever runs next
    make -s -C "$REPO" install >/dev/null || { echo "sanitize: reinstalling the normal build failed"; status=1; }
    sanitized_installed=""
    return $status
}

run_valgrind() {
    local cc cflags status=0 t
    command -v valgrind >/dev/null || { echo "sanitize: valgrind not found (apt-get install valgrind)"; return 1; }
    cc="$(pg_config --cc)"
    # the flags `make unittest` uses (PostgreSQL's CFLAGS)
    cflags="$(pg_config --cflags) -I$REPO/src $(pkg-config --cflags libcrypto)"
    # shellcheck disable=SC2086
    $cc $cflags -o "$SCRATCH/sigv4_test" "$REPO/test/sigv4_test.c" "$REPO/test/sigv4_request.c" \
        "$REPO/src/sigv4.c" -lcrypto &&
    $cc $cflags -o "$SCRATCH/awstime_test" "$REPO/test/awstime_test.c" "$REPO/src/awstime.c" &&
    $cc $cflags -o "$SCRATCH/json_test" "$REPO/test/json_test.c" "$REPO/src/json.c" ||
        { echo "sanitize: building the test programs failed"; return 1; }

    for t in "sigv4_test $SUITE_DIR" awstime_test json_test; do
        set -- $t
        if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
                --show-leak-kinds=definite,indirect --error-exitcode=1 \
                "$SCRATCH/$1" "${@:2}" >"$SCRATCH/$1.out" 2>"$SCRATCH/$1.valgrind"; then
            echo "valgrind $1: ok ($(tail -1 "$SCRATCH/$1.out"))"
        else
            echo "valgrind $1: FAILED"
            tail -5 "$SCRATCH/$1.out"
            cat "$SCRATCH/$1.valgrind"
            status=1
        fi
    done
    return $status
}

for part in "${parts[@]}"; do
    start=$SECONDS
    case "$part" in
        regress)  echo "=== pg_regress, extension built with ASan + UBSan"; run_regress ;;
        valgrind) echo "=== C test programs under valgrind"; run_valgrind ;;
        *) echo "usage: $0 [regress|valgrind]..."; exit 2 ;;
    esac
    rc=$?
    echo "--- $part: $([ $rc -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - start)) s"
    [ $rc -eq 0 ] || failed=1
done
exit $failed
