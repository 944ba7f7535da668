#!/bin/bash
# matrix.sh: build bedrock_fdw warning-free against other PostgreSQL majors
# and run pg_regress and the emulator's own suite there, each in a Debian
# chroot that has that major: 17 from trixie, 18 from sid, 19 (beta/rc)
# from experimental.  Debian's archive is the only source needed.
#
#   test/matrix.sh [VERSION...]        default: 17 18 19
#
# Chroots live under $MATRIX_ROOT (default /var/tmp/bedrock_fdw-chroots) and
# are kept for the next run.  Prints one line per version at the end, e.g.
# "pg18: 10/10 regress, build clean, emulator ok".  Needs root.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="${MATRIX_ROOT:-/var/tmp/bedrock_fdw-chroots}"
MIRROR="${MATRIX_MIRROR:-http://deb.debian.org/debian}"
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(17 18 19)
[ "$(id -u)" -eq 0 ] || { echo "matrix: needs root (debootstrap, chroot)"; exit 1; }

suite_of() {
    case "$1" in
        17) echo trixie ;;
        18|19) echo sid ;;
        *) return 1 ;;
    esac
}

# mounts of a chroot, undone on exit
mounted=()
cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -l "${mounted[$i]}" 2>/dev/null
    done
}
trap cleanup EXIT

mount_chroot() {
    local dir="$1" m
    for m in proc sys dev dev/pts dev/shm; do
        mountpoint -q "$dir/$m" && continue
        mkdir -p "$dir/$m"
        mount --bind "/$m" "$dir/$m" && mounted+=("$dir/$m")
    done
}

in_chroot() {
    local dir="$1"; shift
    chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# make_chroot SUITE: a minimal Debian with the build and test dependencies
make_chroot() {
    local suite="$1" dir="$ROOT/$1"
    if [ ! -x "$dir/usr/bin/apt-get" ]; then
        command -v debootstrap >/dev/null ||
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
            return 1
        mkdir -p "$ROOT"
        debootstrap --variant=minbase --include=ca-certificates "$suite" "$dir" "$MIRROR" \
            >"$ROOT/$suite.debootstrap.log" 2>&1 || { tail -5 "$ROOT/$suite.debootstrap.log"; return 1; }
    fi
    mount_chroot "$dir"
    cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null
    # no service starts inside, and no cluster is made on install
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod 755 "$dir/usr/sbin/policy-rc.d"
    mkdir -p "$dir/etc/postgresql-common"
    echo "create_main_cluster = false" >"$dir/etc/postgresql-common/createcluster.conf"
    # the archive may be a snapshot whose sid Release is past its Valid-Until
    echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99bedrock-fdw"
    if [ "$suite" = sid ] && [ ! -f "$dir/etc/apt/sources.list.d/experimental.list" ]; then
        echo "deb $MIRROR experimental main" >"$dir/etc/apt/sources.list.d/experimental.list"
    fi
    [ -f "$dir/var/tmp/.bedrock_updated" ] ||
        { in_chroot "$dir" apt-get update -qq >/dev/null && touch "$dir/var/tmp/.bedrock_updated"; } ||
        return 1
    in_chroot "$dir" apt-get install -y -qq --no-install-recommends \
        libcurl4-openssl-dev libssl-dev libxml2-dev pkg-config make gcc \
        python3 curl openssl procps util-linux >/dev/null
}

# install_pg DIR VERSION
install_pg() {
    local dir="$1" v="$2" from=()
    [ -x "$dir/usr/lib/postgresql/$v/bin/postgres" ] &&
        [ -x "$dir/usr/lib/postgresql/$v/bin/pg_config" ] && return 0
    [ "$v" = 19 ] && from=(-t experimental)
    in_chroot "$dir" apt-get install -y -qq --no-install-recommends "${from[@]}" \
        "postgresql-$v" "postgresql-server-dev-$v" >/dev/null
}

# run_version VERSION: build, install, test; sets line
run_version() {
    local v="$1" suite dir build log warnings npass ntotal emu
    suite="$(suite_of "$v")" || { line="pg$v: no Debian suite has it"; return 1; }
    dir="$ROOT/$suite"
    make_chroot "$suite" || { line="pg$v: could not make the $suite chroot"; return 1; }
    install_pg "$dir" "$v" || { line="pg$v: postgresql-$v could not be installed from $suite"; return 1; }

    build="$dir/build/bedrock_fdw-pg$v"
    rm -rf "$build"
    mkdir -p "$build"
    tar -C "$REPO" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
        --exclude=node_modules -cf - . | tar -C "$build" -xf -
    # the SigV4 vectors and the service model, when this checkout has them
    if [ -d "$REPO/../shared/aws" ]; then
        rm -rf "$dir/build/shared"
        cp -R "$REPO/../shared" "$dir/build/shared"
    fi
    log="$ROOT/pg$v.log"
    local inside="/build/bedrock_fdw-pg$v"
    local path="/usr/lib/postgresql/$v/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    if ! in_chroot "$dir" env PATH="$path" make -C "$inside" -s clean >/dev/null 2>&1 ||
        ! in_chroot "$dir" env PATH="$path" make -C "$inside" -s PG_CFLAGS=-Werror >"$log" 2>&1; then
        line="pg$v: build FAILED (see $log)"
        tail -20 "$log"
        return 1
    fi
    warnings=$(grep -c "warning:" "$log")
    in_chroot "$dir" env PATH="$path" make -C "$inside" -s install >/dev/null 2>&1 ||
        { line="pg$v: install FAILED"; return 1; }

    in_chroot "$dir" env PATH="$path" bash "$inside/test/regress.sh" >"$ROOT/pg$v.regress.log" 2>&1
    local rc=$?
    ntotal=$(grep -c '^test .* \.\.\. \|^ok [0-9]\|^not ok [0-9]' "$ROOT/pg$v.regress.log")
    npass=$(grep -c '^test .* \.\.\. ok\|^ok [0-9]' "$ROOT/pg$v.regress.log")
    [ $rc -ne 0 ] && { grep -A40 '^diff ' "$ROOT/pg$v.regress.log" | head -80; }
    if in_chroot "$dir" env PATH="$path" python3 "$inside/test/test_emulator.py" \
        >"$ROOT/pg$v.emulator.log" 2>&1; then
        emu="emulator ok"
    else
        emu="emulator FAILED"
        tail -20 "$ROOT/pg$v.emulator.log"
        rc=1
    fi
    line="pg$v: $npass/$ntotal regress, build $([ "$warnings" -eq 0 ] && echo clean || echo "with $warnings warnings"), $emu"
    return $rc
}

status=0
lines=()
for v in "${versions[@]}"; do
    echo "=== PostgreSQL $v"
    line=""
    run_version "$v" || status=1
    lines+=("$line")
done
echo
printf '%s\n' "${lines[@]}"
exit $status
