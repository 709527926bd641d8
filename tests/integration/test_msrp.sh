#!/usr/bin/env bash
# Integration (issue 12): MSRP over TLS e2ae through the real imsagw binary on
# net_tap ports in namespaces, programmed over the admin socket. The UE (in
# imsagw-ue) is a TLS client with its own self-signed certificate
# (tests/msrp/msrp_peer.py); the core peer (in imsagw-core) is an independent
# MSRP implementation, Debian's kamailio with its msrp module
# (tests/msrp/kamailio-msrp.cfg), which answers every SEND 200 OK. The gateway
# listens for the UE's TLS (a=setup passive toward the UE), authenticates it
# by the fingerprint the "MGC" gave, and only then connects its plain TCP leg
# to kamailio and relays the bytes unchanged both ways.
#
#  1. a text and a 256 KB file in 2 KB chunks: every SEND answered 200 OK at
#     the UE (kamailio's answers crossed the gateway back), the gateway's
#     certificate checked by the UE against the fingerprint the gateway
#     reported, and Subtract's counters equal to the bytes on the wire;
#  2. a UE with another certificate: refused (fail_tls counted), nothing
#     reaches the core, and the legitimate UE then gets through;
#  3. a UE from another address than the Remote (the gate): refused, counted;
#  4. a plain-TCP (not TLS) client on the TLS leg: refused; TLS 1.1 and a
#     weak (non-ECDHE, CBC) cipher suite from openssl s_client: refused
#     (tls_fail_version, tls_fail_cipher); a client that connects and never
#     finishes the handshake (slowloris): closed after
#     msrp.handshake_timeout_ms (fail_handshake_timeout); a connection to a
#     TCP port no context owns: reset by the kernel;
#  5. the reverse direction with the roles swapped: the UE listens (it
#     offered passive), so the gateway is the TLS client and checks the UE's
#     certificate; the core peer connects to the gateway and sends a file,
#     whose SHA-256 the UE checks; the framing check (framecheck) closes a
#     leg that carries something that is not MSRP (fail_framing), and a
#     reset mid-transfer on one leg resets the other (fail_peer_reset);
#  7. the terminating case: the gateway listens before it has the UE's
#     Remote (it offered first), the UE connects at once; the connection is
#     held, unread, until the Modify brings the address and fingerprint;
#  8. other sessions unaffected, and the core leg decoded by tshark: a
#     second context carries a 20 MB file (MSRP_BIG_MB) from a TLS UE to
#     kamailio in 2 KB chunks while the refusals of parts 2-4 run; every
#     SEND is answered 200 OK, and the core leg, captured by dumpcap and
#     reassembled by tshark, decodes as MSRP (tshark's dissector, no
#     malformed frame) whose SENDs put together give the file's SHA-256;
#  6. over Iq (imsagw-mgc msrp, which requests the TCP/TLS events): a UE
#     with the wrong certificate makes the gateway Notify the MGC
#     (tlsbsc/estfail, cause=fingerprint), then the right UE gets through and
#     Subtract returns nt/or, nt/os and the TLS failure count.
set -u
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v kamailio >/dev/null || { echo "SKIP: kamailio not installed"; exit 77; }
PY=$(command -v /usr/bin/python3 || command -v python3)
PEER=$TOP/tests/msrp/msrp_peer.py
KPORT=7654

# The gateway's certificate and the UE's, both self-signed ECDSA P-256, in a
# directory of their own (an INSTANCE rewrites "imsagw-" in the config,
# which $WORK's name contains).
CERTS=$(mktemp -d /tmp/msrp-certs.XXXXXX)
"$PY" "$PEER" mkcert --cert "$CERTS/gw.pem" --key "$CERTS/gw.key" --cn gw >/dev/null ||
	die "mkcert gw"
"$PY" "$PEER" mkcert --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" --cn ue >/dev/null ||
	die "mkcert ue"
"$PY" "$PEER" mkcert --cert "$CERTS/bad.pem" --key "$CERTS/bad.key" --cn mallory >/dev/null ||
	die "mkcert bad"
ue_fp=$("$PY" "$PEER" fp --cert "$CERTS/ue.pem" | sed 's/^a=fingerprint://')
sed -e "s|certificate = \"\";|certificate = \"$CERTS/gw.pem\";|" \
	-e "s|private_key = \"\";|private_key = \"$CERTS/gw.key\";|" \
	-e "s|handshake_timeout_ms = [0-9]*;|handshake_timeout_ms = 1500;|" "$CONF" >"$WORK/msrp.conf"
