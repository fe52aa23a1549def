#!/usr/bin/env bash
# A throwaway PostgreSQL for the indexer's tests and for trying TONGDUI_DB_URL by hand.
#
# Installs PostgreSQL from Debian's packages if it is missing, starts a private cluster in
# /tmp (loopback only, port 55432 unless TONGDUI_PG_PORT says otherwise, trust auth: test use
# only), creates the database and prints its SQLAlchemy URL on stdout; everything else goes
# to stderr. Idempotent: a second call finds the running server and prints the same URL.
#   export TONGDUI_DB_URL=$(scripts/postgres.sh)
# `scripts/postgres.sh --stop` stops the server of TONGDUI_PG_DIR (scripts/test.sh starts one
# of its own on a free port in a temp folder, and stops it so).
set -euo pipefail

PORT="${TONGDUI_PG_PORT:-55432}"
DB="${TONGDUI_PG_DB:-tongdui}"
DIR="${TONGDUI_PG_DIR:-/tmp/tongdui-postgres-$PORT}"

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "installing PostgreSQL from Debian's packages..." >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# The server refuses to run as root: run it as the postgres user when we are root.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
    if [ -f "$DIR/data/postmaster.pid" ]; then
        as_owner "$BIN/pg_ctl" -D "$DIR/data" stop -m fast -w -t 60 >&2
    fi
    exit 0
fi

mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
if [ ! -f "$DIR/data/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >&2
fi
if ! as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >&2
fi

PSQL=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tA)
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    "${PSQL[@]}" -c "CREATE DATABASE \"$DB\"" >&2
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
