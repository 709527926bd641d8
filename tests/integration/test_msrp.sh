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
#  4. a plain-TCP (not TLS) client on the TLS leg: refused.
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
	-e "s|private_key = \"\";|private_key = \"$CERTS/gw.key\";|" "$CONF" >"$WORK/msrp.conf"
grep -q "$CERTS/gw.pem" "$WORK/msrp.conf" || die "could not set msrp.certificate in the config"
CONF=$WORK/msrp.conf
gw_start
trap 'rm -rf "$CERTS"; cleanup' EXIT

# kamailio as the core peer, in the core namespace, stopped by its PID.
mkdir -p "$WORK/kam"
in_core kamailio -f "$TOP/tests/msrp/kamailio-msrp.cfg" -DD -E -Y "$WORK/kam" -w "$WORK/kam" \
	-P "$WORK/kam/kamailio.pid" -l "tcp:198.51.100.2:$KPORT" -m 64 -M 8 -A MSRP_QUIET \
	>"$WORK/kam.log" 2>&1 &
KAM=$!
kam_stop() { kill -TERM "$KAM" 2>/dev/null; wait "$KAM" 2>/dev/null; }
trap 'kam_stop; rm -rf "$CERTS"; cleanup' EXIT
for _ in $(seq 1 50); do
	in_core ss -ltn 2>/dev/null | grep -q "198.51.100.2:$KPORT" && break
	sleep 0.1
done
in_core ss -ltn | grep -q "198.51.100.2:$KPORT" || { cat "$WORK/kam.log" >&2; die "kamailio not listening"; }

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

# --- 3. the gate: a UE address other than the Remote ------------------------
in_ue ip addr add 192.0.2.9/24 dev "$UE_IF" 2>/dev/null
ctx2=$(kv "$(ctl context add)" ctx)
a2=$(ctl term add ctx="$ctx2" realm=access transport=msrp-tls remote=192.0.2.2 rport=9 \
	setup=active fp="${ue_fp/ /+}") || die "$a2"
ap2=$(kv "$a2" port); aid2=$(kv "$a2" id)
in_ue "$PY" -c '
import socket,sys
s=socket.socket(); s.bind(("192.0.2.9",0)); s.settimeout(5)
s.connect(("192.0.2.1",int(sys.argv[1])))
try:
    d=s.recv(1)
except (ConnectionResetError, socket.timeout):
    d=b""
sys.exit(0 if d==b"" else 1)' "$ap2" || die "a connection from 192.0.2.9 was served"
sleep 0.3
s2=$(ctl term show ctx="$ctx2" id="$aid2") || die "$s2"
[ "$(kv "$s2" fail_gate)" -ge 1 ] 2>/dev/null || die "no fail_gate counted: $s2"
log "ok: a connection from 192.0.2.9 (Remote 192.0.2.2) is refused, fail_gate=$(kv "$s2" fail_gate)"
ctl context delete ctx="$ctx2" >/dev/null

# Subtract returns the counters of the legs.
sub=$(ctl term subtract ctx="$ctx" id="$aid") || die "$sub"
[ "$(kv "$sub" bytes_in)" = "$ain" ] || die "subtract: $sub (bytes_in $ain expected)"
ctl context delete ctx="$ctx" >/dev/null
kam_stop
log "PASS: test_msrp"
