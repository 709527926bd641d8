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
MGC_BIN=${MGC_BIN:-$BUILD/tools/imsagw-mgc}
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
cp "$CONF" "$WORK/iq.conf" 2>/dev/null
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
# Each sends once the other is bound (a fixed delay was not enough at load 12:
# the first packets reached a port nobody had bound yet).
in_core $TOOL peer --bind 198.51.100.2:6004 --to "$cip:$cp" --count 100 --seed 2 \
	--expect 100 --expect-seed 1 --sender "$cip:$cp" --interval 0.002 \
	--ready "$WORK/c.ready" --wait-ready "$WORK/u.ready" --start-delay 0.1 >"$WORK/c_rtp" &
p1=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to "$aip:$ap" --count 100 --seed 1 \
	--expect 100 --expect-seed 2 --sender "$aip:$ap" --interval 0.002 \
	--ready "$WORK/u.ready" --wait-ready "$WORK/c.ready" --start-delay 0.1 >"$WORK/u_rtp" &
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

# Termination heartbeat (hangterm/thb, SPEC.md §3.9): requested on Add,
# the gateway Notifies it every timerx seconds.
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 90 { Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "core" } } }, Events = 5 { hangterm/thb { timerx = 1 } } } } }\n' \
	$MGC_PORT >"$WORK/hb"
o=$(mgc raw "$WORK/hb"); grep -q 'Add = ip/core/' <<<"$o" || die "Add with heartbeat: $o"
hctx=$(sed -n 's/.*Context = \([0-9]*\).*/\1/p' <<<"$o" | head -1)
o=$(mgc listen --wait 4000 --count 1) || die "no heartbeat Notify: $o"
grep -q "cmd=Notify term=ip/core/.* event=hangterm/thb rid=5" <<<"$o" || die "heartbeat: $o"
mgc subtract --ctx "$hctx" >/dev/null || die "subtract heartbeat termination"
log "ok: hangterm/thb heartbeat Notify ($o)"

# Inactivity timer (it/ito on ROOT): silence for mit -> Notify ROOT it/ito.
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 91 { Context = - { Modify = ROOT { Events = 6 { it/ito { mit = 50 } } } } }\n' \
	$MGC_PORT >"$WORK/ito"
o=$(mgc raw "$WORK/ito"); grep -q 'Modify = ROOT' <<<"$o" || die "it/ito: $o"
o=$(mgc listen --wait 3000 --count 1) || die "no it/ito Notify: $o"
grep -q "cmd=Notify term=ROOT event=it/ito rid=6" <<<"$o" || die "it/ito: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 92 { Context = - { Modify = ROOT { Events = 7 { } } } }\n' \
	$MGC_PORT >"$WORK/ito0"
o=$(mgc raw "$WORK/ito0"); grep -q 'Modify = ROOT' <<<"$o" || die "it/ito off: $o"
log "ok: inactivity timer: Notify ROOT it/ito after mit of silence"

# Move (H.248.1 §7.2.4): a core termination into a context of its own, then
# AuditCapability on it.
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 93 { Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "core" } } } } } }\n' \
	$MGC_PORT >"$WORK/mv1"
o=$(mgc raw "$WORK/mv1"); mctx=$(sed -n 's/.*Context = \([0-9]*\).*/\1/p' <<<"$o" | head -1)
mid=$(sed -n 's/.*Add = \(ip\/core\/[0-9]*\).*/\1/p' <<<"$o" | head -1)
[ -n "$mctx" ] && [ -n "$mid" ] || die "Add for Move: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 94 { Context = $ { Move = %s } }\n' $MGC_PORT "$mid" >"$WORK/mv2"
o=$(mgc raw "$WORK/mv2"); nctx=$(sed -n 's/.*Context = \([0-9]*\).*/\1/p' <<<"$o" | head -1)
grep -q "Move = $mid" <<<"$o" && [ -n "$nctx" ] && [ "$nctx" != "$mctx" ] || die "Move: $o"
s=$(ctl term show ctx="$nctx" id="$mid"); case $s in ok*) ;; *) die "moved termination not in $nctx: $s" ;; esac
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 95 { Context = %s { AuditCapability = %s { Audit { Media } } } }\n' \
	$MGC_PORT "$nctx" "$mid" >"$WORK/mv3"
