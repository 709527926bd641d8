#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# selftest.sh: the MSRP test peers checked against each other, without the
# gateway (issue 12). Not a meson test: the integration tests use the peers;
# this shows the peers themselves work. Needs kamailio (Debian's package,
# with its msrp module), openssl, python3; tshark and root for the capture
# part (skipped otherwise). Everything runs on 127.0.0.1 on free ports, in
# a temporary directory; only the processes started here are stopped, by
# PID. Bounded: every peer has a timeout, the whole script well under a
# minute on this box.
#
#  1. certificates: msrp_peer.py mkcert (ECDSA P-256, self-signed), its
#     a=fingerprint equal to `openssl x509 -fingerprint -sha256`;
#  2. kamailio (kamailio-msrp.cfg) answers one SEND: the exact 200 OK bytes,
#     To-Path and From-Path swapped (RFC 4975 §7.2);
#  3. msrp_peer.py (plain TCP client) sends a text and a 1 MB file in 2 KB
#     chunks to kamailio: every chunk answered 200 OK, kamailio logged every
#     frame, and tshark's MSRP dissector decodes the capture of that
#     connection (SENDs and 200s counted). tshark 4.0's MSRP dissector
#     decodes one MSRP frame per TCP segment (no PDU splitting), so this
#     transfer runs with one SEND in flight (--window 1): one frame per
#     segment each way;
#  4. msrp_peer.py TLS client -> msrp_peer.py TLS server, mutual certificates,
#     fingerprints checked both ways: a 20 MB file with equal SHA-256 at both
#     ends, TLS 1.3; both directions at once on one connection (the core
#     side sending too); a text over TLS 1.2;
#  5. a wrong fingerprint and an unexpected client certificate fail.
#
# Usage: tests/msrp/selftest.sh        (prints "selftest: N passed, M failed")
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PEER=$HERE/msrp_peer.py
CFG=$HERE/kamailio-msrp.cfg
# The system interpreter when there is one: a pyenv shim costs seconds per
# start on this box.
PY=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
WORK=$(mktemp -d /tmp/msrp-selftest.XXXXXX)
PIDS=()
pass=0
fail=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

