#!/bin/bash
# bench/pktgen/run.sh: the pktgen scripts against the real gateway over
# net_memif, each with a gateway of its own, results as JSON rows.
#
#   bash bench/pktgen/run.sh BUILD_DIR PKTGEN [--quick] [--json FILE]
#
# PKTGEN is a Pktgen-DPDK 23.03 binary built with Lua (docs/pktgen.md). For
# each script: start imsagw on configs/examples/memif-bench.conf (sockets,
# EAL prefix and Iq ports of this run's own), set the calls up and write the
# pcaps (make-pcaps.sh, over the admin socket), run pktgen on the script
# with the memif MTU shim (mtu_shim.c, built here with cc), wait for its
# "done", stop the gateway, then let pktgen go (it holds its ports until the
# gateway closed them: net_memif unmaps rings under a polling peer).
#
#   core-rtp       core -> access, RTP in, SRTP out (protect path), 100
#                  SRTP calls; the pcap is sized for the steps (first pass)
#   udp-baseline   core -> access through 100 relay calls (udp.pcap looped:
#                  a relay keeps no replay state)
#   latency-bypass pktgen's latency probes through a core-to-core relay
#
# CPUs: the gateway's worker on CPU 1 (memif-bench.conf), pktgen's main and
# worker lcores on CPU 0 (--lcores 0@0,1@0) with the gateway's control
# thread. Every step is bounded; only processes started here are stopped.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:?usage: $0 BUILD_DIR PKTGEN [--quick] [--json FILE]}
PKTGEN=${2:?usage: $0 BUILD_DIR PKTGEN [--quick] [--json FILE]}
shift 2
QUICK=0
JSON=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--json) JSON=$2; shift ;;
	*) echo "usage: $0 BUILD_DIR PKTGEN [--quick] [--json FILE]" >&2; exit 2 ;;
	esac
	shift
done
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
WORK=$(mktemp -d /tmp/imsagw-pktgen.XXXXXX)
I=${INSTANCE:-}
PG_PID=
# the gateway's life cycle: bench/lib.sh on $CONF (admin socket in $WORK)
CONF=$WORK/gw.conf
# shellcheck source=bench/lib.sh
. "$TOP/bench/lib.sh"

log() { printf '[pktgen] %s\n' "$*" >&2; }

stop_pid() {
	local pid=$1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid"
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	wait "$pid" 2>/dev/null
}