o=$(mgc raw "$WORK/mv3"); grep -q 'RTP/SAVP' <<<"$o" || die "AuditCapability: $o"
mgc subtract --ctx "$nctx" >/dev/null || die "subtract moved"
log "ok: Move $mid from context $mctx to $nctx; AuditCapability"

# Subtract with statistics.
o=$(mgc subtract --ctx "$ctx") || { echo "$o"; die "subtract"; }
[ "$(val "$o" term0_rtp/pr)" = 100 ] && [ "$(val "$o" term0_rtp/ps)" = 100 ] ||
	die "statistics: $o"
[ "$(val "$o" term0_nt/or)" = $((100 * 172)) ] || die "nt/or: $o"
log "ok: Subtract returns statistics ($(grep term0_ <<<"$o" | tr '\n' ' '))"
o=$(mgc subtract --ctx "$ctx"); [ "$(val "$o" error)" = 411 ] || die "context not gone: $o"
[ "$(kv "$(ctl stats)" contexts)" = 0 ] || die "contexts left: $(ctl stats)"

# e2ae over Iq (SPEC.md §3.5): the UE's key in Remote, CHOOSE in Local; the
# gateway answers with its own key, same tag and suite. SRTP from a libsrtp2
# peer crosses as RTP and back; a forged and a replayed packet show in the
# Subtract statistics.
PEER=$BUILD/tests/integration/srtp_peer
b642hex() { base64 -d <<<"$1" | od -An -v -tx1 | tr -d ' \n'; }
if [ -x "$PEER" ]; then
	o=$(mgc call --e2ae --ue 192.0.2.2:5004 --core 198.51.100.2:6004) || { echo "$o"; die "e2ae call"; }
	ctx=$(val "$o" ctx); ap=$(val "$o" term0_port); cp=$(val "$o" term1_port)
	ue=$(val "$o" ue_crypto); gw=$(val "$o" term0_crypto)
	case $gw in "1 AES_CM_128_HMAC_SHA1_80 inline:"*) ;; *) die "gateway key line: $o" ;; esac
	UEHEX=$(b642hex "${ue#*inline:}"); GWHEX=$(b642hex "${gw#*inline:}")
	[ ${#GWHEX} = 60 ] && [ "$GWHEX" != "$UEHEX" ] || die "gateway key: $gw"
	in_core "$PEER" --bind 198.51.100.2:6004 --to 198.51.100.1:"$cp" --count 100 --seed 2 \
		--expect 100 --expect-seed 1 >"$WORK/c_srtp" &
	r1=$!
	in_ue "$PEER" --suite AES_CM_128_HMAC_SHA1_80 --tx-key "$UEHEX" --rx-key "$GWHEX" \
		--bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 100 --seed 1 --forge 10 --replay 20 \
		--expect 100 --expect-seed 2 >"$WORK/u_srtp" &
	r2=$!
	fail=0; wait $r1 || fail=1; wait $r2 || fail=1
	[ $fail = 0 ] || die "e2ae media: core $(cat "$WORK/c_srtp") ue $(cat "$WORK/u_srtp")"
	o=$(mgc subtract --ctx "$ctx") || { echo "$o"; die "e2ae subtract"; }
	[ "$(val "$o" term0_srtp/af)" = 1 ] && [ "$(val "$o" term0_srtp/rpl)" = 1 ] &&
		[ "$(val "$o" term0_rtp/pr)" = 100 ] || die "e2ae statistics: $o"
	log "ok: e2ae over Iq: gateway key for tag 1, SRTP<->RTP byte-exact with libsrtp2," \
		"forged and replayed packets in Subtract statistics (srtp/af=1 srtp/rpl=1)"
else
	log "note: no $PEER: the e2ae media check did not run"
fi

# e2ae terminating (SPEC.md §1.5, §3.5) over Iq: the Add offers two
# CHOOSE lines and the gateway answers with two keys of its own; the UE's
# answer in a Modify binds one by tag (a tag never offered is 449); audits
# carry no key; Move takes the access termination, keys and SRTP state
# with it, to a context of its own.
UEB64=$(head -c 30 /dev/urandom | base64)
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 96 { Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "access" }, Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\na=crypto:1 AEAD_AES_128_GCM inline:$\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:$\n} } } }, Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "core" }, Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n}, Remote {\nv=0\nc=IN IP4 198.51.100.2\nm=audio 6004 RTP/AVP 0\n} } } } } }\n' \
	$MGC_PORT >"$WORK/t1"
