#!/usr/bin/env bash
# Installs the Debian packages onestop needs to build, run and test.
# Idempotent: packages already present are skipped, so a second run is quick.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libabsl-dev libspdlog-dev libfmt-dev libcli11-dev
  libsodium-dev libsqlite3-dev sqlite3 libpq-dev libyaml-cpp-dev
  libboost-locale1.81-dev gettext python3-polib
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  wrk curl python3 jq
)
# expat: the Open311 conformance tests parse every XML response with it.
PKGS+=(libexpat1-dev)
# Web pages and their browser tests (src/web, tests/browser): templates, node for npm, Chromium.
PKGS+=(libkainjow-mustache-dev nodejs chromium)
# Debian's nodejs has npm as a separate package; NodeSource's nodejs bundles it
# and conflicts with Debian's npm, so only ask for npm when there is none.
if ! command -v npm >/dev/null 2>&1; then PKGS+=(npm); fi
# PostgreSQL 15 server + client: `make test` runs the store and integration
# suites against a throwaway cluster (scripts/with-postgres.sh).
PKGS+=(postgresql-15 postgresql-client-15)
# Knowledge base (issue 6): Xapian full-text search and cmark-gfm Markdown.
PKGS+=(libxapian-dev libcmark-gfm-dev libcmark-gfm-extensions-dev)
# The telephone (issue 12): sofia-sip (SIP UA, registrar, B2BUA), spandsp (G.711,
# DTMF), espeak-ng + libsoxr (spoken prompts at 8 kHz), nettle (MD5 for SIP digest
# HA1); test peers sipp (sip-tester) and baresip, sox for looking at audio.
PKGS+=(libsofia-sip-ua-dev libspandsp-dev libespeak-ng-dev espeak-ng libsoxr-dev nettle-dev)
PKGS+=(sip-tester baresip-core sox)
# Several SIP nodes: Kamailio's dispatcher in front of them (the failover test
# runs it on loopback; the package's own service is not started by the tests).
PKGS+=(kamailio)
# Email (issue 13): GMime 3 parses inbound mail (MIME, RFC 2047, charsets);
# tests deliver with swaks over LMTP and python3-aiosmtpd is their SMTP sink.
PKGS+=(libgmime-3.0-dev swaks python3-aiosmtpd)
# Mail and SMS out: libcurl sends SMTP submissions and calls the GOV.UK
# Notify API (it may upgrade the installed libcurl4).
PKGS+=(libcurl4-openssl-dev)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
