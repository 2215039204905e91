#!/usr/bin/env bash
# Case-intake benchmark: how many durable cases per second onestop takes.
#
#   bench/intake.sh [--database URL] [--duration 10s] [--connections 64] [--threads 2]
#
# Starts the Release binary on a fresh database (SQLite file in a temp dir by
# default), seeds the demo council, then runs wrk against GET /healthz and
# against POST /api/v1/cases with valid, varied bodies. Prints cases/s,
# p50/p99 latency, the ratio to the healthz rate, the cases actually in the
# database afterwards (must equal the 201s) and the server's peak RSS.
# It prints figures; it never fails a build.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=10s
CONNECTIONS=64
THREADS=2
DATABASE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database) DATABASE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source bench/lib.sh
release_binary
command -v wrk >/dev/null || bash scripts/install-deps.sh

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$DATABASE" ]; then DATABASE="sqlite:$WORK/bench.db"; fi
"$BIN" seed-demo --database "$DATABASE" --log-level warn >/dev/null
"$BIN" serve --port 0 --database "$DATABASE" --log-level warn >"$WORK/out" 2>"$WORK/err" &
SERVER_PID=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$WORK/out" 2>/dev/null && break
  sleep 0.1
done
URL=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$WORK/out" | head -1)
[ -n "$URL" ] || { echo "server did not start:"; cat "$WORK/err"; exit 1; }

TOKEN=$(curl -sf -X POST "$URL/api/v1/session" -H 'Content-Type: application/json' \
  -d '{"email":"agent@fairhaven.example","password":"fairhaven-demo"}' | jq -r .token)
python3 bench/make_case_bodies.py "$URL" "$TOKEN" > "$WORK/bodies.lua"

cases_before=$(curl -sf "$URL/metrics" | awk '/^onestop_cases\{/ {s += $2} END {print s + 0}')

echo "== onestop intake benchmark: $DURATION, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
echo "== database: ${DATABASE%%\?*}"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$URL/healthz" >"$WORK/healthz.txt"
BODIES="$WORK/bodies.lua" TOKEN="$TOKEN" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
  -s bench/post_cases.lua "$URL/api/v1/cases" >"$WORK/cases.txt"

sleep 1  # let requests still in flight when wrk stopped finish
metrics=$(curl -sf "$URL/metrics")
cases_after=$(echo "$metrics" | awk '/^onestop_cases\{/ {s += $2} END {print s + 0}')
# 201s the server sent (wrk may stop before reading the last few responses).
acked=$(echo "$metrics" | awk '/^onestop_http_requests_total\{/ && /route="\/api\/v1\/cases"/ && /method="POST"/ && /status="201"/ {s += $2} END {print s + 0}')
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")

rate() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
healthz_rps=$(rate "$WORK/healthz.txt")
cases_rps=$(rate "$WORK/cases.txt")
created=$(sed -n 's/^created \([0-9]*\).*/\1/p' "$WORK/cases.txt")
non201=$(sed -n 's/^created [0-9]* other \([0-9]*\).*/\1/p' "$WORK/cases.txt")
in_db=$((cases_after - cases_before))

printf '\n%-28s %12s %10s %10s\n' "endpoint" "req/s" "p50" "p99"
printf '%-28s %12s %10s %10s\n' "GET /healthz" "$healthz_rps" "$(pct "$WORK/healthz.txt" 50%)" "$(pct "$WORK/healthz.txt" 99%)"
printf '%-28s %12s %10s %10s\n' "POST /api/v1/cases" "$cases_rps" "$(pct "$WORK/cases.txt" 50%)" "$(pct "$WORK/cases.txt" 99%)"
echo
echo "cases/s (201s over the run):   $(awk -v c="$created" -v d="${DURATION%s}" 'BEGIN {printf "%.0f", c / d}')"
echo "ratio to healthz:              $(awk -v a="$cases_rps" -v b="$healthz_rps" 'BEGIN {printf "%.2f", a / b}')"
echo "201 responses read by wrk:     $created   (other statuses: $non201)"
echo "201 responses sent by server:  $acked"
echo "cases in the database:         $in_db   ($( [ "$in_db" = "$acked" ] && echo 'equal to the 201s sent: nothing acknowledged was lost' || echo 'MISMATCH'))"
echo "server peak RSS:               $((rss_kb / 1024)) MiB"
echo
echo "reproduce: bench/intake.sh --duration $DURATION --connections $CONNECTIONS"