o=$(mgc raw "$WORK/t1")
tctx=$(sed -n 's/.*Context = \([0-9]*\).*/\1/p' <<<"$o" | head -1)
tid=$(sed -n 's/.*Add = \(ip\/access\/[0-9]*\).*/\1/p' <<<"$o" | head -1)
k1=$(sed -n 's/.*a=crypto:1 AEAD_AES_128_GCM inline:\([A-Za-z0-9+\/=]*\).*/\1/p' <<<"$o")
k2=$(sed -n 's/.*a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:\([A-Za-z0-9+\/=]*\).*/\1/p' <<<"$o")
[ -n "$tctx" ] && [ -n "$tid" ] && [ ${#k1} = 40 ] && [ ${#k2} = 40 ] && [ "$k1" != "$k2" ] ||
	die "terminating Add with two CHOOSE lines: $o"
modify_remote() { # tid crypto-line
	printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = %s { Context = %s { Modify = %s { Media { Stream = 1 { Remote {\nv=0\nc=IN IP4 192.0.2.2\nm=audio 5004 RTP/SAVP 0\na=crypto:%s\n} } } } } }\n' \
		$MGC_PORT "$1" "$tctx" "$tid" "$2" >"$WORK/t2"
	mgc raw "$WORK/t2"
}
o=$(modify_remote 97 "7 AES_CM_128_HMAC_SHA1_80 inline:$UEB64")
grep -q 'Error = 449' <<<"$o" || die "UE answer with a tag never offered: $o"
o=$(modify_remote 98 "2 AES_CM_128_HMAC_SHA1_80 inline:$UEB64")
grep -q "Modify = $tid" <<<"$o" && ! grep -q 'Error' <<<"$o" || die "UE answer binding tag 2: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 99 { Context = %s { AuditValue = %s { Audit { Media } } } }\n' \
	$MGC_PORT "$tctx" "$tid" >"$WORK/t3"
o=$(mgc raw "$WORK/t3")
grep -q "AuditValue = $tid" <<<"$o" && ! grep -q 'inline:' <<<"$o" || die "audit of an e2ae termination: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 100 { Context = $ { Move = %s } }\n' $MGC_PORT "$tid" >"$WORK/t4"
o=$(mgc raw "$WORK/t4"); nctx=$(sed -n 's/.*Context = \([0-9]*\).*/\1/p' <<<"$o" | head -1)
grep -q "Move = $tid" <<<"$o" && [ -n "$nctx" ] && [ "$nctx" != "$tctx" ] || die "e2ae Move: $o"
s=$(ctl term show ctx="$nctx" id="$tid"); case $s in ok*) ;; *) die "moved e2ae termination: $s" ;; esac
mgc subtract --ctx "$nctx" >/dev/null || die "subtract moved e2ae"
mgc subtract --ctx "$tctx" >/dev/null || die "subtract terminating core"
[ "$(kv "$(ctl stats)" contexts)" = 0 ] || die "contexts left: $(ctl stats)"
log "ok: e2ae terminating over Iq: two gateway keys offered, the UE's tag 2 binds, tag 7 refused" \
	"(449), no key in audits, Move to context $nctx"

# SIGTERM: ServiceChange Forced to the MGC.
mgc register --wait 5000 >"$WORK/down" &
REG=$!
sleep 0.3
gw_stop
wait $REG
grep -q 'method=Forced' "$WORK/down" || die "no ServiceChange Forced on SIGTERM: $(cat "$WORK/down")"
log "ok: ServiceChange Forced on SIGTERM"
# MGC failover and redirection: the first MGC never answers, the second
# answers the ServiceChange with MgcIdToTry naming the third configured MGC
# (a redirect to any other address is refused: test_iq_faults), and the
# gateway registers with
# that third MGC.
DEAD=$((MGC_PORT - 1)); RED=$((MGC_PORT + 3))
sed -e "s/mgc = \[ \"127.0.0.1:$MGC_PORT\" \]/mgc = [ \"127.0.0.1:$DEAD\", \"127.0.0.1:$MGC_PORT\", \"127.0.0.1:$RED\" ]/" \
	-e 's/retransmit_initial_ms = [0-9]*/retransmit_initial_ms = 100/' \
	-e 's/retransmit_max_ms = [0-9]*/retransmit_max_ms = 200/' \
	-e 's/max_retransmits = [0-9]*/max_retransmits = 2/' "$CONF" >"$WORK/failover.conf"