ok() { echo "PASS: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for FILE PATTERN [tenths]: until a line matching PATTERN is in FILE.
wait_for() {
	local i
	for ((i = 0; i < ${3:-100}; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

wait_listen() {
	local i
	for ((i = 0; i < 100; i++)); do
		ss -ltn "sport = :$1" | grep -q LISTEN && return 0
		sleep 0.1
	done
	return 1
}

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" | head -1; }

cd "$WORK" || exit 1

# --- 1. certificates --------------------------------------------------------
"$PY" "$PEER" mkcert --cert ue.pem --key ue.key --cn ue >ue.fp &&
	"$PY" "$PEER" mkcert --cert gw.pem --key gw.key --cn gw >gw.fp &&
	"$PY" "$PEER" mkcert --cert other.pem --key other.key --cn other >/dev/null ||
	{ ko "mkcert"; exit 1; }
UE_FP=$(sed 's/^a=fingerprint://' ue.fp)
GW_FP=$(sed 's/^a=fingerprint://' gw.fp)
ossl=$(openssl x509 -in ue.pem -noout -fingerprint -sha256 | sed 's/.*=//')
echo "ue  a=fingerprint:$UE_FP"
echo "gw  a=fingerprint:$GW_FP"
echo "openssl x509 -fingerprint -sha256 (ue): $ossl"
[ "$UE_FP" = "SHA-256 $ossl" ] && [ "$(stat -c %a ue.key)" = 600 ] &&
	openssl x509 -in ue.pem -noout -text | grep -q "ASN1 OID: prime256v1" &&
	ok "certificate: P-256, fingerprint equal to openssl's, key 0600" || ko "certificate"

# --- 2. kamailio answers a SEND ---------------------------------------------
KPORT=$(free_port)
CAP=0
if [ "$(id -u)" = 0 ] && command -v tshark >/dev/null; then
	tshark -i lo -f "tcp port $KPORT" -w "$WORK/kam.pcapng" >tshark.log 2>&1 &
	TS_PID=$!
	PIDS+=("$TS_PID")
	# dumpcap says so once it captures.
	wait_for tshark.log "Capturing on" 150 && sleep 0.5 && CAP=1
fi
mkdir -p kam
kamailio -f "$CFG" -DD -E -Y "$WORK/kam" -w "$WORK/kam" -P "$WORK/kam/kamailio.pid" \
	-l "tcp:127.0.0.1:$KPORT" -m 64 -M 8 >kam.log 2>&1 &
KAM_PID=$!
PIDS+=("$KAM_PID")
echo "kamailio -f $CFG -DD -E -Y $WORK/kam -w $WORK/kam -P $WORK/kam/kamailio.pid" \
	"-l tcp:127.0.0.1:$KPORT -m 64 -M 8   (pid $KAM_PID)"
wait_listen "$KPORT" || { ko "kamailio did not listen"; tail -20 kam.log; exit 1; }

"$PY" - "$KPORT" <<'PY' && ok "kamailio: exact 200 OK bytes, paths swapped" || ko "kamailio 200 OK"
import socket, sys, time
port = int(sys.argv[1])
to, frm = "msrp://127.0.0.1:%d/core-s1;tcp" % port, "msrp://127.0.0.1:40000/ue-s1;tcp"
req = ("MSRP a786hjs2 SEND\r\nTo-Path: %s\r\nFrom-Path: %s\r\nMessage-ID: 87652491\r\n"
       "Byte-Range: 1-23/23\r\nContent-Type: text/plain\r\n\r\nHey Bob, are you there?\r\n"
       "-------a786hjs2$\r\n" % (to, frm)).encode()
want = ("MSRP a786hjs2 200 OK\r\nTo-Path: %s\r\nFrom-Path: %s\r\nMessage-ID: 87652491\r\n"
        "-------a786hjs2$\r\n" % (frm, to)).encode()
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.sendall(req)
got, end = b"", time.monotonic() + 5
while not got.endswith(b"$\r\n") and time.monotonic() < end:
    d = s.recv(4096)
    if not d:
        break
    got += d
s.close()
print("sent:", req.decode().replace("\r\n", "\\r\\n"))
print("got: ", got.decode(errors="replace").replace("\r\n", "\\r\\n"))
sys.exit(0 if got == want else 1)
PY

# --- 3. 1 MB in 2 KB chunks to kamailio, with tshark decoding it -----------
"$PY" "$PEER" --connect "127.0.0.1:$KPORT" --to-path "msrp://127.0.0.1:$KPORT/core-s2;tcp" \
	--from-path "msrp://127.0.0.1:40001/ue-s2;tcp" --text "hello core" --random 1048576 \
	--window 1 --timeout 30 >send_kam.out 2>&1
cat send_kam.out
sums=$(grep '^sent msgs=' send_kam.out)
frames=$(grep -c 'msrp-peer: frame .* req SEND' kam.log)
echo "kamailio logged $frames SEND frames (1 + 513)"
[ "$sums" = "sent msgs=2 chunks=513 bytes=1048586 ok=513" ] && grep -q '^result ok' send_kam.out &&
	[ "$frames" = 514 ] && ok "msrp_peer -> kamailio: 513 chunks, 513 x 200 OK" ||
	ko "msrp_peer -> kamailio"
grep 'msrp-peer: frame' kam.log | sed -n '1p;$p'
grep -E 'ERROR|CRITICAL' kam.log | grep -v 'tls.*not loaded' | head -5

kill -TERM "$KAM_PID"
wait "$KAM_PID"
krc=$?
[ "$krc" = 0 ] && ! kill -0 "$KAM_PID" 2>/dev/null && ok "kamailio stopped by its PID (rc 0)" ||
	ko "kamailio stop rc=$krc"

if [ "$CAP" = 1 ]; then
	sleep 0.5
	kill -TERM "$TS_PID"
	wait "$TS_PID"
	tshark -r kam.pcapng -d "tcp.port==$KPORT,msrp" -Y msrp -T fields \
		-e msrp.method -e msrp.status.code 2>/dev/null >decode.txt
	sends=$(grep -c '^SEND' decode.txt)
	oks=$(grep -c '^	200' decode.txt)
	echo "tshark -r kam.pcapng -d tcp.port==$KPORT,msrp -Y msrp: $sends SEND, $oks 200"
	tshark -r kam.pcapng -d "tcp.port==$KPORT,msrp" -Y msrp 2>/dev/null | head -4
	[ "$sends" = 514 ] && [ "$oks" = 514 ] && ok "tshark decodes 514 SEND and 514 200 OK" ||
		ko "tshark decode ($sends SEND, $oks 200)"
else
	echo "SKIP: tshark capture (needs root and tshark)"
fi

# --- 4. TLS client -> TLS server, mutual, 20 MB ----------------------------
# tls_pair NAME SERVER-ARGS -- CLIENT-ARGS: msrp_peer.py as the TLS server
# (gw's certificate, asking for ue's) on a free port and as the client;
# NAME_srv.out, NAME_cli.out; crc and src are their exit codes.
tls_pair() {
	local name=$1 port srv a
	local -a sargs=() cargs=()
	shift
	for a; do
		shift
		[ "$a" = -- ] && break
		sargs+=("$a")
	done
	cargs=("$@")
	port=$(free_port)
	"$PY" "$PEER" --listen "127.0.0.1:$port" --tls --cert gw.pem --key gw.key --peer-cert ue.pem \
		"${sargs[@]}" >"${name}_srv.out" 2>&1 &
	srv=$!
	PIDS+=("$srv")
	wait_for "${name}_srv.out" '^listening' || echo "$name: the server did not listen"
	"$PY" "$PEER" --connect "127.0.0.1:$port" --tls "${cargs[@]}" >"${name}_cli.out" 2>&1
	crc=$?
	wait "$srv"
	src=$?
}

start=$(date +%s%N)
tls_pair tls --peer-fp "$UE_FP" --expect-msgs 1 --timeout 50 -- --cert ue.pem --key ue.key \
	--peer-cert gw.pem --peer-fp "$GW_FP" --random 20971520 --seed 20 --timeout 50
secs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
cat tls_cli.out tls_srv.out
s_sha=$(grep '^sent msg ' tls_cli.out | field sha256)
r_sha=$(grep '^recv msg ' tls_srv.out | field sha256)
echo "20 MB over TLS in ${secs}s: sent sha256=$s_sha recv sha256=$r_sha"
[ $crc = 0 ] && [ $src = 0 ] && [ -n "$s_sha" ] && [ "$s_sha" = "$r_sha" ] &&
	grep -q '^sent msgs=1 chunks=10240 bytes=20971520 ok=10240' tls_cli.out &&
	grep -q "^tls version=TLSv1.3 .*peer_fp=${GW_FP#SHA-256 }" tls_cli.out &&
	grep -q "^tls version=TLSv1.3 .*peer_fp=${UE_FP#SHA-256 }" tls_srv.out &&
	ok "TLS 1.3 mutual: 20 MB, SHA-256 equal at both ends, 10240 x 200 OK" || ko "TLS 20 MB"

tls_pair bidi --peer-fp "$UE_FP" --random 3000000 --seed 31 --expect-msgs 1 --timeout 30 -- \
	--cert ue.pem --key ue.key --peer-cert gw.pem --peer-fp "$GW_FP" --random 2000000 \
	--seed 32 --expect-msgs 1 --timeout 30
grep -E '^(sent|recv) msg ' bidi_cli.out bidi_srv.out
c2s_sent=$(grep '^sent msg ' bidi_cli.out | field sha256)
c2s_recv=$(grep '^recv msg ' bidi_srv.out | field sha256)
s2c_sent=$(grep '^sent msg ' bidi_srv.out | field sha256)
s2c_recv=$(grep '^recv msg ' bidi_cli.out | field sha256)
[ $crc = 0 ] && [ $src = 0 ] && [ -n "$c2s_sent" ] && [ "$c2s_sent" = "$c2s_recv" ] &&
	[ -n "$s2c_sent" ] && [ "$s2c_sent" = "$s2c_recv" ] &&
	ok "both directions at once: 2 MB and 3 MB, SHA-256 equal each way" || ko "both directions"

tls_pair tls12 --peer-fp "$UE_FP" --expect-msgs 1 --timeout 20 -- --tls-max 1.2 \
	--cert ue.pem --key ue.key --peer-fp "$GW_FP" --text "over TLS 1.2" --timeout 20
grep '^tls' tls12_cli.out
[ $crc = 0 ] && [ $src = 0 ] && grep -q '^tls version=TLSv1.2 cipher=ECDHE-ECDSA-AES' tls12_cli.out &&
	ok "TLS 1.2 ECDHE-ECDSA AES-GCM, fingerprint checked after the handshake" || ko "TLS 1.2"

# --- 5. what must fail ------------------------------------------------------
tls_pair neg1 --expect-msgs 1 --timeout 10 -- --cert ue.pem --key ue.key --peer-fp "$UE_FP" \
	--text x --timeout 10
grep '^result' neg1_cli.out
[ $crc = 1 ] && grep -q 'reason=fingerprint_mismatch' neg1_cli.out &&
	ok "client refuses a server certificate with another fingerprint" || ko "wrong fingerprint"

tls_pair neg2 --expect-msgs 1 --timeout 10 -- --cert other.pem --key other.key --text x --timeout 10
grep '^result' neg2_srv.out
[ $crc != 0 ] && [ $src = 1 ] && grep -q 'reason=tls_handshake:.*CERTIFICATE_VERIFY_FAILED' neg2_srv.out &&
	ok "server refuses a client certificate it was not given" || ko "unexpected client cert"

echo "selftest: $pass passed, $fail failed"
[ $fail = 0 ]
