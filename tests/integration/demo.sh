#!/usr/bin/env bash
# `make demo`: the gateway on its embedded default config (configs/imsagw.conf)
# with two virtual ports, a UE namespace on the access side and a core host
# namespace on the core side, one call through it with RTP and RTCP both
# ways, the per-flow counters printed, and everything torn down again.
#
# A whole e2ae call (TS 33.328), set up over Iq (H.248 text over UDP) by
# imsagw-mgc, the project's own MGC, standing in for the P-CSCF: it answers
# the gateway's ServiceChange; the audio is SRTP on the UE side, keyed by
# SDES over Iq both ways (the UE's key in Remote, the gateway's generated
# for the CHOOSE in Local), decrypted byte-exact by a libsrtp2 UE and plain
# RTP on the core side; the chat is MSRP over TLS: the UE connects with its
# own self-signed certificate, whose fingerprint the MGC passed in Remote,
# checks the gateway's against the fingerprint Iq returned, and sends a
# text and a small file; the core peer (plain TCP MSRP) answers 200 OK and
# checks the file's SHA-256. Both contexts are subtracted at the end (the
# statistics come back in the replies). The gateway's certificate is
# generated here (self-signed ECDSA P-256) and given to a copy of the
# default config.
set -u
. "$(dirname "$0")/lib.sh"
TOOL="python3 $TOP/tests/integration/udp_tool.py"
[ "$(id -u)" = 0 ] || die "the demo needs root (network namespaces, TAP devices)"

say() { printf '\n== %s\n' "$*"; }

MGC_BIN=$BUILD/tools/imsagw-mgc
mgc() { "$MGC_BIN" --bind 127.0.0.1:"${MGC_PORT:-2944}" --mg 127.0.0.1:"${IQ_PORT:-2945}" "$@"; }
val() { awk -v k="$2" '{ i = index($0, "="); if (i && substr($0, 1, i - 1) == k) { print substr($0, i + 1); exit } }' <<<"$1"; }

PY=$(command -v /usr/bin/python3 || command -v python3)
CERTS=$(mktemp -d /tmp/imsagw.demo-certs.XXXXXX)
"$PY" "$TOP/tests/msrp/msrp_peer.py" mkcert --cert "$CERTS/gw.pem" --key "$CERTS/gw.key" --cn imsagw \
	>/dev/null || die "cannot make the gateway's certificate (openssl)"
"$PY" "$TOP/tests/msrp/msrp_peer.py" mkcert --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" --cn ue \
	>/dev/null || die "cannot make the UE's certificate"
ue_fp=$("$PY" "$TOP/tests/msrp/msrp_peer.py" fp --cert "$CERTS/ue.pem" | sed 's/^a=fingerprint://')
sed -e "s|certificate = \"\";|certificate = \"$CERTS/gw.pem\";|" \
	-e "s|private_key = \"\";|private_key = \"$CERTS/gw.key\";|" "$CONF" >"$WORK/demo.conf"
CONF=$WORK/demo.conf

say "starting imsagw on configs/imsagw.conf + a generated certificate (Iq on 127.0.0.1:2945, MGC 127.0.0.1:2944)"
mgc register --wait 40000 >"$WORK/reg" &
reg=$!
gw_start
trap 'rc=$?; rm -rf "$CERTS"; (exit $rc); cleanup' EXIT
wait $reg || die "the gateway did not register over Iq"
sed 's/^/   MGC got: /' "$WORK/reg"
grep -o 'EAL: -.*' "$WORK/gw.err" | head -1 | sed 's/^/   /'
echo "   ue   namespace $UE:   192.0.2.2, 2001:db8:a::2  (access port 192.0.2.1)"
echo "   core namespace $CORE: 198.51.100.2, 2001:db8:c::2 (core port 198.51.100.1)"

say "exception path: the UE pings the gateway's access address"
in_ue ping -c 3 -i 0.2 -W 2 192.0.2.1 | sed -n 's/^/   /;/packets transmitted/p' ||
	die "no answer from 192.0.2.1"

