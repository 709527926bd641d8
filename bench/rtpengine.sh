#!/bin/bash
# bench/rtpengine.sh: rtpengine beside imsagw on the same SRTP<->RTP call.
#
#   bash bench/rtpengine.sh [BUILD_DIR] [--json FILE] [--calls "1 100 1000"] [--seconds S]
#
# Installs Debian's rtpengine-daemon if missing, runs it in userspace
# (--table=-1: no kernel module here) on loopback with its ng control port,
# sets up N calls through the ng protocol (bench/rtpengine/ng_setup.py: offer
# RTP/SAVP + a=crypto from the UE, transport-protocol=RTP/AVP to the core,
# and back), drives them with the SRTP stream imsagw-gen sends (incrementing
# sequence numbers from 65436, 160-byte payloads, a fresh key per call)
# through bench/rtpengine/imsagw-srtp-udp, closed loop (rtpengine stops
# reading a socket flooded for 5 reads of 50 packets), and measures its CPU
# time. Then the same calls through imsagw (memif, imsagw-gen, one worker
# core, its no-loss rate from a short search) in the same run. Prints both;
# --json writes the rows.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$TOP/build
JSON=
CALLS="1 100 1000"
SECS=3
while [ $# -gt 0 ]; do
	case $1 in
	--json) JSON=$2; shift ;;
	--calls) CALLS=$2; shift ;;
	--seconds) SECS=$2; shift ;;
	-*) echo "usage: $0 [BUILD_DIR] [--json FILE] [--calls LIST] [--seconds S]" >&2; exit 2 ;;
	*) BUILD=$1 ;;
	esac
	shift
done
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
SUITE=AES_CM_128_HMAC_SHA1_80
NG=127.0.0.1:22299
WORK=$(mktemp -d /tmp/imsagw-brtpe.XXXXXX)
RTPE_PID=
rows=()
# shellcheck source=bench/lib.sh
. "$TOP/bench/lib.sh"

log() { printf '[rtpengine] %s\n' "$*" >&2; }

