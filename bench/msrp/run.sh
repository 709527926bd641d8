#!/usr/bin/env bash
# bench/msrp/run.sh: the MSRP relay's benchmarks (issue 12), in one run on
# this machine, against Debian's haproxy as the peer to beat. Needs root.
#
#   bash bench/msrp/run.sh [--rounds 3] [--hs 1000] [--conns 8] [--seconds 5]
#                          [--window 32] [--json FILE] [--only CASES]
#   (BUILD=build by default; INSTANCE=mb unless set: namespaces, sockets and
#   the EAL prefix get that suffix, tests/integration/lib.sh)
#
# Topology: the real gateway on its two net_tap ports with the UE and core
# namespaces of the integration tests; haproxy (nbthread 1) and a plain
# kernel relay in a namespace of their own ("px") joined to the same UE and
# core namespaces by veth pairs. The load is bench/msrp/imsagw-msrp-load:
# the client in the UE namespace, the core peer (answers every SEND 200 OK)
# in the core namespace on port 7654 of every address.
#
# Cases (each one run of imsagw-msrp-load; the gateway's contexts are made
# over the admin socket before and deleted after each run):
#   gw-hs13, gw-hs12   full handshakes/s through the gateway: --hs sessions,
#                      each a fresh TLS connection (ECDHE-ECDSA P-256,
#                      mutual, TLS 1.3 / 1.2, no resumption) to a termination
#                      of its own, authenticated by fingerprint, one SEND
#                      answered 200 OK through the core leg, closed
#   px-hs13, px-hs12   the same through haproxy (TLS-terminating TCP proxy,
#                      our certificate, the UE's certificate required and
#                      verified as its own CA)
#   gw-tls, gw-tcp     MSRP payload relayed end to end, Gbit/s: --conns
#                      connections, each keeping --window 2 KB SENDs in
#                      flight for --seconds (every one answered 200 OK):
#                      UE TLS (or TCP) -> DPDK port -> exception path ->
#                      relay -> exception path -> DPDK port -> core TCP
#   px-tls, px-tcp     the same through haproxy (TLS / plain TCP frontend)
#   path-tap           the gateway's path alone: the same TCP load through
#                      the gateway's DPDK ports and exception interfaces to
#                      a plain kernel TCP relay (imsagw-msrp-load relay) in
#                      the data plane namespace instead of the msrp relay
#   path-veth          that relay on the veth path (no DPDK, no TAP)
#   gwv-hs13, gwv-hs12, gwv-tls, gwv-tcp
#                      the gateway's own relay with its DPDK path bypassed:
#                      veth pairs straight into its data plane namespace (what
#                      a NIC queue steered to the kernel would give it), so
#                      its relay and TLS are measured on haproxy's path
# Gateway and haproxy alternate per figure (A/B, then B/A the next round).
# Each row gives the figure and the CPU seconds the relaying process used
# during the run (the gateway's control thread, which runs the msrp relay
# when lcores.msrp is empty as here; haproxy's one thread; the relay), so
# "per CPU-second" is the figure per core on a shared box.
# Output: one "row ..." line per run, then a table of medians [min-max];
# --json writes the rows for bench/report.py's directory.
set -u
INSTANCE=${INSTANCE:-mb}
. "$(dirname "$0")/../../tests/integration/lib.sh"
ROUNDS=3; HS=1000; CONNS=8; SECS=5; WINDOW=32; JSON=; ONLY=
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) ROUNDS=$2; shift ;;
	--hs) HS=$2; shift ;;
	--conns) CONNS=$2; shift ;;
	--seconds) SECS=$2; shift ;;
	--window) WINDOW=$2; shift ;;
	--json) JSON=$2; shift ;;
	--only) ONLY=$2; shift ;;
	*) echo "usage: $0 [--rounds N] [--hs N] [--conns N] [--seconds S] [--window W] [--json FILE] [--only CASES]" >&2
		exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || die "needs root"
