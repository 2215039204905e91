#!/usr/bin/env bash
# Telephone full-path benchmark: the IVR answers, the caller presses 1, the
# call queues for council tax, an agent's phone is rung and answers, and the
# two legs are bridged with RTP flowing both ways through onestop's relay
# (the caller streams µ-law with sipp's rtp_stream; the agents' phones echo
# it back, sipp -rtp_echo), held for --hold seconds, then hung up.
#
#   bench/sip_full.sh [--rate 100] [--concurrent 600] [--hold 6] [--agents 800]
#                     [--calls N (default: --agents)] [--sample 20]
#
# Starts the Release binary on a fresh SQLite database with the demo council
# and --sip-listen 127.0.0.1:PORT (RTP ports 20000-39999); creates --agents
# contact-centre agents through the API (council-tax skill, SIP account,
# signed in and available — each takes one call: the bench does no wrap-up);
# one sipp UAS answers for all their extensions (registered with digest from
# its port), and a second one for --sample of them whose audio goes to a
# jitter meter (RFC 3550 interarrival jitter of the relayed caller → agent
# stream, echoed back); then sipp calls the demo number at --rate calls/s,
# at most --concurrent at once (-l), --calls in all.
#
# Prints: calls attempted / answered by an agent / failed, set-up time
# (the caller's INVITE → the agent's phone answering, which includes the
# caller's 200 ms before pressing 1) p50/p99, peak concurrent bridged calls
# (/metrics onestop_sip_calls{state="bridged"}), relay jitter p95, the
# server's CPU per call and peak RSS, and the sipp command line. It prints
# figures; it never fails a build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RATE=100
CONCURRENT=600
HOLD=6
AGENTS=800
CALLS=""
SAMPLE=20
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --concurrent) CONCURRENT=$2; shift 2 ;;
    --hold) HOLD=$2; shift 2 ;;
    --agents) AGENTS=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
CALLS=${CALLS:-$AGENTS}
[ "$SAMPLE" -lt "$AGENTS" ] || SAMPLE=$((AGENTS / 10))

source bench/lib.sh
release_binary
command -v sipp >/dev/null || bash scripts/install-deps.sh
BIN=$(readlink -f "$BIN")

WORK=$(mktemp -d)
PIDS=()
SERVER_PID=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ -n "${ONESTOP_KEEP_BENCH_DIR:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# A UDP port nobody holds now (even, with port + 2 free too, for sipp's media).
free_port() {
  python3 - "$1" <<'PY'
import socket, sys
pair = sys.argv[1] == "pair"
while True:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if not pair:
        print(p); break
    if p % 2 == 0 and p < 65000:
        t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("127.0.0.1", p + 2)); print(p); break
        except OSError:
            pass
        finally:
            t.close()
    s.close()
PY
}

source bench/sip_server.sh  # SERVER_PID, HTTP, SIP

