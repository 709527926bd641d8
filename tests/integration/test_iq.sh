#!/usr/bin/env bash
# Integration: Iq end to end. The real imsagw on its default config (Iq on
# UDP 127.0.0.1:2945, MGC 127.0.0.1:2944) driven by imsagw-mgc: registration
# (ServiceChange 901 with the profile), a call set up with Add ($ context, $
# terminations, realm, Local/Remote SDP), RTP both ways through it, Modify
# (mode gate, remote change), Subtract with statistics, error codes,
# duplicates answered from the reply cache, messages from a stranger
# dropped, and ServiceChange Forced on SIGTERM.
# With INSTANCE set, Iq moves to ports 2965/2964 (names are suffixed by lib.sh).
set -u
. "$(dirname "$0")/lib.sh"
TOOL="python3 $TOP/tests/integration/udp_tool.py"
MGC_BIN=${MGC_BIN:-$BUILD/iq/imsagw-mgc}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }

IQ_PORT=2945
MGC_PORT=2944
if [ -n "$INSTANCE" ]; then
	IQ_PORT=2965
	MGC_PORT=2964
	sed -e "s/127.0.0.1:2945/127.0.0.1:$IQ_PORT/g" -e "s/127.0.0.1:2944/127.0.0.1:$MGC_PORT/" \
		"$CONF" >"$WORK/iq.conf"
	CONF=$WORK/iq.conf
fi
mgc() { "$MGC_BIN" --bind 127.0.0.1:$MGC_PORT --mg 127.0.0.1:$IQ_PORT "$@"; }
val() { awk -v k="$2" '{ i = index($0, "="); if (i && substr($0, 1, i - 1) == k) { print substr($0, i + 1); exit } }' <<<"$1"; }

# The MGC listens before the gateway starts, so it answers the first
# ServiceChange.
mgc register --wait 40000 >"$WORK/reg" &
REG=$!
gw_start
wait $REG || { cat "$WORK/reg"; gw_log; die "no ServiceChange from the gateway"; }
grep -q 'method=Restart' "$WORK/reg" || die "registration: $(cat "$WORK/reg")"
grep -q 'reason="901' "$WORK/reg" || die "registration reason: $(cat "$WORK/reg")"
grep -qi 'profile=threegiq/1' "$WORK/reg" || die "registration profile: $(cat "$WORK/reg")"
log "ok: ServiceChange Restart 901 with profile: $(cat "$WORK/reg")"
for _ in $(seq 1 50); do grep -q 'registered with MGC' "$WORK/gw.err" && break; sleep 0.1; done
grep -q 'registered with MGC' "$WORK/gw.err" || die "gateway did not log the registration"

in_ue ping -c 1 -W 2 -q 192.0.2.1 >/dev/null
in_core ping -c 1 -W 2 -q 198.51.100.1 >/dev/null

# Call setup: both terminations in one transaction (compact layout here).
out=$(mgc --compact call --ue 192.0.2.2:5004 --core 198.51.100.2:6004 --mode recvonly) ||
	{ echo "$out"; die "call setup"; }
ctx=$(val "$out" ctx); a=$(val "$out" term0); c=$(val "$out" term1)
aip=$(val "$out" term0_ip); ap=$(val "$out" term0_port)
cip=$(val "$out" term1_ip); cp=$(val "$out" term1_port)
[ "$aip" = 192.0.2.1 ] && [ "$cip" = 198.51.100.1 ] || die "addresses: $out"
[ "$ap" -ge 20000 ] && [ "$ap" -le 29999 ] && [ "$cp" -ge 30000 ] && [ "$cp" -le 39999 ] ||
	die "ports: $out"
log "ok: Add \$/\$ in context $ctx: $a $aip:$ap (access), $c $cip:$cp (core)"

# ReceiveOnly gates: nothing crosses yet.
in_core $TOOL peer --bind 198.51.100.2:6004 --timeout 2 >"$WORK/gate" &
r=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to "$aip:$ap" --count 20 --seed 3 --timeout 1 >/dev/null
wait $r
grep -q '^received=0 ' "$WORK/gate" || die "ReceiveOnly forwarded: $(cat "$WORK/gate")"
log "ok: Mode ReceiveOnly gates media"

# Modify both to SendReceive (pretty layout), then RTP both ways.
mgc modify --ctx "$ctx" --term "$a" --mode sendrecv >/dev/null || die "modify $a"
o=$(mgc modify --ctx "$ctx" --term "$c" --mode sendrecv --remote 198.51.100.2:6004) ||
	{ echo "$o"; die "modify $c"; }
in_core $TOOL peer --bind 198.51.100.2:6004 --to "$cip:$cp" --count 100 --seed 2 \
	--expect 100 --expect-seed 1 --sender "$cip:$cp" --interval 0.002 >"$WORK/c_rtp" &