PY=$(command -v /usr/bin/python3 || command -v python3)
LOAD=$BUILD/bench/msrp/imsagw-msrp-load
BATCH="$PY $TOP/bench/msrp/admin_batch.py"
[ -x "$LOAD" ] || die "$LOAD not built"
command -v haproxy >/dev/null || die "haproxy not installed (apt-get install haproxy)"
KPORT=7654
PX=$N-px
PXPORT=61443; PXPLAIN=61080; RELAYPORT=61000
CASES="gw-hs13 px-hs13 pxt-hs13 gwv-hs13 gw-hs12 px-hs12 pxt-hs12 gwv-hs12 gw-tls px-tls pxt-tls
 gwv-tls gw-tcp px-tcp pxt-tcp gwv-tcp path-tap path-veth"
[ -n "$ONLY" ] && CASES=$ONLY

# --- certificates: ECDSA P-256, self-signed, the gateway's and the UE's -----
CERTS=$(mktemp -d /tmp/msrp-bench-certs.XXXXXX)
for n in gw ue; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
		-keyout "$CERTS/$n.key" -out "$CERTS/$n.pem" -subj "/CN=$n" 2>/dev/null || die "certificate $n"
done
cat "$CERTS/gw.pem" "$CERTS/gw.key" >"$CERTS/gw-haproxy.pem"
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^.*=/SHA-256 /'; }
gw_fp=$(fp "$CERTS/gw.pem"); ue_fp=$(fp "$CERTS/ue.pem")

# --- the gateway: as test_msrp_scale.sh configures it ------------------------
sed -e "s|certificate = \"\";|certificate = \"$CERTS/gw.pem\";|" \
	-e "s|private_key = \"\";|private_key = \"$CERTS/gw.key\";|" \
	-e "s|tcp_min = [0-9]*;|tcp_min = 12000;|" \
	-e "s|tcp_max = [0-9]*;|tcp_max = 59999;\n\t\texception_tcp_rate = 0;\n\t\texception_rate = 0;|" \
	-e 's|level = "notice"|level = "warning"|' "$CONF" >"$WORK/bench.conf"
[ "$(grep -c 'exception_rate = 0;' "$WORK/bench.conf")" = 2 ] || die "could not set the policers"
CONF=$WORK/bench.conf
ulimit -n "$(ulimit -Hn)"
gw_start

SRV=; SRVV=; PXP=; PXT=; RELAYS=
stop_pid() { [ -n "${1:-}" ] && kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null; }
trap 'stop_pid "$SRV"; stop_pid "$SRVV"; stop_pid "$PXP"; stop_pid "$PXT"; for p in $RELAYS; do stop_pid $p; done
	for ns in "$PX" "$VU" "$VC"; do ip netns del "$ns" 2>/dev/null; done; rm -rf "$CERTS"; cleanup' EXIT

# --- the proxy namespace: veth to the UE (10.90.1.0/24) and core (10.90.2.0/24)
ip netns del "$PX" 2>/dev/null
ip netns add "$PX"
ip netns exec "$PX" ip link set lo up
veth() { # ns-peer name-px name-peer px-addr peer-addr
	ip link add "$2" netns "$PX" type veth peer name "$3" netns "$1" || die "veth $2"
	ip netns exec "$PX" ip addr add "$4/24" dev "$2"
	ip netns exec "$PX" ip link set "$2" up
	ip netns exec "$1" ip addr add "$5/24" dev "$3"
	ip netns exec "$1" ip link set "$3" up
}
veth "$UE" "${N}pu" "${N}up" 10.90.1.1 10.90.1.2
veth "$CORE" "${N}pc" "${N}cp" 10.90.2.1 10.90.2.2
# Client ports: many handshakes to one proxy port within TIME_WAIT's minute.
for ns in "$UE" "$PX"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_tw_reuse=1
done
# The relay and haproxy in the data plane namespace listen and connect from
# ports outside the gateway's MSRP range (12000-59999 here), so that its port
# pool never meets them; TCP to those ports takes the same exception path
# (the worker's to_exc) under the junk policer, which the config turns off
# like the MSRP one. The gateway's own sockets and sysctls stay as they are.
ip netns exec "$DPNS" sysctl -qw net.ipv4.ip_local_port_range="62000 65000"

