#!/usr/bin/env bash
# SDK conformance test: the local Bedrock emulator (test/emulator.py) against
# the official AWS SDK for JavaScript v3 (@aws-sdk/client-bedrock,
# @aws-sdk/client-sts and @aws-sdk/credential-providers, pinned in
# package-lock.json): conformance.test.mjs (the Bedrock API), then
# credentials.test.mjs (STS, IMDSv2, ECS, credential_process, expiry), then
# resources.test.mjs (the other Bedrock resources' List and Get operations), then
# accounts.test.mjs (Organizations ListAccounts and Account ListRegions through
# @aws-sdk/client-organizations and @aws-sdk/client-account, and each member
# account's jobs through AssumeRole), then tagging.test.mjs (the Resource Groups
# Tagging API's GetResources through @aws-sdk/client-resource-groups-tagging-api).
# Usable from any working directory:
#     test/sdk/run.sh [extra node --test arguments]
# Exits with the status of `node --test`.
set -euo pipefail

SDK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SDK_DIR/../.." && pwd)"
cd "$SDK_DIR"

command -v node >/dev/null || { echo "run.sh: node (>= 20.10) is required" >&2; exit 2; }
command -v npm >/dev/null || { echo "run.sh: npm is required" >&2; exit 2; }

# Install the pinned SDK when node_modules is missing or was installed from a
# different package-lock.json.
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.conformance-lock-sha256
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
    npm ci --no-audit --no-fund
    echo "$lock_sum" > "$stamp"
fi

# Keep the developer's AWS configuration out of the SDK under test.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY \
      AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION AWS_BEARER_TOKEN_BEDROCK \
      AWS_ENDPOINT_URL AWS_ENDPOINT_URL_BEDROCK AWS_MAX_ATTEMPTS AWS_RETRY_MODE \
      AWS_CA_BUNDLE AWS_USE_FIPS_ENDPOINT AWS_USE_DUALSTACK_ENDPOINT \
      HTTP_PROXY HTTPS_PROXY http_proxy https_proxy || true
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
# The pinned SDK warns that later releases will need Node >= 22; it runs on 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bedrock-sdk-conformance.XXXXXX")"
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
EMU_PID=""
cleanup() {
    if [ -n "$EMU_PID" ] && kill -0 "$EMU_PID" 2>/dev/null; then
        kill -TERM "$EMU_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$EMU_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$EMU_PID" 2>/dev/null || true
        wait "$EMU_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Start the emulator on a free port (it picks one and writes it to the file).
(cd "$ROOT" && exec python3 test/emulator.py --port 0 --port-file "$WORK/port" \
    --max-page-size 5 --fixtures default) >"$WORK/emulator.log" 2>&1 &
EMU_PID=$!
for _ in $(seq 200); do
    [ -s "$WORK/port" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || break
    sleep 0.05
done
if [ ! -s "$WORK/port" ]; then
    echo "run.sh: the emulator did not write its port file; its output:" >&2
    cat "$WORK/emulator.log" >&2
    exit 1
fi
PORT="$(tr -dc '0-9' < "$WORK/port")"
python3 "$ROOT/test/emuctl" --port "$PORT" wait

export EMULATOR_PORT="$PORT"
export EMULATOR_ENDPOINT="http://127.0.0.1:$PORT"
export EMULATOR_ROOT="$ROOT"

# One file at a time, in this order: each resets the emulator and reads its
# request log, and credentials.test.mjs expires the credentials it issued.
status=0
node --test --test-reporter=tap --test-concurrency=1 "$@" \
    conformance.test.mjs credentials.test.mjs resources.test.mjs accounts.test.mjs tagging.test.mjs \
    || status=$?
if [ "$status" -ne 0 ]; then
    kept="${TMPDIR:-/tmp}/bedrock-sdk-conformance-emulator.log"
    cp "$WORK/emulator.log" "$kept" 2>/dev/null && echo "run.sh: emulator output kept in $kept" >&2
fi
exit "$status"
