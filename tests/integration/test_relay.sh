#!/usr/bin/env bash
# Integration: the real imsagw binary on its default config, net_tap ports in
# namespaces. RTP and RTCP both ways through a programmed context (IPv4 and
# IPv6) arrive byte-exact at kernel sockets with the right source address
# and valid checksums (the receiving kernel drops bad ones; tshark checks
# them too); packets to an unprogrammed media port are dropped and counted;
# ping and TCP to the gateway's own addresses work through the exception path.
set -u
. "$(dirname "$0")/lib.sh"
TOOL="python3 $TOP/tests/integration/udp_tool.py"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }

gw_start

# Both hosts learn the gateway's link address through the exception path.
in_ue ping -c 2 -W 2 -q 192.0.2.1 >/dev/null || { gw_log; die "ping 192.0.2.1 from ue"; }
in_core ping -c 2 -W 2 -q 198.51.100.1 >/dev/null || die "ping 198.51.100.1 from core"
in_ue ping -6 -c 2 -W 2 -q 2001:db8:a::1 >/dev/null || die "ping 2001:db8:a::1 from ue"
in_core ping -6 -c 2 -W 2 -q 2001:db8:c::1 >/dev/null || die "ping 2001:db8:c::1 from core"
log "ok: ICMP echo to the gateway's addresses (v4, v6) through the exception path"