# --- the gateway's relay without its DPDK path ("gwv"): a second UE host
# (192.0.2.3) and core host (198.51.100.3), each in a namespace of its own on
# a veth pair straight into the data plane namespace, with /32 routes there.
# The gateway's kernel sockets then get the bytes as a NIC queue steered to
# the kernel (flow bifurcation) would hand them over: same relay, same
# sockets, no TAP. Only routes are added to that namespace.
VU=$N-vu; VC=$N-vc
bypass() { # ns if-host if-dp host-addr gw-addr
	ip netns del "$1" 2>/dev/null
	ip netns add "$1"
	ip netns exec "$1" ip link set lo up
	ip link add "$2" netns "$1" type veth peer name "$3" netns "$DPNS" || die "veth $2"
	ip netns exec "$1" ip addr add "$4/32" dev "$2"
	ip netns exec "$1" ip link set "$2" up
	ip netns exec "$1" ip route add "$5/32" dev "$2"
	ip netns exec "$DPNS" ip link set "$3" up
	ip netns exec "$DPNS" ip route add "$4/32" dev "$3"
}
bypass "$VU" "${N}vu0" "${N}vu1" 192.0.2.3 192.0.2.1
bypass "$VC" "${N}vc0" "${N}vc1" 198.51.100.3 198.51.100.1
ip netns exec "$VU" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"

# --- the core peers and the relays -------------------------------------------
ip netns exec "$CORE" "$LOAD" server --listen 0.0.0.0:$KPORT --timeout 3600 --label core \
	>"$WORK/srv.out" 2>&1 &
SRV=$!
ip netns exec "$VC" "$LOAD" server --listen 198.51.100.3:$KPORT --timeout 3600 --label core-v \
	>"$WORK/srv-v.out" 2>&1 &
SRVV=$!
ip netns exec "$DPNS" "$LOAD" relay --listen 192.0.2.1:$RELAYPORT --to 198.51.100.2:$KPORT \
	--timeout 3600 --label relay-tap >"$WORK/relay-tap.out" 2>&1 &
RELAY_TAP=$!
ip netns exec "$PX" "$LOAD" relay --listen 10.90.1.1:$RELAYPORT --to 10.90.2.2:$KPORT \
	--timeout 3600 --label relay-veth >"$WORK/relay-veth.out" 2>&1 &
RELAY_VETH=$!
RELAYS="$RELAY_TAP $RELAY_VETH"

