#!/bin/bash
# regress.sh: run the pg_regress suite (REGRESS in the Makefile) against a
# throwaway cluster and the Bedrock emulator.  Expects the extension to be
# installed (make install).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

start_env --max-page-size 5
trap stop_env EXIT

tests="${REGRESS_TESTS:-$(sed -n 's/^REGRESS = //p' Makefile)}"

mkdir -p "$WORK/out"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/out"
status=0
as_pg env EMU_PORT="$EMU_PORT" EMU_URL="$EMU_URL" EMU_HTTPS_URL="$EMU_HTTPS_URL" \
    EMUCTL="$EMUCTL" REPO="$REPO" WORK="$WORK" TLS_DIR="$TLS_DIR" \
    PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER=postgres \
    "$(pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress" \
    --inputdir="$REPO" --outputdir="$WORK/out" --bindir="$PGBIN" \
    --host="$PGHOST" --port="$PGPORT" --user=postgres \
    --load-extension=bedrock_fdw $tests || status=$?

if [ $status -ne 0 ]; then
    [ -f "$WORK/out/regression.diffs" ] && cat "$WORK/out/regression.diffs"
    cp "$WORK/out/regression.diffs" "$REPO/regression.diffs" 2>/dev/null || true
    echo "--- server log (tail) ---"; tail -50 "$WORK/postgres.log"
fi
# the secrets the tests use, and every secret or token the emulator issued
# (STS, IMDS, ECS, credential_process), must never reach the server log or
# any message the tests saw
secrets='Secret\+Key/EXAMPLE|Temp\+Secret/EXAMPLE|emulator-session-token|not-the-secret-key|opt-secret|opt-token|user-secret|dead-secret|wrong-token|profile-secret|Signature=|Credential='
"$EMUCTL" secrets >"$WORK/issued-secrets"
if [ ! -s "$WORK/issued-secrets" ]; then
    echo "regress: could not list the emulator's secrets"
    status=1
fi
if grep -E "$secrets" "$WORK/postgres.log" || grep -F -f "$WORK/issued-secrets" "$WORK/postgres.log"; then
    echo "regress: a secret appears in the server log"
    status=1
fi
# the tests' own SQL holds the fixed secrets; what was issued must not show
grep -v -E "$secrets|emulator-web-identity-token|emulator-ecs-auth-token" \
    "$WORK/issued-secrets" >"$WORK/issued-only" || true
if [ -s "$WORK/issued-only" ] && grep -F -f "$WORK/issued-only" "$WORK"/out/results/*.out; then
    echo "regress: an issued secret appears in a test's output"
    status=1
fi
if grep -E "PANIC|server process .* was terminated|TRAP:" "$WORK/postgres.log"; then
    echo "regress: the server log shows a crash"
    status=1
fi
exit $status
