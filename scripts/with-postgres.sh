#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster:
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# initdb + pg_ctl in a fresh temp dir (owned by the `postgres` user when run
# as root: initdb refuses root), listening on 127.0.0.1 on a free port with
# its unix socket in the temp dir. CMD runs with
#   ONESTOP_TEST_POSTGRES_URL      postgresql://postgres@127.0.0.1:PORT/onestop_test
#   ONESTOP_TEST_POSTGRES_RESTART  a command that restarts the cluster (fault tests)
# and the cluster is stopped and removed afterwards, whatever CMD does.
# Installs nothing (scripts/install-deps.sh does): needs postgresql-15.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: $PGBIN/initdb not found; run scripts/install-deps.sh (postgresql-15)" >&2
  exit 2
fi

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/onestop-pg-XXXXXX")
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
chmod 700 "$dir"
cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=128MB"
as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres onestop_test

export ONESTOP_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/onestop_test"
restart="$PGBIN/pg_ctl -D $dir/data -l $dir/server.log -o '$opts' -m fast -w -t 60 restart"
if [ "$(id -u)" -eq 0 ]; then restart="runuser -u postgres -- $restart"; fi
export ONESTOP_TEST_POSTGRES_RESTART="$restart"
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$port (data in $dir)" >&2

set +e
"$@"
status=$?
set -e
exit $status
