#!/usr/bin/env bash
# Routing failover: how long routing is unavailable when its leader dies.
#
#   bench/routing_failover.sh --database postgresql://... [--rounds 5]
#
# Seeds the demo council, starts two nodes on the database, then each round
# kills the leading node with SIGKILL (no goodbye) and measures, by polling
# GET /api/v1/routing/leader on the other node every 20 ms, the time until
# it leads; the killed node is restarted as the new standby. Prints each
# round and min/median/max. Figures only; it never fails a build.
# (`scripts/with-postgres.sh bash -c 'bench/routing_failover.sh --database
#  "$ONESTOP_TEST_POSTGRES_URL"'` runs it on a throwaway cluster.)
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE=""
ROUNDS=5
while [ $# -gt 0 ]; do
  case "$1" in
    --database) DATABASE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$DATABASE" ] || { echo "--database postgresql://... is required" >&2; exit 2; }

BIN=${ONESTOP_BINARY:-build/release/onestop}
if [ ! -x "$BIN" ]; then
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DONESTOP_BUILD_TESTS=OFF >/dev/null
  cmake --build build/release -j "$(nproc)" --target onestop
fi

WORK=$(mktemp -d)
declare -A PID URL
cleanup() {
  for n in a b; do
    if [ -n "${PID[$n]:-}" ]; then kill -9 "${PID[$n]}" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

start() {  # start NODE
  local n=$1
  : >"$WORK/$n.out"
  ONESTOP_SEARCH_DIR="$WORK/search-$n" "$BIN" serve --port 0 --database "$DATABASE" \
    --node-name "node-$n" --log-level warn >"$WORK/$n.out" 2>>"$WORK/$n.err" &
  PID[$n]=$!
  for _ in $(seq 200); do
    grep -q 'listening on' "$WORK/$n.out" 2>/dev/null && break
    sleep 0.05
  done
  URL[$n]=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$WORK/$n.out" | head -1)
}
leading() {  # leading NODE → exit 0 when it says it leads
  curl -sf "${URL[$1]}/api/v1/routing/leader" -H "Authorization: Bearer $TOKEN" | jq -e .leading >/dev/null
}

"$BIN" seed-demo --database "$DATABASE" --log-level warn >/dev/null
start a
start b
TOKEN=$(curl -sf -X POST "${URL[a]}/api/v1/session" -H 'Content-Type: application/json' \
  -d '{"email":"agent@fairhaven.example","password":"fairhaven-demo"}' | jq -r .token)

times=()
for round in $(seq "$ROUNDS"); do
  if leading a; then dead=a; other=b; else dead=b; other=a; fi
  t0=$(date +%s%N)
  kill -9 "${PID[$dead]}"; wait "${PID[$dead]}" 2>/dev/null || true
  until leading "$other"; do sleep 0.02; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  times+=("$ms")
  echo "round $round: node-$dead killed, node-$other led after ${ms} ms"
  start "$dead"
  sleep 1
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "takeover after SIGKILL over ${ROUNDS} rounds: min ${sorted[0]} ms, median ${sorted[$((ROUNDS / 2))]} ms, max ${sorted[$((ROUNDS - 1))]} ms"
echo "command: scripts/with-postgres.sh bash -c 'bench/routing_failover.sh --database \"\$ONESTOP_TEST_POSTGRES_URL\" --rounds ${ROUNDS}'"