grep -q "handshake_timeout_ms = 1500;" "$WORK/msrp.conf" || die "could not set msrp.handshake_timeout_ms"
grep -q "$CERTS/gw.pem" "$WORK/msrp.conf" || die "could not set msrp.certificate in the config"
CONF=$WORK/msrp.conf
# The MGC (imsagw-mgc) answers the gateway's ServiceChange: part 6 runs
# over Iq.
MGC_BIN=$BUILD/tools/imsagw-mgc
mgc() { "$MGC_BIN" --bind 127.0.0.1:"$MGC_PORT" --mg 127.0.0.1:"$IQ_PORT" "$@"; }
mgc register --wait 40000 >"$WORK/reg" 2>&1 &
reg=$!
# Start it with the usual soft limit of 1024 descriptors (what shells and
# systemd give): it must raise that itself for msrp.max_legs (checked below).
ulimit -S -n 1024
gw_start
wait $reg || { cat "$WORK/reg" >&2; die "the gateway did not register over Iq"; }
trap 'rc=$?; rm -rf "$CERTS"; (exit $rc); cleanup' EXIT

# kamailio as the core peer, in the core namespace, stopped by its PID (ip
# netns exec execs it: $! is kamailio's main process, whose TERM stops its
# children; through in_core $! would be a subshell and kamailio would live on).
mkdir -p "$WORK/kam"
ip netns exec "$CORE" kamailio -f "$TOP/tests/msrp/kamailio-msrp.cfg" -DD -E -Y "$WORK/kam" -w "$WORK/kam" \
	-P "$WORK/kam/kamailio.pid" -l "tcp:198.51.100.2:$KPORT" -m 64 -M 8 -A MSRP_QUIET \
	>"$WORK/kam.log" 2>&1 &
KAM=$!
kam_stop() { kill -TERM "$KAM" 2>/dev/null; wait "$KAM" 2>/dev/null; }
BIGPID= DC=
trap 'rc=$?; kam_stop; rm -rf "$CERTS"; (exit $rc); cleanup' EXIT
for _ in $(seq 1 50); do
	in_core ss -ltn 2>/dev/null | grep -q "198.51.100.2:$KPORT" && break
	sleep 0.1
done
in_core ss -ltn | grep -q "198.51.100.2:$KPORT" || { cat "$WORK/kam.log" >&2; die "kamailio not listening"; }

# The gateway raised its descriptor limit for msrp.max_legs (20000 by
# default): at least 2 x 20000 + 256, or the hard limit when that is lower.
soft=$(awk '/^Max open files/ {print $4}' /proc/"$GW_PID"/limits)
hard=$(awk '/^Max open files/ {print $5}' /proc/"$GW_PID"/limits)
want=40256
[ "$hard" != unlimited ] && [ "$hard" -lt $want ] && want=$hard
[ "$soft" = unlimited ] || [ "$soft" -ge "$want" ] ||
	die "RLIMIT_NOFILE soft $soft (hard $hard), wanted $want"

# One MSRP context: the UE's leg is TLS, the UE connects (it offered active,
# we answer passive); the core leg is TCP to kamailio, opened once the UE is
# authenticated.
ctx=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctx" realm=access transport=msrp-tls remote=192.0.2.2 rport=9 \
	setup=active fp="${ue_fp/ /+}") || die "access: $a"
c=$(ctl term add ctx="$ctx" realm=core transport=msrp remote=198.51.100.2 rport=$KPORT \
	setup=passive) || die "core: $c"
ap=$(kv "$a" port); aid=$(kv "$a" id); cid=$(kv "$c" id)
gw_fp=$(kv "$a" fingerprint | tr '+' ' ')
[ "$(kv "$a" setup)" = passive ] || die "our setup toward the UE: $a"
[ "$(kv "$c" setup)" = active ] || die "our setup toward the core: $c"
case $gw_fp in "SHA-256 "*) ;; *) die "no fingerprint in the access reply: $a" ;; esac
want_fp=$("$PY" "$PEER" fp --cert "$CERTS/gw.pem" | sed 's/^a=fingerprint://')
[ "$gw_fp" = "$want_fp" ] || die "our fingerprint $gw_fp is not our certificate's $want_fp"
log "ctx $ctx: ue -> TLS 192.0.2.1:$ap ($aid, ours $gw_fp) | $cid -> kamailio 198.51.100.2:$KPORT"

