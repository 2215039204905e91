# Sourced by bench/sip.sh and bench/sip_full.sh: starts the Release binary
# ($BIN) on a fresh SQLite database in $WORK with the demo council, SIP on
# 127.0.0.1 (any free port) and RTP ports 20000-39999. Sets SERVER_PID,
# HTTP (host:port) and SIP (host:port); exits when the server does not start.
DATABASE="sqlite:$WORK/bench.db"
cat >"$WORK/config.json" <<JSON
{"sip": {"rtp_ports": "20000-39999"}}
JSON
"$BIN" seed-demo --database "$DATABASE" --log-level warn >/dev/null
"$BIN" serve --port 0 --database "$DATABASE" --log-level warn --config "$WORK/config.json" \
  --sip-listen 127.0.0.1:0 >"$WORK/out" 2>"$WORK/err" &
SERVER_PID=$!
for _ in $(seq 150); do
  grep -q '^listening on' "$WORK/out" 2>/dev/null && break
  sleep 0.1
done
HTTP=$(sed -n 's#^listening on http://\([^ ]*\).*#\1#p' "$WORK/out" | head -1)
SIP=$(sed -n 's/^sip listening on \([^ ]*\)$/\1/p' "$WORK/out" | head -1)
[ -n "$SIP" ] && [ -n "$HTTP" ] || { echo "server did not start:"; cat "$WORK/out" "$WORK/err"; exit 1; }
sleep 3  # the prompts are synthesised in the background at start
