#!/usr/bin/env bash
# `make demo`: the gateway on its embedded default config (configs/imsagw.conf)
# with two virtual ports, a UE namespace on the access side and a core host
# namespace on the core side, one call through it with RTP and RTCP both
# ways, the per-flow counters printed, and everything torn down again.
#
# The call is set up over Iq (H.248 text over UDP) by imsagw-mgc, the
# project's own MGC, standing in for the P-CSCF: it answers the gateway's
# ServiceChange, adds an access and a core termination in one transaction,
# and subtracts them at the end (the statistics come back in the reply).
set -u
. "$(dirname "$0")/lib.sh"
TOOL="python3 $TOP/tests/integration/udp_tool.py"
[ "$(id -u)" = 0 ] || die "the demo needs root (network namespaces, TAP devices)"

say() { printf '\n== %s\n' "$*"; }

MGC_BIN=$BUILD/tools/imsagw-mgc
mgc() { "$MGC_BIN" --bind 127.0.0.1:"${MGC_PORT:-2944}" --mg 127.0.0.1:"${IQ_PORT:-2945}" "$@"; }
val() { awk -v k="$2" '{ i = index($0, "="); if (i && substr($0, 1, i - 1) == k) { print substr($0, i + 1); exit } }' <<<"$1"; }

say "starting imsagw --config configs/imsagw.conf (Iq on 127.0.0.1:2945, MGC 127.0.0.1:2944)"
mgc register --wait 40000 >"$WORK/reg" &
reg=$!
gw_start
wait $reg || die "the gateway did not register over Iq"
sed 's/^/   MGC got: /' "$WORK/reg"
grep -o 'EAL: -.*' "$WORK/gw.err" | head -1 | sed 's/^/   /'
echo "   ue   namespace $UE:   192.0.2.2, 2001:db8:a::2  (access port 192.0.2.1)"
echo "   core namespace $CORE: 198.51.100.2, 2001:db8:c::2 (core port 198.51.100.1)"

say "exception path: the UE pings the gateway's access address"
in_ue ping -c 3 -i 0.2 -W 2 192.0.2.1 | sed -n 's/^/   /;/packets transmitted/p' ||
	die "no answer from 192.0.2.1"

say "call setup over Iq: Add access + Add core in a new context (imsagw-mgc call)"
out=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004) || { echo "$out"; die "call setup"; }
ctx=$(val "$out" ctx); aid=$(val "$out" term0); cid=$(val "$out" term1)
ap=$(val "$out" term0_port); cp=$(val "$out" term1_port)
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

say "teardown over Iq: Subtract = * with statistics"
out=$(mgc subtract --ctx "$ctx") || { echo "$out"; die "subtract"; }
grep -E '^term[01](=|_(nt|rtp)/)' <<<"$out" | paste -sd' ' | sed 's/ term1=/\n   term1=/; s/^/   /'
echo "   contexts left: $(kv "$(ctl stats)" contexts)"
gw_stop
echo "   imsagw stopped (ServiceChange Forced sent to the MGC); namespaces removed"
say "demo finished"
