#!/usr/bin/env bash
# Control-plane benchmark: the real imsagw on its default config (net_tap
# ports in namespaces, as the integration tests) with media flowing through
# one call (RTP both ways, set up over Iq), while imsagw-bench-iq sets up and
# tears down calls over Iq as fast as the gateway answers. Prints
# transactions/s and the Add latency p50/p99 per run. Needs root.
#
#   bench/iq/run.sh [CALLS] [WINDOW]       (BUILD=build by default)
# With INSTANCE set (see tests/integration/lib.sh), Iq uses 2985/2984.
set -u
. "$(dirname "$0")/../../tests/integration/lib.sh"
CALLS=${1:-50000}
WINDOW=${2:-16}
BENCH=$BUILD/bench/iq/imsagw-bench-iq
MGC_BIN=$BUILD/tools/imsagw-mgc
TOOL="python3 $TOP/tests/integration/udp_tool.py"
[ "$(id -u)" = 0 ] || die "needs root"
IQ_PORT=2945; MGC_PORT=2944
[ -n "$INSTANCE" ] && { IQ_PORT=2985; MGC_PORT=2984; }
sed -e "s/127.0.0.1:2945/127.0.0.1:$IQ_PORT/g" -e "s/127.0.0.1:2944/127.0.0.1:$MGC_PORT/" \
	-e 's/level = "notice"/level = "warning"/' "$CONF" >"$WORK/bench.conf"
CONF=$WORK/bench.conf
mgc() { "$MGC_BIN" --bind 127.0.0.1:$MGC_PORT --mg 127.0.0.1:$IQ_PORT "$@"; }

mgc register --wait 40000 >/dev/null &
reg=$!
gw_start
wait $reg || die "no registration"
in_ue ping -c 1 -W 2 -q 192.0.2.1 >/dev/null
in_core ping -c 1 -W 2 -q 198.51.100.1 >/dev/null

# Media: one call, RTP both ways (~2000 packets/s each way) for the
# duration of the benchmark.
o=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004) || die "media call: $o"
ap=$(sed -n 's/^term0_port=//p' <<<"$o"); cp=$(sed -n 's/^term1_port=//p' <<<"$o")
# (ip netns exec directly, not the in_ue function, so $! is the peer itself.)
ip netns exec "$UE" $TOOL peer --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 400000 \
	--seed 1 --interval 0.0005 --timeout 1 --expect 0 >"$WORK/ue" 2>&1 &
m1=$!
ip netns exec "$CORE" $TOOL peer --bind 198.51.100.2:6004 --to 198.51.100.1:"$cp" --count 400000 \
	--seed 2 --interval 0.0005 --timeout 1 --expect 0 >"$WORK/core" 2>&1 &
m2=$!
sleep 1
echo "imsagw control plane over Iq (UDP, loopback), media flowing; $(nproc) cores"
for w in 1 "$WINDOW"; do
	"$BENCH" --bind 127.0.0.1:$MGC_PORT --mg 127.0.0.1:$IQ_PORT --calls "$CALLS" --window "$w"
done
"$BENCH" --bind 127.0.0.1:$MGC_PORT --mg 127.0.0.1:$IQ_PORT --calls $((CALLS / 2)) --window "$WINDOW" --e2ae
# Media loss on the established call: stop the senders, let the last
# packets arrive, compare what each side sent with what the other received.
kill -TERM $m1 $m2 2>/dev/null
wait $m1 $m2 2>/dev/null
num() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" "$2"; }
ue_sent=$(num sent "$WORK/ue"); core_got=$(num received "$WORK/core")
core_sent=$(num sent "$WORK/core"); ue_got=$(num received "$WORK/ue")
echo "media on the established call during the runs: ue->core sent=$ue_sent received=$core_got" \
	"lost=$((ue_sent - core_got)); core->ue sent=$core_sent received=$ue_got lost=$((core_sent - ue_got))"
gw_stop
