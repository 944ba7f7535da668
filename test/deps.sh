#!/bin/bash
# deps.sh: install what building and testing bedrock_fdw needs, on Debian 12,
# skipping what is already there.  Run as root (or with sudo available).
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in postgresql-15 postgresql-server-dev-15 libcurl4-openssl-dev \
           libssl-dev libxml2-dev pkg-config make gcc curl python3 \
           clang libclang-rt-14-dev valgrind; do
    have_pkg "$pkg" || need+=("$pkg")
done
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "deps: installing ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