# --- 8. another session: a 20 MB file while parts 2-4 refuse their peers ----
BIG=$((${MSRP_BIG_MB:-20} * 1048576))
head -c "$BIG" /dev/urandom >"$WORK/big.bin"
bsha=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)
bchunks=$(((BIG + 2047) / 2048))
ctxb=$(kv "$(ctl context add)" ctx)
ab=$(ctl term add ctx="$ctxb" realm=access transport=msrp-tls remote=192.0.2.2 rport=9 \
	setup=active fp="${ue_fp/ /+}") || die "access B: $ab"
cb=$(ctl term add ctx="$ctxb" realm=core transport=msrp remote=198.51.100.2 rport=$KPORT \
	setup=passive) || die "core B: $cb"
bport=$(kv "$ab" port); bcport=$(kv "$cb" port); abid=$(kv "$ab" id); cbid=$(kv "$cb" id)
# The core leg of B only (the gateway connects from its own port). Not
# through in_core: a backgrounded function is a subshell, and $! must be
# dumpcap itself (ip netns exec execs it) for the kill below to stop it.
ip netns exec "$CORE" dumpcap -i "$CORE_IF" -f "tcp and host 198.51.100.1 and port $bcport" -B 64 \
	-a duration:300 -w "$WORK/msrp_core.pcap" -q 2>"$WORK/dumpcap.err" &
DC=$!
trap 'rc=$?; kill "$BIGPID" "$DC" 2>/dev/null; kam_stop; rm -rf "$CERTS"; (exit $rc); cleanup' EXIT
for _ in $(seq 1 200); do grep -q '^Capturing on' "$WORK/dumpcap.err" && break; sleep 0.1; done
grep -q '^Capturing on' "$WORK/dumpcap.err" || die "dumpcap did not start: $(cat "$WORK/dumpcap.err")"
in_ue "$PY" "$PEER" --connect "192.0.2.1:$bport" --tls --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" \
	--peer-fp "$gw_fp" --file "$WORK/big.bin" --chunk 2048 --window 32 --timeout 280 --idle 60 \
	>"$WORK/big.out" 2>&1 &
BIGPID=$!
t_big=$SECONDS
log "ctx $ctxb: a $BIG-byte file in $bchunks chunks, while the refusals run on ctx $ctx"

ue_send() { # out cert key [extra args]
	local out=$1 cert=$2 key=$3
	shift 3
	in_ue "$PY" "$PEER" --connect "192.0.2.1:$ap" --tls --cert "$cert" --key "$key" \
		--peer-fp "$gw_fp" --timeout 30 --connect-timeout 5 "$@" >"$out" 2>&1
}

# --- 2. the wrong certificate first: refused, nothing relayed ---------------
ue_send "$WORK/bad.out" "$CERTS/bad.pem" "$CERTS/bad.key" --text hello && {
	cat "$WORK/bad.out" >&2
	die "a UE with another certificate got through"
}
sleep 0.3
s=$(ctl term show ctx="$ctx" id="$aid") || die "$s"
[ "$(kv "$s" fail_tls)" -ge 1 ] 2>/dev/null || die "no fail_tls after a wrong certificate: $s"
[ "$(kv "$s" bytes_in)" = 0 ] || die "bytes taken from an unauthenticated UE: $s"
log "ok: a certificate that is not the Remote's is refused (fail_tls=$(kv "$s" fail_tls)), nothing relayed"

# --- 4. plain TCP on the TLS leg --------------------------------------------
in_ue "$PY" -c '
import socket,sys
c=socket.create_connection(("192.0.2.1",int(sys.argv[1])),timeout=5)
c.sendall(b"MSRP a786hjs2 SEND\r\nTo-Path: msrp://x/y;tcp\r\n\r\n")
c.settimeout(5)
try:
    d=c.recv(64)
except ConnectionResetError:
    d=b""
sys.exit(0 if not d.startswith(b"MSRP") else 1)' "$ap" || die "plain TCP on the TLS leg answered like MSRP"
log "ok: plain TCP on the TLS leg gets no MSRP"

