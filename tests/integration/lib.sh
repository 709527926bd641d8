# Shared by the demo and the integration tests: run imsagw on the embedded
# default config (configs/imsagw.conf) with its two net_tap ports moved into
# two namespaces this script creates, "imsagw-ue" (a UE) and "imsagw-core"
# (a core host), and tear everything down again.
#
# Topology (addresses from configs/imsagw.conf; documentation ranges):
#   imsagw-ue   imsagw-ue0   192.0.2.2/24      2001:db8:a::2/64
#   gateway     access port  192.0.2.1/24      2001:db8:a::1/64
#   gateway     core port    198.51.100.1/24   2001:db8:c::1/64
#   imsagw-core imsagw-core0 198.51.100.2/24   2001:db8:c::2/64
# The gateway's exception interfaces live in its own namespace imsagw-dp.
#
# INSTANCE (at most 2 characters, e.g. INSTANCE=t1) runs a separate instance
# with every name suffixed (imsagwt1-ue0, namespace imsagwt1-dp, EAL file
# prefix imsagwt1), so that two developers' runs on one machine do not meet.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
IMSAGW=${IMSAGW:-$BUILD/app/imsagw}
CTL_BIN=$BUILD/tools/imsagw-ctl
CONF=${CONF:-$TOP/configs/imsagw.conf}
WORK=$(mktemp -d /tmp/imsagw-test.XXXXXX)
SOCK=$WORK/admin.sock
GW_PID=
INSTANCE=${INSTANCE:-}
N=imsagw$INSTANCE
UE=$N-ue
CORE=$N-core
DPNS=$N-dp
UE_IF=$N-ue0
CORE_IF=$N-core0
PREFIX=$N
# Iq: the gateway listens on IQ_PORT and registers with an MGC on MGC_PORT
# (the defaults of configs/imsagw.conf; an INSTANCE gets ports of its own).
if [ -n "$INSTANCE" ]; then
	_off=$(( $(printf '%s' "$INSTANCE" | cksum | cut -d' ' -f1) % 500 * 2 ))
	IQ_PORT=${IQ_PORT:-$((13001 + _off))}
	MGC_PORT=${MGC_PORT:-$((13000 + _off))}
fi
IQ_PORT=${IQ_PORT:-2945}
MGC_PORT=${MGC_PORT:-2944}
UE_MAC=02:00:00:00:0a:02
CORE_MAC=02:00:00:00:0c:02

log() { printf '%s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

ctl() { "$CTL_BIN" -s "$SOCK" "$@"; }

# Value of key=... in an admin reply line.
kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

in_ue() { ip netns exec "$UE" "$@"; }
in_core() { ip netns exec "$CORE" "$@"; }

gw_stop() {
	if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
		kill -TERM "$GW_PID"
		for _ in $(seq 1 100); do
			kill -0 "$GW_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$GW_PID" 2>/dev/null && kill -KILL "$GW_PID"
		wait "$GW_PID" 2>/dev/null
	fi
	GW_PID=
}

cleanup() {
	local rc=$?
	gw_stop
	# A sanitizer build reports into the gateway's stderr: any report fails
	# the test, whatever the checks said.
	if grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$WORK/gw.err" 2>/dev/null; then
		log "FAIL: sanitizer report in the gateway's log"
		grep -A30 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$WORK/gw.err" | head -60 >&2
		rc=1
	fi
	cp "$WORK/gw.err" /tmp/imsagw-last-gw.err 2>/dev/null
	if [ $rc != 0 ] && [ -f "$WORK/gw.err" ]; then
		log "--- imsagw stderr (last 40 lines) ---"
		grep -v 'qdisc\|tap_create\|tap_nl_dump' "$WORK/gw.err" | tail -40 >&2
	fi
	ip netns del "$UE" 2>/dev/null
	ip netns del "$CORE" 2>/dev/null
	ip netns del "$DPNS" 2>/dev/null
	rm -f /dev/hugepages/"$PREFIX"map_* 2>/dev/null
	rm -rf "$WORK"
	exit $rc
}

# Move a TAP the gateway created into a namespace and give it the host side
# of the link: address, a MAC of its own, routes to the gateway.
attach_ns() { # ns iface mac v4 v6
	local ns=$1 ifc=$2 mac=$3 v4=$4 v6=$5 i
	ip netns del "$ns" 2>/dev/null
	ip netns add "$ns"
	for i in $(seq 1 50); do ip link show "$ifc" >/dev/null 2>&1 && break; sleep 0.1; done
	ip link set "$ifc" netns "$ns" || die "cannot move $ifc into $ns"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip link set "$ifc" address "$mac"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf."$ifc".accept_dad=0
	ip netns exec "$ns" ip addr add "$v4" dev "$ifc"
	ip netns exec "$ns" ip -6 addr add "$v6" dev "$ifc" nodad
	ip netns exec "$ns" ip link set "$ifc" up
}

# instance_conf FILE [SED_ARGS...]: FILE with the instance's names, EAL file
# prefix and Iq ports (IQ_PORT, MGC_PORT above), then SED_ARGS, on stdout.
instance_conf() {
	local f=$1
	shift
	sed -e "s/imsagw-/$N-/g" -e "s/--file-prefix=imsagw\"/--file-prefix=$PREFIX\"/" \
		-e "s/127\.0\.0\.1\]*:2945/&@/g" "$f" |
		sed -e "s/:2945@/:$IQ_PORT/g" -e "s/127\.0\.0\.1:2944/127.0.0.1:$MGC_PORT/g" "$@"
}

# Start the gateway and wait until it is ready and both hosts are attached.
gw_start() {
	trap cleanup EXIT
	if [ -n "$INSTANCE" ]; then
		instance_conf "$CONF" >"$WORK/instance.conf"
		CONF=$WORK/instance.conf
	fi
	ip netns del "$DPNS" 2>/dev/null
	"$IMSAGW" --config "$CONF" --admin-socket "$SOCK" >"$WORK/gw.out" 2>"$WORK/gw.err" &
	GW_PID=$!
	for _ in $(seq 1 300); do
		grep -q '^imsagw: ready' "$WORK/gw.out" 2>/dev/null && break
		kill -0 "$GW_PID" 2>/dev/null || { cat "$WORK/gw.err" >&2; die "imsagw exited at start"; }
		sleep 0.1
	done
	grep -q '^imsagw: ready' "$WORK/gw.out" || { cat "$WORK/gw.err" >&2; die "imsagw not ready in 30 s"; }
	attach_ns "$UE" "$UE_IF" "$UE_MAC" 192.0.2.2/24 2001:db8:a::2/64
	attach_ns "$CORE" "$CORE_IF" "$CORE_MAC" 198.51.100.2/24 2001:db8:c::2/64
}

gw_log() { cat "$WORK/gw.err" >&2; }