say "audio over Iq with e2ae SRTP (TS 33.328): Add access + Add core (imsagw-mgc call --e2ae)"
out=$(mgc call --e2ae --ue 192.0.2.2:5004 --core 198.51.100.2:6004) || { echo "$out"; die "call setup"; }
ctx=$(val "$out" ctx); aid=$(val "$out" term0); cid=$(val "$out" term1)
ap=$(val "$out" term0_port); cp=$(val "$out" term1_port)
ue_line=$(val "$out" ue_crypto); gw_line=$(val "$out" term0_crypto)
case $gw_line in "1 AES_CM_128_HMAC_SHA1_80 inline:"*) ;; *) die "no gateway key in the reply: $out" ;; esac
echo "   context $ctx"
echo "   $aid: gateway 192.0.2.1:$ap/$((ap + 1)) <-> UE 192.0.2.2:5004/5005, SRTP"
echo "   $cid: gateway 198.51.100.1:$cp/$((cp + 1)) <-> core 198.51.100.2:6004/6005, plain RTP"
echo "   UE's key (Remote a=crypto):      ${ue_line%%inline:*}inline:<30 bytes, not shown>"
echo "   gateway's key (Local a=crypto):  ${gw_line%%inline:*}inline:<30 bytes, not shown>"

say "media: 250 RTP packets (160 B) and 10 RTCP reports each way"
b642hex() { base64 -d <<<"$1" | od -An -v -tx1 | tr -d ' \n'; }
UEHEX=$(b642hex "${ue_line#*inline:}"); GWHEX=$(b642hex "${gw_line#*inline:}")
go=$WORK/go
# srtp_peer (libsrtp2 only): the UE encrypts with its key and decrypts with
# the gateway's; the core host speaks plain RTP. Each checks byte for byte
# what it receives; all four start once all four are bound.
peer() { # ns name args...
	local ns=$1 name=$2
	shift 2
	ip netns exec "$ns" "$PEER" --ready "$WORK/$name.ready" --go "$go" --timeout 20 "$@" \
		>"$WORK/$name.out" 2>&1 &
	eval "pid_$name=\$!"
}
PEER=$BUILD/tests/integration/srtp_peer
peer "$UE" ue_rtp --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --tx-key "$UEHEX" --rx-key "$GWHEX" \
	--count 250 --seed 1 --size 160 --expect 250 --expect-seed 2 --interval-us 4000
peer "$UE" ue_rtcp --rtcp --bind 192.0.2.2:5005 --to 192.0.2.1:$((ap + 1)) --tx-key "$UEHEX" \
	--rx-key "$GWHEX" --count 10 --seed 1 --expect 10 --expect-seed 2 --interval-us 50000
peer "$CORE" core_rtp --bind 198.51.100.2:6004 --to 198.51.100.1:"$cp" --count 250 --seed 2 \
	--size 160 --expect 250 --expect-seed 1 --interval-us 4000
peer "$CORE" core_rtcp --rtcp --bind 198.51.100.2:6005 --to 198.51.100.1:$((cp + 1)) --count 10 \
	--seed 2 --expect 10 --expect-seed 1 --interval-us 50000
for _ in $(seq 1 100); do
	[ -e "$WORK/ue_rtp.ready" ] && [ -e "$WORK/ue_rtcp.ready" ] && [ -e "$WORK/core_rtp.ready" ] &&
		[ -e "$WORK/core_rtcp.ready" ] && break
	sleep 0.1
done
touch "$go"
ok=0
for n in ue_rtp ue_rtcp core_rtp core_rtcp; do
	eval "wait \$pid_$n" || ok=1
done
echo "   UE got SRTP, decrypted:      $(cat "$WORK/ue_rtp.out")"
echo "   UE got SRTCP, decrypted:     $(cat "$WORK/ue_rtcp.out")"
echo "   core host got plain RTP:     $(cat "$WORK/core_rtp.out")"
echo "   core host got plain RTCP:    $(cat "$WORK/core_rtcp.out")"
[ $ok = 0 ] || die "media did not arrive byte-exact"

