#!/usr/bin/env bash
# `make demo`: the gateway on its embedded default config (configs/imsagw.conf)
# with two virtual ports, a UE namespace on the access side and a core host
# namespace on the core side, one call through it with RTP and RTCP both
# ways, the per-flow counters printed, and everything torn down again.
#
# The call is programmed through the admin socket (imsagw-ctl), the same
# control API the Iq interface drives.
set -u
. "$(dirname "$0")/lib.sh"
TOOL="python3 $TOP/tests/integration/udp_tool.py"
[ "$(id -u)" = 0 ] || die "the demo needs root (network namespaces, TAP devices)"

say() { printf '\n== %s\n' "$*"; }

say "starting imsagw --config configs/imsagw.conf"
gw_start
grep -o 'EAL: .*' "$WORK/gw.err" | head -1 | sed 's/^/   /'
echo "   ue   namespace $UE:   192.0.2.2, 2001:db8:a::2  (access port 192.0.2.1)"
echo "   core namespace $CORE: 198.51.100.2, 2001:db8:c::2 (core port 198.51.100.1)"

say "exception path: the UE pings the gateway's access address"
in_ue ping -c 3 -i 0.2 -W 2 192.0.2.1 | sed -n 's/^/   /;/packets transmitted/p' ||
	die "no answer from 192.0.2.1"

say "call setup: one context, an access and a core termination"
ctx=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctx" realm=access remote=192.0.2.2 rport=5004) || die "$a"
c=$(ctl term add ctx="$ctx" realm=core remote=198.51.100.2 rport=6004) || die "$c"
aid=$(kv "$a" id); cid=$(kv "$c" id); ap=$(kv "$a" port); cp=$(kv "$c" port)
echo "   context $ctx"
echo "   $aid: gateway 192.0.2.1:$ap/$((ap + 1)) <-> UE 192.0.2.2:5004/5005"
echo "   $cid: gateway 198.51.100.1:$cp/$((cp + 1)) <-> core 198.51.100.2:6004/6005"

say "media: 250 RTP packets (G.711, 160 B) and 10 RTCP reports each way"
in_core $TOOL peer --bind 198.51.100.2:6004 --to 198.51.100.1:"$cp" --count 250 --seed 2 \
	--expect 250 --expect-seed 1 --sender 198.51.100.1:"$cp" --interval 0.004 >"$WORK/core_rtp" &
p1=$!
in_core $TOOL peer --kind rtcp --bind 198.51.100.2:6005 --to 198.51.100.1:$((cp + 1)) --count 10 \
	--seed 2 --size 40 --expect 10 --expect-seed 1 --expect-size 40 --interval 0.05 >"$WORK/core_rtcp" &
p2=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 250 --seed 1 \
	--expect 250 --expect-seed 2 --sender 192.0.2.1:"$ap" --interval 0.004 >"$WORK/ue_rtp" &
p3=$!
in_ue $TOOL peer --kind rtcp --bind 192.0.2.2:5005 --to 192.0.2.1:$((ap + 1)) --count 10 \
	--seed 1 --size 40 --expect 10 --expect-seed 2 --expect-size 40 --interval 0.05 >"$WORK/ue_rtcp" &
p4=$!
ok=0
wait $p1 || ok=1; wait $p2 || ok=1; wait $p3 || ok=1; wait $p4 || ok=1
echo "   core host got RTP:  $(cat "$WORK/core_rtp")"
echo "   core host got RTCP: $(cat "$WORK/core_rtcp")"
echo "   UE got RTP:         $(cat "$WORK/ue_rtp")"
echo "   UE got RTCP:        $(cat "$WORK/ue_rtcp")"
[ $ok = 0 ] || die "media did not arrive byte-exact"

say "per-flow counters"
show() { # term id
	local s
	s=$(ctl term show ctx="$ctx" id="$1")
	printf '   %-14s rtp in %4s pkts %7s B | rtp out %4s pkts %7s B | rtcp in %3s | rtcp out %3s\n' \
		"$1" "$(kv "$s" rtp_in_pkts)" "$(kv "$s" rtp_in_bytes)" "$(kv "$s" rtp_out_pkts)" \
		"$(kv "$s" rtp_out_bytes)" "$(kv "$s" rtcp_in_pkts)" "$(kv "$s" rtcp_out_pkts)"
}
show "$aid"
show "$cid"
ctl stats | tr ' ' '\n' | grep -E '^(rx|tx|to_exc|from_exc|drop_[a-z_]+)=' | paste -sd' ' |
	sed 's/^/   lcore totals: /'

say "teardown: subtract both terminations"
ctl term subtract ctx="$ctx" id="$aid" >/dev/null || die "subtract $aid"
ctl term subtract ctx="$ctx" id="$cid" >/dev/null || die "subtract $cid"
echo "   contexts left: $(kv "$(ctl stats)" contexts)"
gw_stop
echo "   imsagw stopped; namespaces removed"
say "demo finished"