cleanup() {
	bench_gw_stop
	stop_pid "$PG_PID"
	rm -f "/dev/hugepages/imsagw-pkgw${I}map_"* 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# The MTU shim (pktgen panics on net_memif's -ENOTSUP otherwise).
cc -shared -fPIC -O2 -Wall -Wextra -Werror $(pkg-config --cflags libdpdk) \
	-o "$WORK/mtu_shim.so" "$TOP/bench/pktgen/mtu_shim.c" -ldl ||
	{ log "cannot build mtu_shim.so"; exit 1; }

# memif-bench.conf on this run's own sockets, prefix and Iq ports
mkdir -p "$WORK/sock"
sed -e "s|/run/imsagw/memif-access.sock|$WORK/sock/a.sock|" \
	-e "s|/run/imsagw/memif-core.sock|$WORK/sock/c.sock|" \
	-e "s|--file-prefix=imsagw-bench|--file-prefix=imsagw-pkgw$I|" \
	-e 's|12955|12985|g' -e 's|12954|12984|g' \
	"$TOP/configs/examples/memif-bench.conf" >"$WORK/gw.conf"

gw_start() {
	bench_gw_start && return 0
	log "gateway did not start: $(tail -3 "$WORK/gw.err")"
	return 1
}

# pg NAME SCRIPT PCAP|- SECONDS [VAR=VALUE...]: one pktgen run of SCRIPT
# against a fresh gateway; its result lines in $WORK/NAME.txt.
pg() {
	local name=$1 script=$2 pcap=$3 secs=$4 s=
	shift 4
	gw_start || return 1
	(cd "$WORK" && INSTANCE=$I timeout -k 5 120 bash "$TOP/bench/pktgen/make-pcaps.sh" "$BUILD" \
		--admin "$WORK/admin.sock" 100 "$PKTS" >"$WORK/$name-pcaps.txt" 2>&1) ||
		{ log "$name: make-pcaps.sh failed: $(tail -2 "$WORK/$name-pcaps.txt")"; return 1; }
	[ "$pcap" = - ] || s="-s 0:$WORK/$pcap"
	# pktgen port 0 is the core port: pktgen paces an lcore's ports by
	# its first port's rate, and every script sends on the core side
	# shellcheck disable=SC2086
	(cd "$WORK" && set -a && . ./pcaps.env && set +a &&
		env IMSAGW_HOLD_MS=20000 "$@" LD_PRELOAD="$WORK/mtu_shim.so" \
		timeout -k 5 "$secs" "$PKTGEN" --lcores=0@0,1@0 -n 1 --no-huge -m 4096 --no-pci \
		--file-prefix="imsagw-pkpg$I" \
		"--vdev=net_memif0,role=client,id=0,socket=$WORK/sock/c.sock,mac=02:00:00:00:0c:02" \
		"--vdev=net_memif1,role=client,id=0,socket=$WORK/sock/a.sock,mac=02:00:00:00:0a:02" \
		-- -P -m "1.[0-1]" $s -f "$TOP/bench/pktgen/$script" \
		</dev/null >"$WORK/$name.out" 2>"$WORK/$name.err") &
	PG_PID=$!
	while kill -0 "$PG_PID" 2>/dev/null && ! grep -aq '^imsagw-pktgen: done' "$WORK/$name.out" 2>/dev/null; do
		sleep 0.5
	done
	kill -0 "$GW_PID" 2>/dev/null || log "$name: the gateway died (see $WORK/gw.err)"
	bench_gw_stop
	wait "$PG_PID"
	PG_PID=
	grep -a '^imsagw-pktgen: ' "$WORK/$name.out" | sed 's/^imsagw-pktgen: //' >"$WORK/$name.txt"
	sed 's/^/    /' "$WORK/$name.txt" >&2
	grep -q '^done' "$WORK/$name.txt" ||
		{ log "$name: pktgen did not finish: $(tail -3 "$WORK/$name.err")"; return 1; }
}

STEP=3000
# core-rtp: the last step (max) runs past the pcap's first pass on purpose:
# its line shows what a looped RTP pcap measures (rates only)
CPPS="50000,100000,200000,max"
UPPS="250000,500000,1000000,max"
[ $QUICK = 1 ] && { CPPS="50000,100000,max"; UPPS="250000,max"; }
# core-rtp.pcap: the packets of every numeric core-rtp step and 20 % more, in
# 100 calls. pktgen keeps the whole pcap in memory (~0.5 KB a packet, beside
# its own pools): with -m 4096, 1.26M packets load, 2.5M do not; so at most
# 13000 a call.
sum=0
for p in ${CPPS//,/ }; do [ "$p" = max ] || sum=$((sum + p * STEP / 1000)); done
PKTS=$((sum * 12 / 10 / 100))
[ $PKTS -gt 13000 ] && PKTS=13000
log "core-rtp: 100 SRTP calls, $PKTS packets each, steps $CPPS pps x $STEP ms"
pg core-rtp core-rtp.lua core-rtp.pcap 300 IMSAGW_PPS=$CPPS IMSAGW_STEP_MS=$STEP
PKTS=2000
log "udp-baseline: 100 relay calls, udp.pcap looped, steps $UPPS pps x $STEP ms"
pg udp-baseline udp-baseline.lua udp.pcap 180 IMSAGW_PPS=$UPPS IMSAGW_STEP_MS=$STEP
log "latency-bypass: probes through a core-to-core relay beside 100000 pps"
pg latency-bypass latency-bypass.lua - 120 IMSAGW_PPS=100000 IMSAGW_STEP_MS=$((STEP * 2))

# JSON rows: bench "pktgen", one per step (core-in: what enters on the core
# side), and one "pktgen-latency"
[ -n "$JSON" ] && python3 - "$WORK" >"$JSON" <<-'EOF'
import json, os, re, sys
rows = []
suite = {"core-rtp": "AES_CM_128_HMAC_SHA1_80", "udp-baseline": "RTP"}
for name in ("core-rtp", "udp-baseline"):
    p = os.path.join(sys.argv[1], name + ".txt")
    if not os.path.exists(p):
        continue
    for line in open(p):
        if not line.startswith("step "):
            continue
        kv = dict(w.split("=", 1) for w in line.split() if "=" in w)
        rows.append({"bench": "pktgen", "script": name, "suite": suite[name], "payload": 160,
                     "direction": "core-in", "flows": 100, "want_pps": kv["want"],
                     "rate_pct": float(kv["rate"]), "tx_mpps": float(kv["tx_pps"]) / 1e6,
                     "mpps": float(kv["rx_pps"]) / 1e6, "tx": int(kv["tx"]), "rx": int(kv["rx"]),
                     "valid": "replay" not in line})
p = os.path.join(sys.argv[1], "latency-bypass.txt")
if os.path.exists(p):
    for line in open(p):
        m = re.search(r"tx_pps=(\d+) rx_pps=(\d+) probes=(\d+) .*min_us=([\d.]+) "
                      r"avg_us=([\d.]+) max_us=([\d.]+)", line)
        if m:
            rows.append({"bench": "pktgen-latency", "suite": "RTP", "payload": 160,
                         "direction": "core-core", "flows": 1,
                         "tx_mpps": int(m.group(1)) / 1e6, "mpps": int(m.group(2)) / 1e6,
                         "probes": int(m.group(3)), "min_us": float(m.group(4)),
                         "avg_us": float(m.group(5)), "max_us": float(m.group(6))})
print(json.dumps(rows))
EOF
exit 0
