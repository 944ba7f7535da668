#!/bin/bash
# demo.sh: the bedrock_fdw demo (`make demo`).  On a fresh Debian 12 machine
# as root: installs what is missing, builds and installs the extension,
# starts a throwaway cluster and the Bedrock emulator with a sample account,
# and runs the headline queries.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"

bash test/deps.sh
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
make -s
$SUDO make -s install >/dev/null

source test/lib.sh
start_env --fixtures demo
trap stop_env EXIT

as_pg env EMU_URL="$EMU_URL" PGHOST="$PGHOST" PGPORT="$PGPORT" \
    "$PGBIN/psql" -X -q -d postgres -f "$PG_TREE/test/demo.sql"
echo
echo "Demo done. The emulator logged $(python3 -c "import json,urllib.request; print(len(json.load(urllib.request.urlopen('$EMU_URL/_emulator/requests'))))") signed API requests."
