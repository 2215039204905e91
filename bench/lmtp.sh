#!/usr/bin/env bash
# Email benchmark (issue 13): messages per second accepted durably over LMTP,
# and the outbox's send rate.
#
#   bench/lmtp.sh [--messages 4000] [--sessions 8] [--size 10240] [--mailbox contact@fairhaven.example]
#
# Starts the Release binary on a fresh SQLite database with the demo council,
# `--lmtp-listen` and `--smtp-url` pointing at the test SMTP sink
# (tests/fakes/smtp_sink.py, aiosmtpd), then delivers --messages messages of
# --size bytes over --sessions concurrent LMTP sessions (bench/lmtp_client.py;
# each 250 comes only once the message is stored). Prints:
#   - in:  messages/s accepted, per-message p50/p99, failures;
#   - out: with --mailbox enquiries@fairhaven.example every message raises a
#     case and queues an acknowledgement: acknowledgements/s from the first
#     queued to the last received by the sink (the sink, a Python process on
#     the same two cores, is part of what is measured);
#   - the server's CPU seconds and peak RSS, and the command line.
# It prints figures; it never fails a build.
set -euo pipefail
cd "$(dirname "$0")/.."

MESSAGES=4000
SESSIONS=8
SIZE=10240
MAILBOX=contact@fairhaven.example
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES=$2; shift 2 ;;
    --sessions) SESSIONS=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --mailbox) MAILBOX=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source bench/lib.sh
release_binary

WORK=$(mktemp -d)
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "${SINK:-}" ] && kill "$SINK" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

/usr/bin/python3 tests/fakes/smtp_sink.py --dir "$WORK/sink" > "$WORK/sink.out" &
SINK=$!
for _ in $(seq 50); do grep -q PORT "$WORK/sink.out" 2>/dev/null && break; sleep 0.1; done
SMTP_PORT=$(awk '/PORT/ {print $2}' "$WORK/sink.out")

"$BIN" seed-demo --database "sqlite:$WORK/db.sqlite" --log-level warn > /dev/null
"$BIN" serve --port 0 --database "sqlite:$WORK/db.sqlite" --search-dir "$WORK/search" --log-level warn \
  --lmtp-listen 127.0.0.1:0 --smtp-url "smtp://127.0.0.1:$SMTP_PORT" > "$WORK/server.out" 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 100); do grep -q "^listening on" "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
LMTP_PORT=$(sed -n 's/^lmtp listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/server.out")
[ -n "$LMTP_PORT" ] || { echo "the server did not start"; cat "$WORK/server.log"; exit 1; }

RESULT=$(/usr/bin/python3 bench/lmtp_client.py 127.0.0.1 "$LMTP_PORT" "$SESSIONS" "$MESSAGES" "$SIZE" "$MAILBOX")
IN_DONE=$(date +%s.%N)
DELIVERED=$(echo "$RESULT" | jq .messages)
SECONDS_IN=$(echo "$RESULT" | jq .seconds)

OUT_LINE="out: none (mail to $MAILBOX raises no acknowledgement; try --mailbox enquiries@fairhaven.example)"
if [ "$MAILBOX" = "enquiries@fairhaven.example" ]; then
  for _ in $(seq 1200); do
    [ "$(ls "$WORK/sink" 2>/dev/null | grep -c '\.eml$')" -ge "$DELIVERED" ] && break
    sleep 0.5
  done
  SENT=$(ls "$WORK/sink" | grep -c '\.eml$' || true)
  FIRST=$(stat -c %Y "$(ls -tr "$WORK"/sink/*.eml | head -1)")
  LAST=$(stat -c %Y "$(ls -t "$WORK"/sink/*.eml | head -1)")
  SPAN=$(( LAST - FIRST )); [ "$SPAN" -gt 0 ] || SPAN=1
  OUT_LINE="out: $SENT acknowledgements received by the sink; $(( SENT / SPAN )) per second (first to last received, ${SPAN} s)"
fi

CPU=$(awk '{print ($14 + $15) / 100}' "/proc/$SERVER/stat")
RSS=$(awk '/VmHWM/ {print $2 / 1024 " MiB"}' "/proc/$SERVER/status")
echo "command: bench/lmtp.sh --messages $MESSAGES --sessions $SESSIONS --size $SIZE --mailbox $MAILBOX"
echo "in:  $DELIVERED messages of $SIZE bytes over $SESSIONS LMTP sessions in $SECONDS_IN s: $(echo "$DELIVERED / $SECONDS_IN" | bc) messages/s durable, p50 $(echo "$RESULT" | jq .p50_ms) ms, p99 $(echo "$RESULT" | jq .p99_ms) ms, $(echo "$RESULT" | jq .failures) failures"
echo "$OUT_LINE"
echo "server: $CPU CPU seconds, peak RSS $RSS"