# TCP to a kernel socket bound on the gateway's access address, in the data
# plane's namespace, reached from the UE.
ip netns exec "$DPNS" python3 -c '
import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 5555)); s.listen(1); s.settimeout(10)
c,_=s.accept(); c.sendall(c.recv(64)[::-1]); c.close()' &
srv=$!
sleep 0.5
got=$(in_ue python3 -c '
import socket
c=socket.create_connection(("192.0.2.1",5555),timeout=5); c.sendall(b"imsagw-tcp")
print(c.recv(64).decode())')
wait $srv
[ "$got" = "pct-wgasmi" ] || die "TCP through the exception path: got '$got'"
log "ok: TCP connect and echo to 192.0.2.1:5555 through the exception path"

# A context: access termination toward the UE, core termination toward the
# core host.
run_call() { # family ue_ip core_ip seed
	local fam=$1 ue_ip=$2 core_ip=$3 seed=$4 ctx a c ap cp aip cip b
	ctx=$(kv "$(ctl context add)" ctx)
	a=$(ctl term add ctx="$ctx" realm=access family="$fam" remote="$ue_ip" rport=5004) || die "$a"
	c=$(ctl term add ctx="$ctx" realm=core family="$fam" remote="$core_ip" rport=6004) || die "$c"
	ap=$(kv "$a" port); cp=$(kv "$c" port); aip=$(kv "$a" local); cip=$(kv "$c" local)
	b() { [ "$fam" = 6 ] && echo "[$1]:$2" || echo "$1:$2"; }
	log "ctx $ctx: ue $(b "$ue_ip" 5004) <-> $(b "$aip" "$ap") | $(b "$cip" "$cp") <-> core $(b "$core_ip" 6004)"

	# RTP and RTCP in both directions, at the same time: each peer sends its
	# stream and checks what it receives from the other side.
	in_core $TOOL peer --bind "$(b "$core_ip" 6004)" --to "$(b "$cip" "$cp")" --count 200 \
		--seed $((seed + 1)) --size 1200 --expect 200 --expect-seed "$seed" \
		--sender "$(b "$cip" "$cp")" >"$WORK/c_rtp" &
	local r1=$!
	in_core $TOOL peer --kind rtcp --bind "$(b "$core_ip" 6005)" --to "$(b "$cip" $((cp + 1)))" \
		--count 20 --seed $((seed + 1)) --size 40 --expect 20 --expect-seed "$seed" \
		--expect-size 40 --interval 0.01 --sender "$(b "$cip" $((cp + 1)))" >"$WORK/c_rtcp" &
	local r2=$!
	in_ue $TOOL peer --bind "$(b "$ue_ip" 5004)" --to "$(b "$aip" "$ap")" --count 200 \
		--seed "$seed" --expect 200 --expect-seed $((seed + 1)) --expect-size 1200 \
		--sender "$(b "$aip" "$ap")" >"$WORK/u_rtp" &
	local r3=$!
	in_ue $TOOL peer --kind rtcp --bind "$(b "$ue_ip" 5005)" --to "$(b "$aip" $((ap + 1)))" \
		--count 20 --seed "$seed" --size 40 --expect 20 --expect-seed $((seed + 1)) \
		--expect-size 40 --interval 0.01 --sender "$(b "$aip" $((ap + 1)))" >"$WORK/u_rtcp" &
	local r4=$!
	local fail=0
	wait $r1 || fail=1; wait $r2 || fail=1; wait $r3 || fail=1; wait $r4 || fail=1
	log "  ue->core rtp:  $(cat "$WORK/c_rtp")"
	log "  ue->core rtcp: $(cat "$WORK/c_rtcp")"
	log "  core->ue rtp:  $(cat "$WORK/u_rtp")"
	log "  core->ue rtcp: $(cat "$WORK/u_rtcp")"
	[ $fail = 0 ] || { ctl stats >&2; gw_log; die "IPv$fam streams not byte-exact"; }

	# Counters: the access termination received 200 RTP and 20 RTCP from
	# the UE and sent 200 + 20 to it.
	local s
	s=$(ctl term show ctx="$ctx" id="$(kv "$a" id)")
	[ "$(kv "$s" rtp_in_pkts)" = 200 ] || die "rtp_in_pkts: $s"
	[ "$(kv "$s" rtp_out_pkts)" = 200 ] || die "rtp_out_pkts: $s"
	[ "$(kv "$s" rtcp_in_pkts)" = 20 ] || die "rtcp_in_pkts: $s"
	[ "$(kv "$s" rtcp_out_pkts)" = 20 ] || die "rtcp_out_pkts: $s"
	[ "$(kv "$s" rtp_in_bytes)" = $((200 * 172)) ] || die "rtp_in_bytes: $s"
	[ "$(kv "$s" rtp_out_bytes)" = $((200 * 1212)) ] || die "rtp_out_bytes: $s"
	CTX=$ctx
	A_PORT=$ap
	ctl context delete ctx="$ctx" >/dev/null || die "context delete"
}

run_call 4 192.0.2.2 198.51.100.2 100
log "ok: IPv4 RTP and RTCP both ways, byte-exact, counted"
run_call 6 2001:db8:a::2 2001:db8:c::2 200
log "ok: IPv6 RTP and RTCP both ways, byte-exact, counted"

# Checksums as a third party sees them: capture on the core host while a
# stream crosses, and let tshark validate IP and UDP checksums.
ctx=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctx" realm=access remote=192.0.2.2 rport=5004)
c=$(ctl term add ctx="$ctx" realm=core remote=198.51.100.2 rport=6004)
ap=$(kv "$a" port)
# tshark says "Capturing on" once it captures: on a loaded machine its
# start-up can take longer than any fixed sleep. It stops after the 50
# packets, or after 30 s.
in_core tshark -i "$CORE_IF" -f "udp port 6004" -c 50 -a duration:30 -w "$WORK/core.pcap" \
	>/dev/null 2>"$WORK/tshark.err" &
tsp=$!
for _ in $(seq 1 200); do grep -q "Capturing on" "$WORK/tshark.err" 2>/dev/null && break; sleep 0.1; done
grep -q "Capturing on" "$WORK/tshark.err" || die "tshark did not start capturing in 20 s"
in_ue $TOOL peer --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 50 --seed 7 --timeout 2 >/dev/null
wait $tsp
bad=$(tshark -r "$WORK/core.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
	-Y 'ip.checksum.status == "Bad" || udp.checksum.status == "Bad" || _ws.malformed' 2>/dev/null | wc -l)
good=$(tshark -r "$WORK/core.pcap" -o udp.check_checksum:TRUE -Y 'udp.checksum.status == "Good"' \
	2>/dev/null | wc -l)
[ "$good" = 50 ] && [ "$bad" = 0 ] || die "tshark: $good packets with good UDP checksums, $bad bad"
log "ok: tshark validates IP and UDP checksums of 50/50 relayed packets"
ctl context delete ctx="$ctx" >/dev/null

# The gate: packets to a media port no context programmed are dropped and
# counted, and nothing reaches the core.
before=$(kv "$(ctl stats)" drop_no_flow)
in_core $TOOL peer --bind 198.51.100.2:6004 --timeout 3 >"$WORK/gate" &
r=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to 192.0.2.1:20100 --count 30 --seed 9 --timeout 1 >/dev/null
wait $r
grep -q '^received=0 ' "$WORK/gate" || die "a packet to an unprogrammed port was forwarded: $(cat "$WORK/gate")"
after=$(kv "$(ctl stats)" drop_no_flow)
[ $((after - before)) = 30 ] || die "drop_no_flow went from $before to $after, expected +30"
log "ok: 30 packets to an unprogrammed media port dropped and counted (drop_no_flow +30)"

# The workers' load: the turns that handled packets, with their TSC cycles.
s=$(ctl stats)
turns=$(kv "$s" busy_turns); cyc=$(kv "$s" busy_cycles); hz=$(kv "$s" tsc_hz); rx=$(kv "$s" rx)
[ -n "$turns" ] && [ "$turns" -ge 1 ] && [ "$turns" -le "$rx" ] || die "busy_turns $turns for rx $rx: $s"
[ -n "$cyc" ] && [ "$cyc" -gt "$turns" ] || die "busy_cycles $cyc for $turns turns: $s"
[ -n "$hz" ] && [ "$hz" -gt 0 ] || die "tsc_hz: $s"
log "ok: stats busy_turns=$turns busy_cycles=$cyc for rx=$rx ($((cyc / rx)) cycles a packet at $((hz / 1000000)) MHz)"

gw_stop
grep -q 'imsagw: stopping' "$WORK/gw.err" || die "no clean stop on SIGTERM"
echo "test_relay: all checks passed"
