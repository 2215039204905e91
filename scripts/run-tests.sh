#!/usr/bin/env bash
# Runs every test against the build in $1: unit and store tests, then the
# HTTP integration tests against the real binary. Exits non-zero on failure.
set -euo pipefail
build_dir=${1:-build/debug}
export ONESTOP_BINARY="$PWD/$build_dir/onestop"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 600
