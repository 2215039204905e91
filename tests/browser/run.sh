#!/usr/bin/env bash
# Browser tests: the issue 5 journeys in Debian's Chromium (playwright-core,
# never a downloaded browser) with axe-core on every page, then the portal's
# page weight. Usage: tests/browser/run.sh BUILD_DIR (from the repo root).
set -euo pipefail
build_dir=${1:-build/debug}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ ! -x /usr/bin/chromium ]; then
  echo "browser tests: /usr/bin/chromium is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [ ! -d node_modules/playwright-core ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export ONESTOP_BINARY=${ONESTOP_BINARY:-$root/$build_dir/onestop}
export ONESTOP_BROWSER_ARTIFACTS=$root/$build_dir/browser-artifacts
mkdir -p "$ONESTOP_BROWSER_ARTIFACTS"
node --test --test-concurrency=1 tests/browser/
node tests/browser/page-weight.mjs