# --- haproxy: one thread, TLS terminated with our certificate, the UE's
# certificate required (its own CA: only that self-signed one is accepted).
# Two of them: "px" in its namespace on the veth path, and "pxt" in the data
# plane namespace behind the gateway's DPDK ports and exception interfaces,
# the path the gateway's own relay has (same load, same path, other relay).
haproxy_cfg() { # listen-address backend-address
	cat <<EOF
global
	nbthread 1
	maxconn 9000
	tune.ssl.cachesize 0
	ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets
	ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256
	ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256
defaults
	mode tcp
	timeout connect 5s
	timeout client 120s
	timeout server 120s
frontend msrps
	bind $1:$PXPORT ssl crt $CERTS/gw-haproxy.pem verify required ca-file $CERTS/ue.pem curves P-256
	default_backend core
frontend msrp
	bind $1:$PXPLAIN
	default_backend core
backend core
	server core $2:$KPORT
EOF
}
haproxy_cfg 10.90.1.1 10.90.2.2 >"$WORK/haproxy-px.cfg"
haproxy_cfg 192.0.2.1 198.51.100.2 >"$WORK/haproxy-pxt.cfg"
ip netns exec "$PX" haproxy -db -f "$WORK/haproxy-px.cfg" >"$WORK/haproxy-px.log" 2>&1 &
PXP=$!
ip netns exec "$DPNS" haproxy -db -f "$WORK/haproxy-pxt.cfg" >"$WORK/haproxy-pxt.log" 2>&1 &
PXT=$!
sleep 1
for p in $SRV $SRVV $RELAY_TAP $RELAY_VETH $PXP $PXT; do
	kill -0 "$p" 2>/dev/null || { cat "$WORK"/*.out "$WORK"/haproxy-*.log >&2; die "a helper did not start"; }
done
HAPROXY_VER=$(haproxy -v | sed -n 's/^HAProxy version \([^ ]*\).*/\1/p')

# CPU ticks (user + system) of a process or one of its threads.
HZ=$(getconf CLK_TCK)
# The media worker's thread (it busy-polls: its CPU is the share of a CPU
# the box gives it, which bounds the exception path's packets/s).
WORKER_TID=$(grep -l '^rte-worker' /proc/"$GW_PID"/task/*/comm | head -1 | cut -d/ -f5)
[ -n "$WORKER_TID" ] || WORKER_TID=$GW_PID
ticks() { awk '{print $14 + $15}' "/proc/$1/task/${2:-$1}/stat"; }

# --- the gateway's contexts for one run --------------------------------------
CTX=100000
ctx_add() { # n transport(msrp-tls|msrp) [ue-host core-host]
	local i c fpa='' ue=${3:-192.0.2.2} core=${4:-198.51.100.2}
	[ "$2" = msrp-tls ] && fpa="fp=${ue_fp/ /+}"
	for i in $(seq 1 "$1"); do
		c=$((CTX + i))
		echo "context add ctx=$c"
		echo "term add ctx=$c realm=access transport=$2 remote=$ue rport=9 setup=active $fpa"
		echo "term add ctx=$c realm=core transport=msrp remote=$core rport=$KPORT setup=passive"
	done >"$WORK/add.cmds"
	if ! $BATCH --socket "$SOCK" <"$WORK/add.cmds" >"$WORK/add.out"; then
		log "contexts: $(grep -v '^ok' "$WORK/add.out" | sort | uniq -c | head -3)"
		return 1
	fi
	awk 'NR % 3 == 2' "$WORK/add.out" | tr ' ' '\n' | sed -n 's/^port=//p' >"$WORK/ports"
}
ctx_del() { # n
	# (a context that was not made answers "error": not ours to count)
	seq $((CTX + 1)) $((CTX + $1)) | sed 's/^/context delete ctx=/' |
		$BATCH --socket "$SOCK" >/dev/null
	CTX=$((CTX + $1 + 10))
}

# Packets the gateway's media worker passed to and from its exception
# interfaces, and its drops (any reason), so far.
exc_drops() {
	ctl stats | tr ' ' '\n' | awk -F= '/^(to_exc|from_exc)=/ { e += $2 } /^drop_/ { d += $2 }
		END { print e + 0, d + 0 }'
}

# One client run: row NAME ROUND PID TID -- client args. Prints "row ...":
# the figure, the relaying process's CPU seconds, the exception path's
# packets/s and the worker's drops over the run.
row() {
	local name=$1 round=$2 pid=$3 tid=$4 t0 t1 w0 w1 e0 e1 d0 d1 k0 k1 res v cpu s ns=$UE
	shift 5
	[ "${name%%-*}" = gwv ] && ns=$VU
	read -r e0 d0 <<<"$(exc_drops)"
	t0=$(ticks "$pid" "$tid"); k0=$(ticks "$GW_PID" "$WORKER_TID"); w0=$(date +%s.%N)
	ip netns exec "$ns" "$LOAD" client --label "$name" --timeout 300 "$@" >"$WORK/$name.out" 2>&1
	t1=$(ticks "$pid" "$tid"); k1=$(ticks "$GW_PID" "$WORKER_TID"); w1=$(date +%s.%N)
	read -r e1 d1 <<<"$(exc_drops)"
	res=$(grep '^result' "$WORK/$name.out")
	cpu=$(echo "scale=3; ($t1 - $t0) / $HZ" | bc)
	case $name in *hs*) v=$(kv "$res" hs_per_s); s=$(kv "$res" setup_s) ;;
	*) v=$(kv "$res" gbps); s=$(kv "$res" active_s) ;; esac
	echo "row case=$name round=$round value=$v seconds=$s cpu_s=$cpu status=$(kv "$res" status)" \
		"up=$(kv "$res" up) failed=$(kv "$res" failed) sends=$(kv "$res" sends) oks=$(kv "$res" oks)" \
		"resumed=$(kv "$res" resumed) exc_pps=$(echo "($e1 - $e0) / ($w1 - $w0)" | bc)" \
		"worker_drops=$((d1 - d0)) worker_cpu=$(echo "scale=3; ($k1 - $k0) / $HZ / ($w1 - $w0)" | bc)" \
		"load=$(cut -d' ' -f1 /proc/loadavg)"
	[ "$(kv "$res" status)" = ok ] || log "$name round $round: $(tail -3 "$WORK/$name.out")"
}

run_case() { # case round
	local c=$1 r=$2 v tls=() addrs=() pid host port
	local tput=(--active "$CONNS" --window "$WINDOW" --seconds "$SECS") hs=(--churn --concurrency 64)
	case $c in
	*-hs12) v=1.2 ;;
	*) v=1.3 ;;
	esac
	case $c in *-hs1? | *-tls)
		tls=(--tls-version "$v" --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" --peer-fp "$gw_fp") ;;
	esac
	case $c in
	gw-hs1? | gwv-hs1?)
		[ "${c%%-*}" = gwv ] && addrs=(192.0.2.3 198.51.100.3)
		ctx_add "$HS" msrp-tls "${addrs[@]}" || { echo "row case=$c round=$r status=setup-failed"; ctx_del "$HS"; return; }
		row "$c" "$r" "$GW_PID" "$GW_PID" -- --connect "192.0.2.1:@$WORK/ports" "${hs[@]}" "${tls[@]}"
		ctx_del "$HS" ;;
	gw-tls | gw-tcp | gwv-tls | gwv-tcp)
		[ "${c%%-*}" = gwv ] && addrs=(192.0.2.3 198.51.100.3)
		ctx_add "$CONNS" "$([ "${c#*-}" = tls ] && echo msrp-tls || echo msrp)" "${addrs[@]}" ||
			{ echo "row case=$c round=$r status=setup-failed"; ctx_del "$CONNS"; return; }
		row "$c" "$r" "$GW_PID" "$GW_PID" -- --connect "192.0.2.1:@$WORK/ports" "${tput[@]}" "${tls[@]}"
		ctx_del "$CONNS" ;;
	px-* | pxt-*)
		host=10.90.1.1; port=$PXPORT; pid=$PXP
		[ "${c%%-*}" = pxt ] && { host=192.0.2.1; pid=$PXT; }
		[ "${c#*-}" = tcp ] && port=$PXPLAIN
		case $c in
		*-hs1?) row "$c" "$r" "$pid" "$pid" -- --connect "$host:$port" --conns "$HS" "${hs[@]}" "${tls[@]}" ;;
		*) row "$c" "$r" "$pid" "$pid" -- --connect "$host:$port" --conns "$CONNS" "${tput[@]}" "${tls[@]}" ;;
		esac ;;
	path-tap)
		row "$c" "$r" "$RELAY_TAP" "$RELAY_TAP" -- --connect "192.0.2.1:$RELAYPORT" --conns "$CONNS" "${tput[@]}" ;;
	path-veth)
		row "$c" "$r" "$RELAY_VETH" "$RELAY_VETH" -- --connect "10.90.1.1:$RELAYPORT" --conns "$CONNS" "${tput[@]}" ;;
	esac
}

log "msrp bench: $ROUNDS rounds, $HS handshakes, $CONNS connections x window $WINDOW x 2 KB for $SECS s;" \
	"haproxy $HAPROXY_VER; load $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/rows"
for r in $(seq 1 "$ROUNDS"); do
	# gateway first in odd rounds, haproxy first in even ones: each
	# figure's group (gw-x px-x pxt-x gwv-x) in the opposite order
	list=$CASES
	[ $((r % 2)) = 0 ] && list=$(echo $CASES | tr ' ' '\n' | awk -F- '
		$1 ~ /^(gw|px|pxt|gwv)$/ { g[$2] = $0 " " g[$2]; if (!($2 in seen)) { seen[$2] = 1; o[n++] = $2 } next }
		{ rest = rest " " $0 }
		END { for (i = 0; i < n; i++) printf "%s", g[o[i]]; print rest }')
	for c in $list; do
		# (not in a pipe: ctx_del moves CTX on in this shell)
		run_case "$c" "$r" >"$WORK/row"
		cat "$WORK/row" >>"$WORK/rows"
		cat "$WORK/row"
	done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
kill -0 "$GW_PID" 2>/dev/null || log "the gateway died (see its log)"

"$PY" - "$WORK/rows" "$JSON" "$LOAD0" "$LOAD1" "$HAPROXY_VER" "$HS" "$CONNS" "$WINDOW" "$SECS" <<'EOF'
import json, statistics, sys
rows_f, json_f, load0, load1, hver, hs, conns, window, secs = sys.argv[1:]
rows = []
for ln in open(rows_f):
    if ln.startswith("row "):
        rows.append(dict(w.split("=", 1) for w in ln.split()[1:]))
def med(case, key):
    v = [float(r[key]) for r in rows if r["case"] == case and r["status"] == "ok"
         and r.get(key) not in (None, "")]
    return (statistics.median(v), min(v), max(v)) if v else None
def fmt(t, f="%.3f"):
    return "-" if t is None else (f % t[0]) + " [" + (f % t[1]) + "-" + (f % t[2]) + "]"
def per_cpu(case):
    v = [float(r["value"]) * float(r["seconds"]) / float(r["cpu_s"]) for r in rows
         if r["case"] == case and r["status"] == "ok" and float(r.get("cpu_s") or 0) > 0]
    return (statistics.median(v), min(v), max(v)) if v else None
print("\nMSRP relay (issue 12): imsagw vs haproxy %s (nbthread 1), median [min-max] of %d rounds; "
      "load %s -> %s" % (hver, len({r["round"] for r in rows}), load0, load1))
print("%-10s %-26s %-18s %-24s %-20s %s" % ("case", "figure", "relay CPU s", "per CPU-second",
                                          "exception pkt/s", "failed"))
out = []
for case in dict.fromkeys(r["case"] for r in rows):
    unit = "hs/s" if "hs" in case else "Gbit/s"
    f = "%.0f" if "hs" in case else "%.3f"
    m, c, p = med(case, "value"), med(case, "cpu_s"), per_cpu(case)
    bad = sum(1 for r in rows if r["case"] == case and r["status"] != "ok")
    e = med(case, "exc_pps")
    print("%-10s %-26s %-18s %-24s %-20s %d" % (case, fmt(m, f) + " " + unit, fmt(c, "%.2f"),
                                             fmt(p, f), fmt(e, "%.0f"), bad))
    out.append({"bench": "msrp", "suite": case, "payload": 2048, "direction": unit,
                "flows": int(hs) if "hs" in case else int(conns), "median": m and m[0],
                "min": m and m[1], "max": m and m[2], "per_cpu_s": p and p[0],
                "cpu_s": c and c[0], "exc_pps": e and e[0], "failed_runs": bad,
                "window": int(window)})
for a, b in (("gw-hs13", "px-hs13"), ("gw-hs13", "pxt-hs13"), ("gw-hs12", "px-hs12"),
             ("gw-hs12", "pxt-hs12"), ("gw-tls", "px-tls"), ("gw-tls", "pxt-tls"),
             ("gw-tcp", "px-tcp"), ("gw-tcp", "pxt-tcp"), ("gw-tcp", "path-tap"),
             ("path-tap", "path-veth"), ("gwv-hs13", "px-hs13"), ("gwv-hs12", "px-hs12"),
             ("gwv-tls", "px-tls"), ("gwv-tcp", "px-tcp"), ("gwv-tcp", "path-veth")):
    ma, mb = med(a, "value"), med(b, "value")
    pa, pb = per_cpu(a), per_cpu(b)
    if ma and mb and mb[0] > 0:
        print("  %s / %s: %.2fx (per CPU-second %s)" % (a, b, ma[0] / mb[0],
              "%.2fx" % (pa[0] / pb[0]) if pa and pb and pb[0] else "-"))
if json_f:
    json.dump(out, open(json_f, "w"), indent=1)
EOF
