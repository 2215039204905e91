#!/usr/bin/env bash
# Telephone signalling benchmark: how many calls per second onestop's SIP
# front end answers (IVR answer: INVITE → 200 with SDP → ACK → BYE, an RTP
# stream opened and a prompt started for each call).
#
#   bench/sip.sh [--rate 1000] [--seconds 60] [--hold-ms 0] [--transport u1|t1]
#
# Starts the Release binary on a fresh SQLite database with the demo council
# and `--sip-listen 127.0.0.1:PORT` (RTP ports 20000-39999), runs sipp's
# built-in UAC scenario at --rate calls/s for --seconds against the demo
# number 01632960000 on the same machine, and prints successful/failed calls,
# retransmissions, INVITE→200 p50/p95/p99 (from sipp's -trace_rtt), the
# server's CPU seconds per call and its peak RSS, plus the command line.
# It prints figures; it never fails a build.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=1000
SECONDS_RUN=60
HOLD_MS=0
TRANSPORT=u1
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --hold-ms) HOLD_MS=$2; shift 2 ;;
    --transport) TRANSPORT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source bench/lib.sh
release_binary
command -v sipp >/dev/null || bash scripts/install-deps.sh

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

source bench/sip_server.sh  # SERVER_PID, HTTP, SIP

CPU0=$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)
CALLS=$((RATE * SECONDS_RUN))
CMD=(sipp -sn uac -s 01632960000 -t "$TRANSPORT" -r "$RATE" -m "$CALLS" -d "$HOLD_MS" -l $((RATE * 4 + 100))
     -trace_rtt -rtt_freq 1 -trace_stat -fd 1 -nostdin -timeout $((SECONDS_RUN + 60)) -max_socket 2000 "$SIP")
echo "command: ${CMD[*]}"
( cd "$WORK" && "${CMD[@]}" >"$WORK/sipp.out" 2>&1 ) || true
CPU1=$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)
RSS=$(awk '/VmHWM/ {print $2}' /proc/$SERVER_PID/status)
TICKS=$(getconf CLK_TCK)

python3 - "$WORK" "$CALLS" "$CPU0" "$CPU1" "$TICKS" "$RSS" "$RATE" "$SECONDS_RUN" <<'PY'
import csv, glob, sys
work, calls, cpu0, cpu1, ticks, rss, rate, secs = sys.argv[1:]
stat = sorted(glob.glob(work + "/*_.csv") + glob.glob(work + "/*_stat.csv"))
rtt = sorted(glob.glob(work + "/*_rtt.csv"))
ok = failed = retrans = 0
if stat:
    rows = list(csv.reader(open(stat[-1]), delimiter=";"))
    head, last = rows[0], rows[-1]
    col = {name: i for i, name in enumerate(head)}
    def get(name):
        return int(last[col[name]]) if name in col and last[col[name]].strip() else 0
    ok, failed, retrans = get("SuccessfulCall(C)"), get("FailedCall(C)"), get("Retransmissions(C)")
times = []
for f in rtt:
    for row in csv.reader(open(f), delimiter=";"):
        if len(row) >= 3 and row[2].replace(".", "", 1).isdigit():
            times.append(float(row[2]))
times.sort()
def pct(p):
    return times[min(len(times) - 1, int(p / 100 * len(times)))] if times else float("nan")
cpu = (int(cpu1) - int(cpu0)) / int(ticks)
print(f"calls offered {calls} at {rate}/s for {secs} s: successful {ok}, failed {failed}, retransmissions {retrans}")
print(f"INVITE->200 ms: p50 {pct(50):.2f}  p95 {pct(95):.2f}  p99 {pct(99):.2f}  (n={len(times)})")
print(f"server CPU {cpu:.1f} s = {1000 * cpu / max(ok, 1):.3f} ms per call; peak RSS {int(rss) // 1024} MiB")
PY