say "per-flow counters"
show() { # term id
	local s
	s=$(ctl term show ctx="$ctx" id="$1")
	printf '   %-22s rtp in %4s pkts %7s B | rtp out %4s pkts %7s B | rtcp in %3s | rtcp out %3s\n' \
		"$1" "$(kv "$s" rtp_in_pkts)" "$(kv "$s" rtp_in_bytes)" "$(kv "$s" rtp_out_pkts)" \
		"$(kv "$s" rtp_out_bytes)" "$(kv "$s" rtcp_in_pkts)" "$(kv "$s" rtcp_out_pkts)"
}
show "$aid"
show "$cid"
ctl stats | tr ' ' '\n' | grep -E '^(rx|tx|to_exc|from_exc|drop_[a-z_]+)=' | paste -sd' ' |
	sed 's/^/   lcore totals: /'

say "chat over Iq with MSRP over TLS (imsagw-mgc msrp): the UE's certificate fingerprint in Remote"
echo "   UE certificate (self-signed):      $ue_fp"
out=$(mgc msrp --ue 192.0.2.2:9 --ue-fp "$ue_fp" --ue-setup active --core 198.51.100.2:7000) ||
	{ echo "$out"; die "MSRP setup"; }
mctx=$(val "$out" ctx); mA=$(val "$out" term0); mC=$(val "$out" term1)
mp=$(val "$out" term0_port); gw_fp=$(val "$out" term0_fingerprint)
echo "   context $mctx"
echo "   $mA: gateway TLS 192.0.2.1:$mp ($(val "$out" term0_setup); the UE connects), $(val "$out" term0_path)"
echo "   $mC: gateway TCP -> core 198.51.100.2:7000 ($(val "$out" term1_setup), once the UE is authenticated)"
echo "   gateway certificate (Local):       $gw_fp"
head -c 65536 /dev/urandom >"$WORK/photo.jpg"
fsha=$(sha256sum "$WORK/photo.jpg" | cut -d' ' -f1)
PY=$(command -v /usr/bin/python3 || command -v python3)
MSRP=$TOP/tests/msrp/msrp_peer.py
in_core "$PY" "$MSRP" --listen 198.51.100.2:7000 --expect-msgs 2 --expect-sha256 "$fsha" \
	--timeout 30 >"$WORK/chat_core.out" 2>&1 &
cpid=$!
for _ in $(seq 1 50); do grep -q "^listening" "$WORK/chat_core.out" 2>/dev/null && break; sleep 0.1; done
in_ue "$PY" "$MSRP" --connect 192.0.2.1:"$mp" --tls --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" \
	--peer-fp "$gw_fp" --text "Hello from the UE, over TLS to the access edge" \
	--file "$WORK/photo.jpg" --chunk 2048 --timeout 30 >"$WORK/chat_ue.out" 2>&1 ||
	{ cat "$WORK/chat_ue.out" "$WORK/chat_core.out"; die "the UE's chat failed"; }
wait $cpid || { cat "$WORK/chat_core.out"; die "the core peer did not get the messages"; }
sed -n 's/^tls /   UE TLS: /p' "$WORK/chat_ue.out"
sed -n 's/^sent msgs=/   UE sent: msgs=/p' "$WORK/chat_ue.out"
echo "   UE file sha256:                    $fsha"
sed -n 's/^recv msg id=\(.*\)/   core peer received: \1/p' "$WORK/chat_core.out"
grep -q "sha256=$fsha" "$WORK/chat_core.out" || die "the core peer's copy of the file differs"
s=$(ctl term show ctx="$mctx" id="$mA")
echo "   relayed: UE->core $(kv "$s" bytes_in) B, core->UE $(kv "$s" bytes_out) B (200 OKs)"

say "teardown over Iq: Subtract = * with statistics"
out=$(mgc subtract --ctx "$ctx") || { echo "$out"; die "subtract"; }
grep -E '^term[01](=|_(nt|rtp)/)' <<<"$out" | paste -sd' ' | sed 's/ term1=/\n   term1=/; s/^/   /'
out=$(mgc subtract --ctx "$mctx") || { echo "$out"; die "subtract"; }
grep -E '^term[01](=|_[a-z]+/)' <<<"$out" | paste -sd' ' | sed 's/ term1=/\n   term1=/; s/^/   /'
echo "   contexts left: $(kv "$(ctl stats)" contexts)"
gw_stop
echo "   imsagw stopped (ServiceChange Forced sent to the MGC); namespaces removed"
say "demo finished"