p1=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to "$aip:$ap" --count 100 --seed 1 \
	--expect 100 --expect-seed 2 --sender "$aip:$ap" --interval 0.002 >"$WORK/u_rtp" &
p2=$!
fail=0; wait $p1 || fail=1; wait $p2 || fail=1
[ $fail = 0 ] || die "media after Modify: core $(cat "$WORK/c_rtp") ue $(cat "$WORK/u_rtp")"
log "ok: Modify SendReceive; 100 RTP packets each way byte-exact"

# AuditValue on a termination and on ROOT.
o=$(mgc audit --ctx "$ctx" --term "$a") || { echo "$o"; die "audit"; }
[ "$(val "$o" term0_rtp/pr)" = 100 ] || die "audit statistics: $o"
o=$(mgc audit --root) || { echo "$o"; die "audit root"; }
log "ok: AuditValue termination (rtp/pr=100) and ROOT"

# Errors: unknown context 411, unknown termination 430, bad realm 449,
# Subtract in the NULL context 421, syntax error 400.
o=$(mgc modify --ctx 999999 --term "$a" --mode sendrecv); [ "$(val "$o" error)" = 411 ] || die "411: $o"
o=$(mgc modify --ctx "$ctx" --term ip/access/999999 --mode sendrecv)
[ "$(val "$o" error)" = 430 ] || die "430: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 77 { Context = - { Subtract = %s } }\n' \
	$MGC_PORT "$a" >"$WORK/e421"
o=$(mgc raw "$WORK/e421"); grep -q 'Error = 421' <<<"$o" || die "421: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 78 { Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "mars" } } } } } }\n' \
	$MGC_PORT >"$WORK/e449"
o=$(mgc raw "$WORK/e449"); grep -q 'Error = 449' <<<"$o" || die "449: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 79 { Context = 1 { Bogus } }\n' $MGC_PORT >"$WORK/e400"
o=$(mgc raw "$WORK/e400"); grep -Eq 'Error = 4[0-9][0-9]' <<<"$o" || die "syntax: $o"
log "ok: errors 411, 430, 421, 449 and a syntax error answered"

# A duplicate is answered from the reply cache, not executed twice: the
# same Add twice gives the same reply and one context more, not two.
before=$(kv "$(ctl stats)" contexts)
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 4242 { Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "core" }, Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n} } } } } }\n' \
	$MGC_PORT >"$WORK/dup"
o1=$(mgc raw "$WORK/dup"); o2=$(mgc raw "$WORK/dup")
[ "$o1" = "$o2" ] || die "duplicate got a different reply"
after=$(kv "$(ctl stats)" contexts)
[ $((after - before)) = 1 ] || die "duplicate executed twice ($before -> $after contexts)"
dctx=$(sed -n 's/.*Context = \([0-9]*\).*/\1/p' <<<"$o1" | head -1)
mgc subtract --ctx "$dctx" >/dev/null || die "subtract dup"
log "ok: duplicate TransactionID answered from the reply cache (one context)"

# A stranger (not an MGC address) is dropped and counted: no answer.
o=$(ip netns exec "$UE" true; python3 - "$IQ_PORT" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.2", 0)); s.settimeout(1)
s.sendto(b"MEGACO/3 [127.0.0.2]:2944\nTransaction = 5 { Context = - { AuditValue = ROOT } }", ("127.0.0.1", int(sys.argv[1])))
try:
    print(s.recv(65535)[:40])
except socket.timeout:
    print("dropped")
EOF
)
[ "$o" = dropped ] || die "a non-MGC got an answer: $o"
log "ok: message from a non-MGC address dropped"

# Subtract with statistics.
o=$(mgc subtract --ctx "$ctx") || { echo "$o"; die "subtract"; }
[ "$(val "$o" term0_rtp/pr)" = 100 ] && [ "$(val "$o" term0_rtp/ps)" = 100 ] ||
	die "statistics: $o"
[ "$(val "$o" term0_nt/or)" = $((100 * 172)) ] || die "nt/or: $o"
log "ok: Subtract returns statistics ($(grep term0_ <<<"$o" | tr '\n' ' '))"
o=$(mgc subtract --ctx "$ctx"); [ "$(val "$o" error)" = 411 ] || die "context not gone: $o"
[ "$(kv "$(ctl stats)" contexts)" = 0 ] || die "contexts left: $(ctl stats)"

# SIGTERM: ServiceChange Forced to the MGC.
mgc register --wait 5000 >"$WORK/down" &
REG=$!
sleep 0.3
gw_stop
wait $REG
grep -q 'method=Forced' "$WORK/down" || die "no ServiceChange Forced on SIGTERM: $(cat "$WORK/down")"
log "ok: ServiceChange Forced on SIGTERM"
echo "test_iq: all checks passed"