# The agents: staff, SIP account, sign-in, available (parallel HTTP).
echo "creating $AGENTS agents..."
T0=$(date +%s.%N)
python3 - "$HTTP" "$AGENTS" "$WORK/phones.csv" <<'PY'
import concurrent.futures, http.client, json, sys
host, port = sys.argv[1].rsplit(":", 1)
agents, csv_path = int(sys.argv[2]), sys.argv[3]
def call(conn, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token: headers["Authorization"] = "Bearer " + token
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse(); data = r.read()
    if r.status >= 300: raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else {}
conn = http.client.HTTPConnection(host, int(port), timeout=60)
admin = call(conn, "POST", "/api/v1/session", {"email": "admin@fairhaven.example", "password": "fairhaven-demo"})["token"]
def make(i):
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    ext, email = str(20000 + i), f"bench{i}@fairhaven.example"
    staff = call(c, "POST", "/api/v1/staff", {"email": email, "display_name": f"Bench Agent {i}", "role": "agent",
                 "department": "customer-services", "team": "contact-centre",
                 "skills": [{"code": "council-tax", "proficiency": 4}], "password": "bench-password-1"}, admin)
    call(c, "PUT", f"/api/v1/staff/{staff['id']}/sip", {"extension": ext, "password": "phone-" + ext}, admin)
    token = call(c, "POST", "/api/v1/session", {"email": email, "password": "bench-password-1"})["token"]
    call(c, "PUT", "/api/v1/agents/me/presence", {"presence": "available"}, token)
    return ext
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    exts = list(pool.map(make, range(agents)))
with open(csv_path, "w") as f:
    f.write("SEQUENTIAL\n" + "".join(f"{e};[authentication username={e} password=phone-{e}]\n" for e in exts))
PY
T1=$(date +%s.%N)
echo "agents ready in $(python3 -c "print(f'{$T1 - $T0:.1f}')") s"
# The first $SAMPLE extensions answer on the metered phone, the rest on the echo phone.
{ echo SEQUENTIAL; sed -n "2,$((SAMPLE + 1))p" "$WORK/phones.csv"; } >"$WORK/sample.csv"
{ echo SEQUENTIAL; sed -n "$((SAMPLE + 2)),\$p" "$WORK/phones.csv"; } >"$WORK/echo.csv"

SCEN=$ROOT/tests/sip/scenarios
ECHO_PORT=$(free_port single); SAMPLE_PORT=$(free_port single)
ECHO_MEDIA=$(free_port pair); METER_PORT=$(free_port single)
register() {  # csv port
  local n=$(($(wc -l <"$1") - 1))
  (cd "$WORK" && sipp -sf "$SCEN/bench_register.xml" -inf "$1" -p "$2" -mp "$(free_port pair)" \
     -cp "$(free_port single)" -r 200 -m "$n" -l 50 -nostdin -timeout 120 "$SIP" >"$WORK/register-$2.log" 2>&1) ||
    { echo "registering phones failed:"; tail -20 "$WORK/register-$2.log"; exit 1; }
}
register "$WORK/echo.csv" "$ECHO_PORT"
register "$WORK/sample.csv" "$SAMPLE_PORT"

# The jitter meter: RFC 3550 interarrival jitter per stream (by source
# address), every packet echoed back to its sender.
python3 - "$METER_PORT" "$WORK/jitter.json" <<'PY' &
import json, signal, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
streams = {}
def dump(*_):
    out = [{"packets": v["n"], "jitter_ms": v["samples"]} for v in streams.values() if v["n"] > 50]
    json.dump(out, open(sys.argv[2], "w")); sys.exit(0)
signal.signal(signal.SIGTERM, dump)
while True:
    data, addr = s.recvfrom(2048)
    now = time.monotonic()
    s.sendto(data, addr)
    if len(data) < 12 or (data[1] & 0x7f) != 0: continue
    ts = int.from_bytes(data[4:8], "big")
    st = streams.setdefault(addr, {"n": 0, "j": 0.0, "last": None, "samples": []})
    if st["last"] is not None:
        d = (now - st["last"][0]) * 8000 - ((ts - st["last"][1]) & 0xffffffff)
        if abs(d) < 8000: st["j"] += (abs(d) - st["j"]) / 16
        if st["n"] > 50: st["samples"].append(st["j"] / 8)  # ms
    st["last"] = (now, ts); st["n"] += 1
PY
METER_PID=$!; PIDS+=("$METER_PID")

(cd "$WORK" && exec sipp -sf "$SCEN/bench_agent.xml" -p "$ECHO_PORT" -mp "$ECHO_MEDIA" -rtp_echo -key rtpport "$ECHO_MEDIA" \
   -cp "$(free_port single)" -trace_logs -nostdin -timeout 900 -max_socket 4000 "$SIP" >"$WORK/agent-echo.log" 2>&1) &
PIDS+=("$!")
(cd "$WORK" && exec sipp -sf "$SCEN/bench_agent.xml" -p "$SAMPLE_PORT" -mp "$(free_port pair)" -key rtpport "$METER_PORT" \
   -cp "$(free_port single)" -trace_logs -nostdin -timeout 900 "$SIP" >"$WORK/agent-sample.log" 2>&1) &
PIDS+=("$!")
sleep 0.5

# Peak bridged calls, sampled from /metrics.
( peak=0
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    m=$(curl -s "http://$HTTP/metrics")
    v=$(printf '%s\n' "$m" | sed -n 's/^onestop_sip_calls{state="bridged"} \([0-9.e+]*\)$/\1/p' | cut -d. -f1)
    [ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" >"$WORK/peak"
    # What onestop itself measures on the legs it receives (p95 over the bridged legs, each second).
    printf '%s\n' "$m" | sed -n 's/^onestop_rtp_jitter_ms{quantile="0.95"} \([0-9.e+-]*\)$/\1/p' >>"$WORK/server_jitter"
    sleep 0.25
  done ) &
PIDS+=("$!")

head -c 16000 /dev/zero | tr '\0' '\377' >"$WORK/bench_silence.ulaw"  # µ-law silence, looped
CPU0=$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)
CMD=(sipp -sf "$SCEN/bench_caller.xml" -s 01632960000 -key caller 7 -set holdms $((HOLD * 1000))
     -r "$RATE" -l "$CONCURRENT" -m "$CALLS" -mp "$(free_port pair)" -p "$(free_port single)" -cp "$(free_port single)"
     -trace_logs -trace_stat -fd 1 -nostdin -timeout $((CALLS / RATE + HOLD + 120)) -max_socket 4000 "$SIP")
echo "command: ${CMD[*]}"
( cd "$WORK" && "${CMD[@]}" >"$WORK/caller.out" 2>&1 ) || true
sleep 2
CPU1=$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)
RSS=$(awk '/VmHWM/ {print $2}' /proc/$SERVER_PID/status)
TICKS=$(getconf CLK_TCK)
kill -TERM "$METER_PID" 2>/dev/null || true; wait "$METER_PID" 2>/dev/null || true

