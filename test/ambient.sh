#!/bin/bash
# ambient.sh: the server's own AWS identity (a user mapping without keys),
# one pg_regress file per environment: the server is restarted with each
# scenario's AWS_* variables, and each file checks the query's result, which
# identity signed the calls (the emulator's request log) and the source that
# EXPLAIN ANALYZE names.  Expects the extension to be installed.
#
#   env           keys, shared files, web identity, ECS and IMDS all set: the keys win
#   shared_default  shared files with a default profile, web identity, ECS, IMDS:
#                 the default profile wins
#   shared_profile  the same with AWS_PROFILE naming a credential_process profile;
#                 then profiles whose role is assumed with the container's, the
#                 instance's or a web identity's credentials
#   web_identity  web identity, ECS and IMDS: AssumeRoleWithWebIdentity, once
#   container     ECS (FULL_URI, token file) and IMDS: the container's keys
#   instance      IMDS only: IMDSv2 token, role name, credentials
#   proxy         http_proxy at a closed port: Bedrock calls go to it and fail,
#                 instance metadata never does
#   proxy_bypassed  the same with no_proxy naming the emulator: all works
#   none          IMDS at a closed port: a clear ERROR, at once
#   container_bad FULL_URI http to a host that is not loopback (127.0.0.1:80@example.com): an ERROR
#
# AMBIENT_TESTS="env none" runs some of them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

start_env --max-page-size 5
trap stop_env EXIT

# token files, readable by the server only
TOKENS="$WORK/tokens"
mkdir -p "$TOKENS"
printf '%s\n' 'emulator-web-identity-token.EXAMPLE' >"$TOKENS/web-identity"
printf '%s\n' 'emulator-ecs-auth-token' >"$TOKENS/ecs-auth"
chmod 700 "$TOKENS"
chmod 600 "$TOKENS"/*
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$TOKENS"

# shared files of the server's OS user: a default profile with keys, and a
# profile named by AWS_PROFILE that runs a credential_process
SHARED="$WORK/ambient-aws"
mkdir -p "$SHARED"
printf '[default]\naws_access_key_id = AKIDEMULATOREXAMPLE1\naws_secret_access_key = %s\n' \
    'emulator/Secret+Key/EXAMPLE1234567890abcdef' >"$SHARED/credentials"
printf '[profile ambient]\ncredential_process = python3 %s --port %s mint\n' \
    "$EMUCTL" "$EMU_PORT" >"$SHARED/config"
# roles whose base is another source of the chain (named by a user mapping)
cat >>"$SHARED/config" <<EOF
[profile via_container]
role_arn = arn:aws:iam::123456789012:role/bedrock-local
credential_source = EcsContainer
[profile via_instance]
role_arn = arn:aws:iam::123456789012:role/bedrock-local
credential_source = Ec2InstanceMetadata
[profile via_web_identity]
role_arn = arn:aws:iam::123456789012:role/bedrock-web-identity
web_identity_token_file = $TOKENS/web-identity
role_session_name = ambient-profile
EOF
chmod 700 "$SHARED"
chmod 600 "$SHARED"/*
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$SHARED"
shared="AWS_SHARED_CREDENTIALS_FILE=$SHARED/credentials AWS_CONFIG_FILE=$SHARED/config"

keys="AWS_ACCESS_KEY_ID=AKIDEMULATOREXAMPLE1 AWS_SECRET_ACCESS_KEY=emulator/Secret+Key/EXAMPLE1234567890abcdef"
web="AWS_WEB_IDENTITY_TOKEN_FILE=$TOKENS/web-identity AWS_ROLE_ARN=arn:aws:iam::123456789012:role/bedrock-web-identity AWS_ROLE_SESSION_NAME=ambient-regress"
# the token file wins over the variable (which would be refused: 403)
ecs="AWS_CONTAINER_CREDENTIALS_FULL_URI=$EMU_URL/v2/credentials/ambient-task AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$TOKENS/ecs-auth AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong-token"
imds="AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=$EMU_URL"

scenario_env() {
    case "$1" in
        env)           echo "$keys $shared $web $ecs $imds" ;;
        shared_default) echo "$shared $web $ecs $imds" ;;
        shared_profile) echo "$shared AWS_PROFILE=ambient $web $ecs $imds" ;;
        web_identity)  echo "$web $ecs $imds" ;;
        container)     echo "$ecs $imds" ;;
        instance)      echo "$imds" ;;
        proxy)         echo "http_proxy=http://127.0.0.1:9 $imds" ;;
        proxy_bypassed) echo "http_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1 $imds" ;;
        none)          echo "AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9" ;;
        container_bad) echo "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:80@example.com/creds AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$TOKENS/ecs-auth $imds" ;;
        *) echo "ambient: unknown scenario $1" >&2; return 1 ;;
    esac
}

tests="${AMBIENT_TESTS:-env shared_default shared_profile web_identity container instance proxy proxy_bypassed none container_bad}"

status=0
failed=()
for t in $tests; do
    penv="$(scenario_env "$t")"
    stop_pg
    BEDROCK_PG_ENV="$penv" start_pg
    out="$WORK/out/$t"
    rc=0
    run_regress "$out" "ambient_$t" || rc=$?
    if [ $rc -ne 0 ]; then
        status=1
        failed+=("$t")
        [ -f "$out/regression.diffs" ] && cat "$out/regression.diffs"
    fi
done
if [ $status -ne 0 ]; then
    echo "ambient: failed: ${failed[*]}"
    echo "--- server log (tail) ---"; tail -50 "$WORK/postgres.log"
fi

check_log_and_outputs ambient "$WORK"/out/*/results/*.out || status=1
# these tests' SQL holds no secret at all: none may show in their output
if grep -F -f "$WORK/issued-secrets" "$WORK"/out/*/results/*.out; then
    echo "ambient: a secret appears in a test's output"
    status=1
fi
exit $status
