#!/usr/bin/env bash
# Runs every test against the build in $1: unit and store tests, then the
# HTTP integration tests against the real binary — each on SQLite and on
# PostgreSQL (scripts/with-postgres.sh). Exits non-zero on failure.
set -euo pipefail
build_dir=${1:-build/debug}
export ONESTOP_BINARY="$PWD/$build_dir/onestop"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
with_postgres="$(cd "$(dirname "$0")" && pwd)/with-postgres.sh"
cd "$build_dir"
# ctest runs inside a throwaway PostgreSQL 15 cluster (stopped afterwards,
# even on failure), so the store and integration suites run on both stores.
bash "$with_postgres" ctest --output-on-failure -j "$(nproc)" --timeout 600
cd - >/dev/null && bash tests/browser/run.sh "$build_dir"
