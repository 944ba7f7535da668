#!/bin/bash
# run_all.sh: the whole test suite (`make test`).  On a fresh Debian 12
# machine as root it installs what is missing, builds and installs the
# extension, then runs every suite and prints one closing count line.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"

bash test/deps.sh || { echo "deps: install failed"; exit 1; }

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
make -s clean >/dev/null
make -s PG_CFLAGS="-Werror" || { echo "build failed"; exit 1; }
$SUDO make -s install >/dev/null || { echo "install failed"; exit 1; }

passed=0
failed=0
failed_names=()
run_suite() {
    local name="$1"; shift
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failed_names+=("$name")
    fi
}

run_suite "unit tests (SigV4 vectors, timestamps, JSON, the catalog against the service model)" make -s unittest
run_suite "emulator self-test" python3 test/test_emulator.py
run_suite "docs/tables match the resource catalog" bash test/docs_test.sh
run_suite "pg_regress" bash test/regress.sh
run_suite "shared_preload_libraries: the detail cache in shared memory" bash test/preload.sh
run_suite "pages larger than a slice: the same rows and request counts every way" bash test/streaming.sh
run_suite "differential: pushdown against full scans (500 queries on bedrock_jobs, 100 on each other table)" bash test/differential.sh
run_suite "the demo and pg_regress from a checkout postgres cannot read" bash test/checkout.sh
run_suite "make installcheck against a running server, without ../shared" bash test/installcheck.sh
run_suite "ambient credentials (environment, web identity, ECS, IMDS)" bash test/ambient.sh
run_suite "no leaks after 1,000 failing queries" bash test/leaks.sh 1000
run_suite "cancel and terminate mid-request and mid-backoff" bash test/cancel.sh
run_suite "C tests under valgrind" bash test/sanitize.sh valgrind
run_suite "fuzzing (10 s per harness)" bash test/fuzz/run.sh 10
run_suite "pg_regress under ASan + UBSan" bash test/sanitize.sh regress
run_suite "AWS SDK conformance" bash test/sdk/run.sh
run_suite "Debian package: dpkg-buildpackage and its autopkgtest" bash test/package.sh

echo
[ $failed -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