# --- 1. the legitimate UE: a text and a file ---------------------------------
head -c 262144 /dev/urandom >"$WORK/file.bin"
sha=$(sha256sum "$WORK/file.bin" | cut -d' ' -f1)
ue_send "$WORK/ue.out" "$CERTS/ue.pem" "$CERTS/ue.key" --text "hello from the UE" \
	--file "$WORK/file.bin" --chunk 2048 --window 4 ||
	{ cat "$WORK/ue.out" >&2; gw_log; die "the UE's transfer failed"; }
grep -q "^result ok" "$WORK/ue.out" || { cat "$WORK/ue.out" >&2; die "no result line from the UE"; }
grep -q "^sent msg id=.* bytes=262144 chunks=128 sha256=$sha" "$WORK/ue.out" ||
	{ cat "$WORK/ue.out" >&2; die "the UE did not send the file it was given"; }
sent=$(sed -n 's/^sent msgs=2 chunks=\([0-9]*\).*/\1/p' "$WORK/ue.out" | tail -1)
okn=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' "$WORK/ue.out" | tail -1)
[ -n "$sent" ] && [ "$sent" = "$okn" ] || { cat "$WORK/ue.out" >&2; die "200 OKs: $okn of $sent"; }
[ "$sent" = 129 ] || { cat "$WORK/ue.out" >&2; die "chunks sent: $sent"; }
log "ok: the UE's text and 256 KB file (sha256 $sha): $okn SENDs, each answered 200 OK by kamailio through the gateway"

sleep 0.3
sa=$(ctl term show ctx="$ctx" id="$aid") || die "$sa"
sc=$(ctl term show ctx="$ctx" id="$cid") || die "$sc"
ain=$(kv "$sa" bytes_in); aout=$(kv "$sa" bytes_out)
cin=$(kv "$sc" bytes_in); cout=$(kv "$sc" bytes_out)
[ "$ain" -gt 262144 ] 2>/dev/null || die "access bytes_in $ain"
[ "$ain" = "$cout" ] || die "UE -> core: access took $ain, core sent $cout"
[ "$cin" = "$aout" ] || die "core -> UE: core took $cin, access sent $aout"
log "ok: bytes relayed unchanged in count: UE->core $ain, core->UE $cin"
# Subtract returns the counters of the legs.
sub=$(ctl term subtract ctx="$ctx" id="$aid") || die "$sub"
[ "$(kv "$sub" bytes_in)" = "$ain" ] && [ "$(kv "$sub" bytes_out)" = "$aout" ] ||
	die "subtract: $sub (bytes_in $ain bytes_out $aout expected)"
ctl context delete ctx="$ctx" >/dev/null
log "ok: Subtract returns the leg's counters (bytes_in=$ain bytes_out=$aout)"

# --- 3. the gate: a UE address other than the Remote ------------------------
in_ue ip addr add 192.0.2.9/24 dev "$UE_IF" 2>/dev/null
ctx2=$(kv "$(ctl context add)" ctx)
a2=$(ctl term add ctx="$ctx2" realm=access transport=msrp-tls remote=192.0.2.2 rport=9 \
	setup=active fp="${ue_fp/ /+}") || die "$a2"
ap2=$(kv "$a2" port); aid2=$(kv "$a2" id)
in_ue "$PY" -c '
import socket,sys
s=socket.socket(); s.bind(("192.0.2.9",0)); s.settimeout(5)
try:
    # the reset may come before connect() returns
    s.connect(("192.0.2.1",int(sys.argv[1])))
    d=s.recv(1)
except (ConnectionResetError, ConnectionRefusedError, socket.timeout):
    d=b""
sys.exit(0 if d==b"" else 1)' "$ap2" || die "a connection from 192.0.2.9 was served"
sleep 0.3
s2=$(ctl term show ctx="$ctx2" id="$aid2") || die "$s2"
[ "$(kv "$s2" fail_gate)" -ge 1 ] 2>/dev/null || die "no fail_gate counted: $s2"
log "ok: a connection from 192.0.2.9 (Remote 192.0.2.2) is refused, fail_gate=$(kv "$s2" fail_gate)"
ctl context delete ctx="$ctx2" >/dev/null