grep -q "127.0.0.1:$DEAD" "$WORK/failover.conf" || die "failover config not written"
CONF=$WORK/failover.conf
mgc register --wait 40000 --redirect "[127.0.0.1]:$RED" >"$WORK/reg2" &
r1=$!
"$MGC_BIN" --bind 127.0.0.1:$RED --mg 127.0.0.1:$IQ_PORT register --wait 40000 >"$WORK/reg3" &
r2=$!
gw_start
wait $r1 || die "no ServiceChange at the second MGC after failover"
wait $r2 || die "no ServiceChange at the MGC named by MgcIdToTry"
for _ in $(seq 1 30); do grep -q 'registered with MGC' "$WORK/gw.err" && break; sleep 0.1; done
grep -q "failing over to MGC 127.0.0.1:$MGC_PORT" "$WORK/gw.err" || die "no failover logged"
grep -q "redirected to MGC 127.0.0.1:$RED" "$WORK/gw.err" || die "no redirect logged"
grep -q "registered with MGC 127.0.0.1:$RED" "$WORK/gw.err" || die "not registered after redirect"
o=$("$MGC_BIN" --bind 127.0.0.1:$RED --mg 127.0.0.1:$IQ_PORT audit --root) || die "audit via redirected MGC: $o"
log "ok: failover to the second MGC, MgcIdToTry honoured, registered with 127.0.0.1:$RED"
gw_stop

# TCP with TPKT framing (RFC 1006): a minimal MGC in Python accepts the
# gateway's connection, answers its ServiceChange, and runs an Add and a
# Subtract over the same connection.
sed -e 's/transport = "udp"/transport = "tcp"/' "$WORK/iq.conf" 2>/dev/null >"$WORK/tcp.conf" ||
	sed -e 's/transport = "udp"/transport = "tcp"/' "$TOP/configs/imsagw.conf" >"$WORK/tcp.conf"
grep -q 'transport = "tcp"' "$WORK/tcp.conf" || die "tcp config"
CONF=$WORK/tcp.conf
python3 - "$MGC_PORT" >"$WORK/tcp.out" 2>&1 <<'PYEOF' &
import re, socket, struct, sys
port = int(sys.argv[1])
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port)); ls.listen(1); ls.settimeout(40)
c, _ = ls.accept(); c.settimeout(10)
def rd():
    h = b""
    while len(h) < 4: h += c.recv(4 - len(h))
    assert h[0] == 3 and h[1] == 0, h
    n = struct.unpack(">H", h[2:4])[0] - 4
    b = b""
    while len(b) < n: b += c.recv(n - len(b))
    return b.decode()
def wr(t):
    b = t.encode(); c.sendall(struct.pack(">BBH", 3, 0, len(b) + 4) + b)
m = rd(); assert "ServiceChange" in m and "901" in m, m
tid = re.search(r"Transaction = (\d+)", m).group(1)
mid = "MEGACO/3 [127.0.0.1]:%d\n" % port
wr(mid + "Reply = %s { Context = - { ServiceChange = ROOT { Services { Version = 3 } } } }" % tid)
wr(mid + 'Transaction = 7001 { Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "core" }, Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n} } } } } }')
r = rd(); assert "Reply = 7001" in r and "Add = ip/core/" in r and "m=audio 3" in r, r
ctx = re.search(r"Context = (\d+)", r).group(1)
wr(mid + "Transaction = 7002 { Context = %s { Subtract = * } }" % ctx)
r = rd(); assert "Reply = 7002" in r and "nt/os" in r, r
print("tcp ok ctx=%s" % ctx)
PYEOF
tcpmgc=$!
gw_start
wait $tcpmgc || { cat "$WORK/tcp.out"; gw_log; die "Iq over TCP"; }
log "ok: Iq over TCP/TPKT: ServiceChange, Add, Subtract ($(cat "$WORK/tcp.out"))"
gw_stop
echo "test_iq: all checks passed"