cleanup() {
	[ -n "$RTPE_PID" ] && kill "$RTPE_PID" 2>/dev/null && wait "$RTPE_PID" 2>/dev/null
	bench_gw_stop
	rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v rtpengine >/dev/null; then
	log "installing rtpengine-daemon"
	for _ in 1 2 3 4 5 6; do
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			rtpengine-daemon >"$WORK/apt.log" 2>&1 && break
		sleep 10 # dpkg lock held by another install
	done
	command -v rtpengine >/dev/null || { log "cannot install rtpengine-daemon"; exit 1; }
fi
VER=$(rtpengine --version 2>&1 | sed -n 's/^Version: //p')

# CPU ticks (user + system) of a process.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

# a call holds 4 sockets in rtpengine and 2 in the driver
ulimit -n "$(ulimit -Hn)" 2>/dev/null
rtpengine --config-file=none --table=-1 --interface=127.0.0.1 --listen-ng=$NG \
	--foreground --log-stderr --log-level=4 --port-min=41000 --port-max=49999 \
	--timeout=600 >"$WORK/rtpengine.log" 2>&1 &
RTPE_PID=$!
sleep 1
kill -0 "$RTPE_PID" 2>/dev/null || { log "rtpengine did not start: $(tail -3 "$WORK/rtpengine.log")"; exit 1; }

for n in $CALLS; do
	python3 "$TOP/bench/rtpengine/ng_setup.py" --ng $NG --calls "$n" --suite $SUITE \
		--base 50000 --out "$WORK/calls-$n.txt" || { log "ng setup of $n calls failed"; continue; }
	c0=$(cpu_ticks "$RTPE_PID")
	out=$(timeout $((SECS + 30)) "$BUILD/bench/rtpengine/imsagw-srtp-udp" --calls "$WORK/calls-$n.txt" \
		--seconds "$SECS" --window 8 2>/dev/null)
	c1=$(cpu_ticks "$RTPE_PID")
	python3 "$TOP/bench/rtpengine/ng_setup.py" --ng $NG --calls "$n" --delete >/dev/null 2>&1
	rm -f "$WORK/calls-$n.txt"
	[ -n "$out" ] || { log "driver failed for $n calls"; continue; }
	row=$(python3 - "$out" "$c0" "$c1" "$HZ" "$n" "$VER" "$SUITE" <<-'EOF'
	import json, sys
	kv = dict(w.split("=", 1) for w in sys.argv[1].split())
	cpu = (float(sys.argv[3]) - float(sys.argv[2])) / float(sys.argv[4])
	got = int(kv["ai_got"]) + int(kv["ci_got"])
	secs = float(kv["seconds"])
	print(json.dumps({"bench": "rtpengine", "suite": sys.argv[7], "payload": 160,
	    "direction": "both", "flows": int(sys.argv[5]), "kpps": got / secs / 1e3,
	    "mpps": got / secs / 1e6, "cpu_seconds": cpu,
	    "kpps_per_core": (got / cpu / 1e3) if cpu > 0 else 0,
	    "bad": int(kv["ai_bad"]) + int(kv["ci_bad"]), "timeouts": int(kv["timeouts"]),
	    "version": sys.argv[6], "mode": "userspace, closed loop, window 8"}))
	EOF
	)
	rows+=("$row")
	echo "$row" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("rtpengine %s: %5d calls: %7.1f kpps forwarded (both directions), %.2f CPU-s of rtpengine -> %.1f kpps per core, %d bad" % (r["version"], r["flows"], r["kpps"], r["cpu_seconds"], r["kpps_per_core"], r["bad"]))'
done
kill "$RTPE_PID" 2>/dev/null; wait "$RTPE_PID" 2>/dev/null; RTPE_PID=

# imsagw, same run, same calls and stream shape (memif, one worker core): a
# gateway per call count, stopped while the generator still holds its memif
# ports (--hold; bench/lib.sh says why).
CONF=$TOP/configs/examples/memif-bench.conf
mkdir -p /run/imsagw
for n in $CALLS; do
	bench_gw_start || { log "imsagw did not start: $(tail -3 "$WORK/gw.err")"; break; }
	timeout -k 5 120 "$BUILD/bench/gen/imsagw-gen" --iq 127.0.0.1:12955,127.0.0.1:12954 \
		--iq-wait 3000 --calls "$n" --search 3 --hold 20 \
		--suite $SUITE --duration 1 --json "$WORK/g-$n.json" -- \
		-l 0 --no-huge -m 512 --no-pci --file-prefix=imsagw-bgen --log-level='*:error' \
		--vdev=net_memif0,role=client,id=0,socket=/run/imsagw/memif-access.sock,mac=02:00:00:00:0a:02 \
		--vdev=net_memif1,role=client,id=0,socket=/run/imsagw/memif-core.sock,mac=02:00:00:00:0c:02 \
		>"$WORK/g-$n.txt" 2>&1 &
	gen_pid=$!
	bench_gen_wait_hold "$gen_pid" "$WORK/g-$n.txt"
	bench_gw_stop
	wait "$gen_pid" || { log "imsagw-gen $n calls failed: $(tail -2 "$WORK/g-$n.txt")"; continue; }
	row=$(python3 - "$WORK/g-$n.json" <<-'EOF'
	import json, sys
	r = [x for x in json.load(open(sys.argv[1])) if x["bench"] == "e2e-memif"]
	mpps = sum(x["mpps"] for x in r)
	print(json.dumps({"bench": "rtpengine-imsagw", "suite": r[0]["suite"], "payload": 160,
	    "direction": "both", "flows": r[0]["flows"], "mpps": mpps, "kpps": mpps * 1e3,
	    "loss": max(x["loss"] for x in r),
	    "mode": "memif, no-loss rate (3-step search), 1 worker core"}))
	EOF
	)
	rows+=("$row")
	echo "$row" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("imsagw         : %5d calls: %7.1f kpps forwarded (both directions) on 1 worker core, loss %.3f%%" % (r["flows"], r["kpps"], 100 * r["loss"]))'
done
if [ -n "$JSON" ]; then
	(IFS=,; echo "[${rows[*]}]") >"$JSON"
fi