# --- 4. the TLS profile and the handshake timer ----------------------------
s_client() { # expect-fail label args...
	local label=$1
	shift
	if in_ue timeout 10 openssl s_client -connect "192.0.2.1:$ap" -cert "$CERTS/ue.pem" \
		-key "$CERTS/ue.key" "$@" </dev/null >"$WORK/s_client.out" 2>&1 &&
		grep -q "^New, TLS" "$WORK/s_client.out" && ! grep -q "alert" "$WORK/s_client.out"; then
		cat "$WORK/s_client.out" >&2
		die "$label: handshake completed"
	fi
}
ctx3=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctx3" realm=access transport=msrp-tls remote=192.0.2.2 rport=9 \
	setup=active fp="${ue_fp/ /+}") || die "$a"
ap=$(kv "$a" port); aid=$(kv "$a" id)
s_client "TLS 1.1" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
s_client "AES128-SHA (no ECDHE, CBC)" -tls1_2 -cipher 'AES128-SHA:@SECLEVEL=0'
# A client that connects and sends nothing: the handshake timer closes it.
t0=$(date +%s%N)
in_ue "$PY" -c '
import socket,sys
c=socket.create_connection(("192.0.2.1",int(sys.argv[1])),timeout=10)
try:
    d=c.recv(1)
except ConnectionResetError:
    d=b""
sys.exit(0 if d==b"" else 1)' "$ap" || die "a silent client was not closed"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 1000 ] && [ "$ms" -lt 9000 ] || die "silent client closed after $ms ms (handshake_timeout_ms 1500)"
sleep 0.3
s=$(ctl term show ctx="$ctx3" id="$aid") || die "$s"
[ "$(kv "$s" tls_fail_version)" -ge 1 ] 2>/dev/null || die "TLS 1.1 not counted as version: $s"
[ "$(kv "$s" tls_fail_cipher)" -ge 1 ] 2>/dev/null || die "AES128-SHA not counted as cipher: $s"
[ "$(kv "$s" fail_handshake_timeout)" = 1 ] || die "slowloris not counted: $s"
log "ok: TLS 1.1 (tls_fail_version), AES128-SHA (tls_fail_cipher) refused; a silent client closed after $ms ms (fail_handshake_timeout)"
ctl context delete ctx="$ctx3" >/dev/null
in_ue "$PY" -c '
import socket,sys
try:
    socket.create_connection(("192.0.2.1",int(sys.argv[1])),timeout=5)
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$ap" || die "a port no context owns accepted a connection"
log "ok: a TCP port no context owns refuses the connection"

# --- 8. (end) the other session went on untouched ---------------------------
wait "$BIGPID" || { cat "$WORK/big.out" >&2; gw_log; die "the 20 MB session failed beside the refusals"; }
BIGPID=
t_big=$((SECONDS - t_big))
grep -q "^sent msg id=.* bytes=$BIG chunks=$bchunks sha256=$bsha" "$WORK/big.out" ||
	{ cat "$WORK/big.out" >&2; die "the UE did not send the big file"; }
grep -q "^sent msgs=1 chunks=$bchunks .* ok=$bchunks" "$WORK/big.out" ||
	{ tail -3 "$WORK/big.out" >&2; die "not every SEND of the big file was answered 200 OK"; }
sleep 0.5
sa=$(ctl term show ctx="$ctxb" id="$abid") || die "$sa"
sc=$(ctl term show ctx="$ctxb" id="$cbid") || die "$sc"
[ "$(kv "$sa" bytes_in)" = "$(kv "$sc" bytes_out)" ] && [ "$(kv "$sa" bytes_in)" -gt "$BIG" ] ||
	die "B's counters: access $sa | core $sc"
[ "$(kv "$sa" fail_tls)" = 0 ] && [ "$(kv "$sa" fail_gate)" = 0 ] ||
	die "B counted failures that were other sessions': $sa"
kill -TERM "$DC"
wait "$DC" || true
DC=
tshark -r "$WORK/msrp_core.pcap" -q -z "follow,tcp,raw,198.51.100.1:$bcport,198.51.100.2:$KPORT" \
	>"$WORK/follow.txt" 2>/dev/null || die "tshark could not follow B's core leg"
"$PY" "$PEER" stream --follow "$WORK/follow.txt" --node 0 >"$WORK/stream0.out" 2>&1
"$PY" "$PEER" stream --follow "$WORK/follow.txt" --node 1 >"$WORK/stream1.out" 2>&1
grep -q "^recv msg id=.* bytes=$BIG chunks=$bchunks sha256=$bsha" "$WORK/stream0.out" &&
	grep -q "^stream bytes=$(kv "$sc" bytes_out) sends=$bchunks responses=- msgs=1 partial=0" \
		"$WORK/stream0.out" ||
	{ cat "$WORK/stream0.out" >&2; die "the core leg does not carry the file"; }
