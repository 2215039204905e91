#!/usr/bin/env bash
# Portal pages as a resident's browser gets them: HTML size and the server's
# latency (wrk, 2 connections, 5 s a page: p50/p99) in English and Welsh, on
# a fresh demo database. Figures only, never pass/fail.
#   bench/portal_pages.sh            (build/release/onestop, built by `make run`)
#   ONESTOP_BINARY=/path/to/other/onestop bench/portal_pages.sh   (to compare builds)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${ONESTOP_BINARY:-$root/build/release/onestop}"
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$binary" seed-demo --database "sqlite:$dir/t.db" --log-level warn >/dev/null
"$binary" serve --port 0 --database "sqlite:$dir/t.db" --log-level warn >"$dir/out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$dir/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/out" | head -1)
echo "portal pages: $binary"
printf '%-34s %-4s %9s %9s %9s\n' page lang 'HTML B' 'p50 ms' 'p99 ms'
for path in / /services '/services?q=bin' /services/missed-bin /services/missed-bin/report /track; do
  for lang in en cy; do
    bytes=$(curl -s -H "Accept-Language: $lang" "$url$path" | wc -c)
    out=$(wrk -t1 -c2 -d5s --latency -H "Accept-Language: $lang" "$url$path" 2>/dev/null)
    p50=$(awk '/ 50%/{print $2}' <<<"$out"); p99=$(awk '/ 99%/{print $2}' <<<"$out")
    printf '%-34s %-4s %9s %9s %9s\n' "$path" "$lang" "$bytes" "$p50" "$p99"
  done
done
