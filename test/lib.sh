#!/bin/bash
# lib.sh: start and stop a throwaway PostgreSQL cluster and the Bedrock
# emulator; sourced by the regression, demo and other test scripts.
#
# After start_env: PGHOST/PGPORT point at the cluster, EMU_PORT/EMU_URL at
# the emulator (EMU_HTTPS_URL at its https listener, whose CA is in TLS_DIR),
# EMUCTL at its control script, WORK at the scratch directory.
# Everything runs as the OS user "postgres" when started as root, because
# PostgreSQL refuses to run as root.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGBIN="$(pg_config --bindir)"

# as_pg CMD...: run as "postgres" (when root), from /, since the checkout may
# sit in a directory "postgres" cannot enter (root's home, a mktemp -d)
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- env PATH="$PATH" "$@")
    else
        "$@"
    fi
}

# stage_tree: copy what postgres-run tools read (pg_regress's sql/ and
# expected/, the files the tests include, emuctl and the emulator for
# --dump-fixtures) into $WORK/tree, which they can read wherever the
# checkout is.  PG_TREE points at it.
stage_tree() {
    PG_TREE="$WORK/tree"
    mkdir -p "$PG_TREE/test"
    cp -R "$REPO/sql" "$REPO/expected" "$PG_TREE/"
    cp "$REPO/test/emuctl" "$REPO/test/emulator.py" "$REPO/test/emulator_resources.py" \
        "$REPO/test/emulator_accounts.py" "$REPO/test/emulator_tagging.py" \
        "$REPO/test/demo.sql" "$PG_TREE/test/"
    chmod -R a+rX "$PG_TREE"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$PG_TREE"
    export PG_TREE
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_env [emulator args...]
start_env() {
    WORK="$(mktemp -d /tmp/bedrock_fdw.XXXXXX)"
    chmod 755 "$WORK"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"
    export WORK
    stage_tree

    # a throwaway CA for the emulator's https listener
    TLS_DIR="$WORK/tls"
    sh "$REPO/test/make_tls.sh" "$TLS_DIR"
    chmod 755 "$TLS_DIR"
    chmod 644 "$TLS_DIR"/*.pem

    # the emulator runs as the invoking user: only PostgreSQL needs "postgres"
    python3 "$REPO/test/emulator.py" --port 0 --port-file "$WORK/emu.port" \
        --https-port 0 --https-port-file "$WORK/emu.https-port" \
        --tls-cert "$TLS_DIR/server.pem" --tls-key "$TLS_DIR/server.key" \
        --log "$WORK/emulator.log" "$@" 2>"$WORK/emulator.stderr" &
    EMU_PID=$!
    for _ in $(seq 1 100); do
        [ -s "$WORK/emu.port" ] && break
        kill -0 "$EMU_PID" 2>/dev/null || { cat "$WORK/emulator.stderr" >&2; return 1; }
        sleep 0.1
    done
    EMU_PORT="$(cat "$WORK/emu.port")"
    EMU_URL="http://127.0.0.1:$EMU_PORT"
    EMU_HTTPS_URL="https://localhost:$(cat "$WORK/emu.https-port")"
    EMUCTL="$REPO/test/emuctl"
    export EMU_PORT EMU_URL EMU_HTTPS_URL EMUCTL TLS_DIR
    "$EMUCTL" --port "$EMU_PORT" wait

    PGPORT="$(free_port)"
    PGHOST="$WORK"
    PGUSER=postgres
    export PGPORT PGHOST PGUSER
    as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust --no-sync \
        -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1
    start_pg
}

# The server's AWS environment is the test's alone: none of the caller's
# AWS_* variables, no instance metadata, shared files under $WORK/aws.
# BEDROCK_PG_ENV: "NAME=value ..." added to it (test/sanitize.sh, credentials).
start_pg() {
    local clean=()
    local v
    for v in $(env | sed -n 's/^\(AWS_[A-Z0-9_]*\)=.*/\1/p'); do clean+=(-u "$v"); done
    mkdir -p "$WORK/aws"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/aws"
    # shellcheck disable=SC2086
    as_pg env "${clean[@]}" AWS_EC2_METADATA_DISABLED=true \
        AWS_CONFIG_FILE="$WORK/aws/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws/credentials" \
        ${BEDROCK_PG_ENV:-} "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -w \
        -o "-p $PGPORT -k $WORK -c listen_addresses=''" start >/dev/null
}

stop_pg() {
    as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null
}

stop_env() {
    [ -n "${WORK:-}" ] || return 0
    if [ -f "$WORK/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "${EMU_PID:-}" ]; then
        kill "$EMU_PID" 2>/dev/null
        wait "$EMU_PID" 2>/dev/null
    fi
    if [ -z "${KEEP_WORK:-}" ]; then
        rm -rf "$WORK"
    else
        echo "kept $WORK"
    fi
    return 0
}

# run_regress OUTDIR TEST...: pg_regress against the running cluster, with
# the test environment (emulator, TLS, scratch directory) in its psql's
run_regress() {
    local out="$1"; shift
    mkdir -p "$out"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$out"
    as_pg env EMU_PORT="$EMU_PORT" EMU_URL="$EMU_URL" EMU_HTTPS_URL="$EMU_HTTPS_URL" \
        EMUCTL="$PG_TREE/test/emuctl" REPO="$PG_TREE" WORK="$WORK" TLS_DIR="$TLS_DIR" \
        PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER=postgres \
        "$(pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress" \
        --inputdir="$PG_TREE" --outputdir="$out" --bindir="$PGBIN" \
        --host="$PGHOST" --port="$PGPORT" --user=postgres \
        --load-extension=bedrock_fdw "$@"
}

# check_log_and_outputs LABEL OUTPUT...: fails (returns 1) if the server log
# holds any secret the tests use or the emulator knows or issued (STS, IMDS,
# ECS, credential_process), if an issued one is in a test's output (the
# tests' own SQL may hold the fixed ones), or if the server crashed
check_log_and_outputs() {
    local label="$1"; shift
    local secrets='Secret\+Key/EXAMPLE|Temp\+Secret/EXAMPLE|emulator-session-token|not-the-secret-key|opt-secret|opt-token|user-secret|dead-secret|wrong-token|profile-secret|Signature=|Credential='
    local status=0
    "$EMUCTL" secrets >"$WORK/issued-secrets"
    if [ ! -s "$WORK/issued-secrets" ]; then
        echo "$label: could not list the emulator's secrets"
        status=1
    fi
    if grep -E "$secrets" "$WORK/postgres.log" || grep -F -f "$WORK/issued-secrets" "$WORK/postgres.log"; then
        echo "$label: a secret appears in the server log"
        status=1
    fi
    grep -v -E "$secrets|emulator-web-identity-token|emulator-ecs-auth-token" \
        "$WORK/issued-secrets" >"$WORK/issued-only" || true
    if [ -s "$WORK/issued-only" ] && grep -F -f "$WORK/issued-only" "$@"; then
        echo "$label: an issued secret appears in a test's output"
        status=1
    fi
    if grep -E "PANIC|server process .* was terminated|TRAP:" "$WORK/postgres.log"; then
        echo "$label: the server log shows a crash"
        status=1
    fi
    return $status
}