grep -q "^stream .* sends=0 responses=200:$bchunks msgs=0" "$WORK/stream1.out" ||
	{ cat "$WORK/stream1.out" >&2; die "the core leg does not carry kamailio's 200 OKs"; }
# tshark's own MSRP dissector on the same capture.
ts() { tshark -r "$WORK/msrp_core.pcap" -d "tcp.port==$KPORT,msrp" "$@" 2>/dev/null; }
mid=$(sed -n 's/^sent msg id=\([^ ]*\) .*/\1/p' "$WORK/big.out")
nsend=$(ts -Y 'msrp.method == "SEND"' -T fields -e msrp.messageid | tr ',' '\n' | grep -c "^$mid$")
n200=$(ts -Y 'msrp.status.code == 200' -T fields -e msrp.status.code | tr ',' '\n' | grep -c '^200$')
# The exact counts are the reassembled stream's above: the dissector does
# not put a frame together across TCP segments, so it delimits only the
# SENDs that start a segment, and misses the few 200 OKs a segment boundary
# cuts; what it decodes must be MSRP, and nothing from kamailio malformed.
bad=$(ts -Y "tcp.srcport == $KPORT && (_ws.malformed || _ws.expert.severity == error)" | wc -l)
[ "$nsend" -ge 1 ] && [ "$n200" -ge $((bchunks * 9 / 10)) ] && [ "$bad" = 0 ] ||
	die "tshark's MSRP dissector: $nsend SENDs of $mid, $n200 200 OKs, $bad malformed"
ctl context delete ctx="$ctxb" >/dev/null
log "ok: beside the refusals, ctx $ctxb carried $BIG bytes in $bchunks SENDs (${t_big} s), all 200 OK; the core leg reassembled by tshark gives sha256 $bsha (tshark's MSRP dissector: $n200 200 OKs, none malformed, and $nsend SENDs it could delimit)"

# --- 5. the gateway as TLS client, data core -> UE ---------------------------
UPORT=5600
CPORT_FILE=$WORK/core.port
ctx4=$(kv "$(ctl context add)" ctx)
c=$(ctl term add ctx="$ctx4" realm=core transport=msrp remote=198.51.100.2 rport=9 \
	setup=active) || die "core: $c"
cp=$(kv "$c" port)
[ "$(kv "$c" setup)" = passive ] || die "our setup toward an active core peer: $c"
head -c 131072 /dev/urandom >"$WORK/down.bin"
dsha=$(sha256sum "$WORK/down.bin" | cut -d' ' -f1)
in_ue "$PY" "$PEER" --listen "192.0.2.2:$UPORT" --tls --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" \
	--peer-cert "$CERTS/gw.pem" --peer-fp "$gw_fp" --expect-msgs 1 --expect-sha256 "$dsha" \
	--timeout 30 >"$WORK/ue_srv.out" 2>&1 &
uepid=$!
for _ in $(seq 1 50); do grep -q "^listening" "$WORK/ue_srv.out" 2>/dev/null && break; sleep 0.1; done
a=$(ctl term add ctx="$ctx4" realm=access transport=msrp-tls remote=192.0.2.2 rport=$UPORT \
	setup=passive fp="${ue_fp/ /+}") || die "access: $a"
aid=$(kv "$a" id)
[ "$(kv "$a" setup)" = active ] || die "our setup toward a passive UE: $a"
in_core "$PY" "$PEER" --connect "198.51.100.1:$cp" --file "$WORK/down.bin" --chunk 2048 \
	--window 4 --timeout 30 >"$WORK/core_cli.out" 2>&1 ||
	{ cat "$WORK/core_cli.out" "$WORK/ue_srv.out" >&2; gw_log; die "core -> UE transfer"; }
wait "$uepid" || { cat "$WORK/ue_srv.out" >&2; die "the UE (TLS server) did not get the file"; }
grep -q "^recv msg id=.* sha256=$dsha" "$WORK/ue_srv.out" ||
	{ cat "$WORK/ue_srv.out" >&2; die "the UE's copy differs"; }
grep -q "^sent msgs=1 chunks=64 .* ok=64" "$WORK/core_cli.out" ||
	{ cat "$WORK/core_cli.out" >&2; die "200 OKs from the UE did not reach the core"; }
