#!/usr/bin/env bash
# Knowledge-base search benchmark: a deterministic 100,000-article corpus and
# 1,000 queries through our engine (Xapian) and SQLite FTS5 (bm25) in one run.
# Prints QPS, p50/p99 latency, the ratio and index sizes. Figures only.
#   bench/search.sh [articles] [queries]      (default 100000 1000)
# Builds an optimised tree in build-bench/ unless BUILD_DIR is given.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DONESTOP_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$build" search_bench >/dev/null
"$build/bench/search_bench" "${1:-100000}" "${2:-1000}"