python3 - "$WORK" "$CALLS" "$CPU0" "$CPU1" "$TICKS" "$RSS" "$RATE" "$(cat "$WORK/peak" 2>/dev/null || echo 0)" <<'PY'
import csv, glob, json, re, sys
work, calls, cpu0, cpu1, ticks, rss, rate, peak = sys.argv[1:]
# sipp's [timestamp]: "2026-12-07<TAB>15:10:00.123456<TAB>1796656530.123456".
line = re.compile(r"\s(\d{9,}\.\d+)\s+(invite|answer)\s+(\S+)")
invites, answers = {}, {}
for f in glob.glob(work + "/*_logs.log"):
    for l in open(f, errors="replace"):
        m = line.search(l)
        if m:
            (invites if m.group(2) == "invite" else answers).setdefault(m.group(3), float(m.group(1)))
setup = sorted((answers[k] - invites[k]) * 1000 for k in answers if k in invites)
stat = sorted(glob.glob(work + "/bench_caller_*_.csv"))
ok = failed = retrans = 0
if stat:
    rows = list(csv.reader(open(stat[-1]), delimiter=";"))
    col = {name: i for i, name in enumerate(rows[0])}
    get = lambda n: int(rows[-1][col[n]]) if n in col and rows[-1][col[n]].strip() else 0
    ok, failed, retrans = get("SuccessfulCall(C)"), get("FailedCall(C)"), get("Retransmissions(C)")
def pct(v, p):
    return v[min(len(v) - 1, int(p / 100 * len(v)))] if v else float("nan")
try:
    streams = json.load(open(work + "/jitter.json"))
except (OSError, ValueError):
    streams = []
jit = sorted(x for s in streams for x in s["jitter_ms"])
finals = sorted(s["jitter_ms"][-1] for s in streams if s["jitter_ms"])
cpu = (int(cpu1) - int(cpu0)) / int(ticks)
print(f"calls attempted {calls} at {rate}/s: completed {ok}, failed {failed}, retransmissions {retrans}; "
      f"answered by an agent {len(answers)}")
print(f"set-up INVITE -> agent answered ms: p50 {pct(setup, 50):.0f}  p99 {pct(setup, 99):.0f}  (n={len(setup)})")
print(f"peak concurrent bridged {peak}")
print(f"relay jitter (caller -> agent, RFC 3550, {len(streams)} metered streams): p95 {pct(jit, 95):.2f} ms, "
      f"median {pct(jit, 50):.2f} ms; worst stream at its end {finals[-1] if finals else float('nan'):.2f} ms")
try:
    sj = sorted(float(x) for x in open(work + "/server_jitter").read().split() if float(x) > 0)
except (OSError, ValueError):
    sj = []
print(f"jitter onestop measured on what the bridged legs receive (/metrics onestop_rtp_jitter_ms p95 over legs, "
      f"sampled every 0.25 s): median of samples {pct(sj, 50):.2f} ms, worst {sj[-1] if sj else float('nan'):.2f} ms")
print(f"server CPU {cpu:.1f} s = {1000 * cpu / max(ok, 1):.2f} ms per call; peak RSS {int(rss) // 1024} MiB")
PY