log "ok: gateway as TLS client (UE passive): 128 KB from the core reached the UE intact (sha256 $dsha), 64 x 200 OK back"
ctl context delete ctx="$ctx4" >/dev/null

# --- 7. the terminating case: the UE connects before the Modify -------------
ctxt=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctxt" realm=access transport=msrp-tls) || die "access, Local only: $a"
[ "$(kv "$a" state)" = listening ] || die "no listener before the Remote: $a"
tp=$(kv "$a" port); tid=$(kv "$a" id)
c=$(ctl term add ctx="$ctxt" realm=core transport=msrp remote=198.51.100.2 rport=$KPORT \
	setup=passive) || die "core: $c"
in_ue "$PY" "$PEER" --connect "192.0.2.1:$tp" --tls --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" \
	--peer-fp "$gw_fp" --text "early bird" --timeout 30 >"$WORK/early.out" 2>&1 &
epid=$!
for _ in $(seq 1 50); do
	in_ue ss -tn 2>/dev/null | grep -q "ESTAB.*192.0.2.1:$tp" && break
	sleep 0.1
done
sleep 0.5
s=$(ctl term show ctx="$ctxt" id="$tid") || die "$s"
# Held: accepted by the kernel but not read, not handshaken, not counted.
[ "$(kv "$s" up)" = 0 ] && [ "$(kv "$s" conns)" = 0 ] && [ "$(kv "$s" bytes_in)" = 0 ] &&
	[ "$(kv "$s" fail_gate)" = 0 ] && [ "$(kv "$s" fail_tls)" = 0 ] ||
	die "a UE before the Remote was not held: $s"
kill -0 "$epid" 2>/dev/null || { cat "$WORK/early.out" >&2; die "the early UE gave up"; }
m=$(ctl term modify ctx="$ctxt" id="$tid" remote=192.0.2.2 rport=9 setup=active \
	fp="${ue_fp/ /+}") || die "modify: $m"
wait "$epid" || { cat "$WORK/early.out" >&2; gw_log; die "the early UE failed after the Modify"; }
grep -q "^sent msgs=1 chunks=1 .* ok=1" "$WORK/early.out" ||
	{ cat "$WORK/early.out" >&2; die "no 200 OK for the early UE"; }
s=$(ctl term show ctx="$ctxt" id="$tid") || die "$s"
[ "$(kv "$s" fail_tls)" = 0 ] && [ "$(kv "$s" fail_handshake_timeout)" = 0 ] &&
	[ "$(kv "$s" conns)" = 1 ] && [ "$(kv "$s" bytes_in)" -gt 0 ] ||
	die "the held UE was not relayed once, or was counted as a failure: $s"
ctl context delete ctx="$ctxt" >/dev/null
log "ok: terminating case: a UE that connected before the Modify was held, then authenticated and relayed (200 OK from kamailio)"

# --- 5b. the framing check and a reset mid-transfer --------------------------
ctx5=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctx5" realm=access transport=msrp-tls remote=192.0.2.2 rport=9 \
	setup=active fp="${ue_fp/ /+}" framecheck) || die "$a"
ap=$(kv "$a" port); aid=$(kv "$a" id)
c=$(ctl term add ctx="$ctx5" realm=core transport=msrp remote=198.51.100.2 rport=$KPORT \
	setup=passive) || die "$c"
in_ue "$PY" - "$ap" "$CERTS/ue.pem" "$CERTS/ue.key" <<'PYEOF' || die "the framing check did not close an HTTP request"
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
raw = socket.create_connection(("192.0.2.1", int(sys.argv[1])), timeout=10)
t = ctx.wrap_socket(raw)
t.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
try:
    d = t.recv(64)
except (ssl.SSLError, ConnectionResetError, OSError):
    d = b""
sys.exit(0 if d == b"" else 1)
PYEOF
sleep 0.3
s=$(ctl term show ctx="$ctx5" id="$aid") || die "$s"
[ "$(kv "$s" fail_framing)" = 1 ] || die "HTTP on a framecheck leg not counted: $s"
log "ok: framecheck closes a TLS leg carrying HTTP (fail_framing=1)"
ctl context delete ctx="$ctx5" >/dev/null

ctx6=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctx6" realm=access transport=msrp-tls remote=192.0.2.2 rport=9 \
	setup=active fp="${ue_fp/ /+}") || die "$a"
ap=$(kv "$a" port); aid=$(kv "$a" id)
c=$(ctl term add ctx="$ctx6" realm=core transport=msrp remote=198.51.100.2 rport=9 \
	setup=active) || die "$c"
cp=$(kv "$c" port); cid=$(kv "$c" id)
# The core peer connects and holds; the UE sends a little, then resets.
in_core "$PY" -c '
import socket,sys,time
c=socket.create_connection(("198.51.100.1",int(sys.argv[1])),timeout=10)
got=b""
try:
    while True:
        d=c.recv(65536)
        if not d: break
        got+=d
except ConnectionResetError:
    print("reset after", len(got)); sys.exit(0)
print("eof after", len(got)); sys.exit(1)' "$cp" >"$WORK/core_rst.out" 2>&1 &
cpid=$!
sleep 0.5
in_ue "$PY" - "$ap" "$CERTS/ue.pem" "$CERTS/ue.key" <<'PYEOF' || die "UE reset client"
import socket, ssl, struct, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
raw = socket.create_connection(("192.0.2.1", int(sys.argv[1])), timeout=10)
t = ctx.wrap_socket(raw)
t.sendall(b"MSRP a786hjs2 SEND\r\nTo-Path: msrp://a/b;tcp\r\nFrom-Path: msrp://c/d;tcp\r\n"
          b"Message-ID: 1\r\nByte-Range: 1-*/*\r\nContent-Type: text/plain\r\n\r\n" + b"x" * 4000)
time.sleep(0.5)
# the TLS socket took over raw's fd: linger 0 on it, close without
# close_notify: an RST
t.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
t.close()
PYEOF
wait "$cpid" || { cat "$WORK/core_rst.out" >&2; die "the core leg was not reset after the UE's reset"; }
sleep 0.3
s=$(ctl term show ctx="$ctx6" id="$aid") || die "$s"
[ "$(kv "$s" fail_peer_reset)" = 1 ] || die "the UE's reset not counted: $s"
log "ok: a reset mid-transfer from the UE resets the core leg ($(cat "$WORK/core_rst.out"))"
ctl context delete ctx="$ctx6" >/dev/null

# --- 6. over Iq: the failure reaches the MGC as a Notify ---------------------
out=$(mgc msrp --ue 192.0.2.2:9 --ue-fp "$ue_fp" --ue-setup active --core 198.51.100.2:$KPORT) ||
	die "Iq MSRP Add: $out"
val() { awk -v k="$2" '{ i = index($0, "="); if (i && substr($0, 1, i - 1) == k) { print substr($0, i + 1); exit } }' <<<"$1"; }
mctx=$(val "$out" ctx); mp=$(val "$out" term0_port); mfp=$(val "$out" term0_fingerprint)
[ "$mfp" = "$gw_fp" ] || die "Iq reply fingerprint '$mfp', expected $gw_fp"
mgc listen --wait 15000 --count 1 >"$WORK/notify.out" 2>&1 &
lpid=$!
sleep 0.5
ap=$mp
ue_send "$WORK/bad2.out" "$CERTS/bad.pem" "$CERTS/bad.key" --text hello &&
	die "a UE with another certificate got through (Iq context)"
wait "$lpid" || { cat "$WORK/notify.out" >&2; die "no Notify reached the MGC"; }
grep -q "cmd=Notify .*event=tlsbsc/estfail.*cause=fingerprint" "$WORK/notify.out" ||
	{ cat "$WORK/notify.out" >&2; die "the Notify is not tlsbsc/estfail cause=fingerprint"; }
log "ok: Iq: $(grep -o 'event=.*' "$WORK/notify.out")"
ue_send "$WORK/ue2.out" "$CERTS/ue.pem" "$CERTS/ue.key" --text "over Iq" ||
	{ cat "$WORK/ue2.out" >&2; die "the right UE after the Notify"; }
out=$(mgc subtract --ctx "$mctx") || die "Iq subtract: $out"
or=$(val "$out" term0_nt/or); hf=$(val "$out" term0_tlsbsc/fpf)
[ "${or:-0}" -gt 0 ] && [ "$hf" = 1 ] || die "Iq Subtract statistics: $out"
log "ok: Iq Subtract: term0 nt/or=$or nt/os=$(val "$out" term0_nt/os) tlsbsc/fpf=$hf"

kam_stop
log "PASS: test_msrp"
