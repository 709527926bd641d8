#!/usr/bin/env bash
# Interop: Erlang/OTP megaco (the full MGC stack: megaco_udp, transactions,
# its text encoders) drives the real imsagw over Iq, once with both sides in
# the pretty layout and once in the compact one: registration, an e2ae call
# (UE key in Remote, CHOOSE in Local; the reply's Local carries the
# gateway's own key for tag 1 and the same suite), Modify, errors 411/430,
# Subtract with statistics. tshark decodes every message the gateway sent
# with no malformed-packet or error expert info.
# Needs root (the gateway's TAP ports and namespaces), erl/erlc with megaco
# (Debian: erlang-base erlang-megaco; installed here if missing),
# tshark. With INSTANCE set, Iq uses ports 2975/2974.
set -u
. "$(dirname "$0")/../integration/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }

if ! ls -d /usr/lib/erlang/lib/megaco-*/ebin >/dev/null 2>&1 || ! command -v erlc >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q erlang-base erlang-megaco \
		>/dev/null 2>&1 || { echo "SKIP: cannot install erlang-megaco"; exit 77; }
fi
command -v tshark >/dev/null || { echo "SKIP: no tshark"; exit 77; }

IQ_PORT=2945
MGC_PORT=2944
[ -n "$INSTANCE" ] && { IQ_PORT=2975; MGC_PORT=2974; }
BASE_CONF=$CONF
PEER=$BUILD/tests/integration/srtp_peer
[ -x "$PEER" ] || die "no $PEER (build the tree first)"
b642hex() { base64 -d <<<"$1" | od -An -v -tx1 | tr -d ' \n'; }
erlc -o "$WORK" "$TOP/tests/interop/iq_megaco_mgc.erl" || die "erlc"

run_layout() { # pretty|compact
	local layout=$1 ue_key pcap=$WORK/iq-$1.pcap tsp erl_pid bad n
	sed -e "s/127.0.0.1:2945/127.0.0.1:$IQ_PORT/g" -e "s/127.0.0.1:2944/127.0.0.1:$MGC_PORT/" \
		-e "s/encoding = \"pretty\"/encoding = \"$layout\"/" "$BASE_CONF" >"$WORK/iq-$layout.conf"
	CONF=$WORK/iq-$layout.conf
	# erl takes an argument that starts with '+' or '-' for an emulator
	# flag (and prints its usage): base64 starts with '+' one time in 64.
	ue_key=$(openssl rand -base64 30)
	while [ "${ue_key#[+-]}" != "$ue_key" ]; do ue_key=$(openssl rand -base64 30); done
	tshark -i lo -f "udp port $IQ_PORT" -w "$pcap" -q 2>/dev/null &
	tsp=$!
	TSP=$tsp
	sleep 1.5
	rm -f "$WORK/go-$layout"
	timeout 120 erl -noshell -pa "$WORK" -s iq_megaco_mgc main "$layout" "$MGC_PORT" "$ue_key" \
		"$WORK/go-$layout" >"$WORK/erl-$layout.out" 2>&1 &
	erl_pid=$!
	sleep 1
	gw_start
	# A failing check must not leave the capture running: it holds the
	# test's output open and the runner would wait for its time-out.
	trap 'rc=$?; [ -n "${TSP:-}" ] && kill -INT "$TSP" 2>/dev/null; (exit $rc); cleanup' EXIT
	# Both hosts announce themselves (the gateway's kernel side learns their
	# link addresses, so no media waits for neighbour resolution).
	in_ue ping -c 1 -W 2 -q 192.0.2.1 >/dev/null || die "ping 192.0.2.1 from ue"
	in_core ping -c 1 -W 2 -q 198.51.100.1 >/dev/null || die "ping 198.51.100.1 from core"
	# The megaco MGC has set up the e2ae call: real SRTP through it (a
	# libsrtp2 peer, independent of imsagw's crypto) with one forged and
	# one replayed packet, which must show in megaco's Subtract reply.
	for _ in $(seq 1 300); do
		grep -q '^media ' "$WORK/erl-$layout.out" && break
		kill -0 $erl_pid 2>/dev/null || break
		sleep 0.1
	done
	local m ap cp gw
	m=$(grep '^media ' "$WORK/erl-$layout.out")
	[ -n "$m" ] || { cat "$WORK/erl-$layout.out" >&2; die "megaco MGC ($layout): no call"; }
	read -r _ ap cp gw <<<"$m"
	in_core "$PEER" --bind 198.51.100.2:6004 --to 198.51.100.1:"$cp" --count 100 --seed 2 \
		--expect 100 --expect-seed 1 >"$WORK/c_srtp" &
	local r1=$!
	in_ue "$PEER" --suite AES_CM_128_HMAC_SHA1_80 --tx-key "$(b642hex "$ue_key")" \
		--rx-key "$(b642hex "$gw")" --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 100 \
		--seed 1 --forge 10 --replay 20 --expect 100 --expect-seed 2 >"$WORK/u_srtp" &
	local r2=$! fail=0
	wait $r1 || fail=1; wait $r2 || fail=1
	touch "$WORK/go-$layout"
	wait $erl_pid
	local rc=$?
	[ $fail = 0 ] || die "SRTP through the megaco call ($layout): core $(cat "$WORK/c_srtp") ue $(cat "$WORK/u_srtp")"
	sed -n '/^subtract$/,/^end subtract$/p' "$WORK/erl-$layout.out" | tr -d ' \t' >"$WORK/sub-$layout"
	grep -q 'srtp/af=1' "$WORK/sub-$layout" && grep -q 'srtp/rpl=1' "$WORK/sub-$layout" &&
		grep -q 'rtp/pr=100' "$WORK/sub-$layout" ||
		{ cat "$WORK/sub-$layout" >&2; die "megaco Subtract ($layout): SRTP statistics"; }
	log "ok: megaco ($layout): SRTP<->RTP byte-exact through its call, both ways (libsrtp2 peer);" \
		"forged and replayed packets in its Subtract reply (srtp/af=1, srtp/rpl=1)"
	grep -A12 -E '^(step|result|mgc:)' "$WORK/erl-$layout.out" | cut -c1-600 | sed 's/^/   /' >&2
	gw_stop
	sleep 0.5
	kill -INT $tsp 2>/dev/null; wait $tsp 2>/dev/null
	TSP=
	[ $rc = 0 ] || die "megaco MGC ($layout) failed"
	n=$(tshark -r "$pcap" -d udp.port==$IQ_PORT,megaco -Y "megaco && udp.srcport == $IQ_PORT" 2>/dev/null | wc -l)
	bad=$(tshark -r "$pcap" -d udp.port==$IQ_PORT,megaco \
		-Y "udp.srcport == $IQ_PORT && (_ws.malformed || _ws.expert.severity >= error)" 2>/dev/null | wc -l)
	[ "$n" -ge 6 ] && [ "$bad" = 0 ] || {
		tshark -r "$pcap" -d udp.port==$IQ_PORT,megaco -V \
			-Y "udp.srcport == $IQ_PORT && (_ws.malformed || _ws.expert.severity >= error)" 2>/dev/null |
			grep -v '^ *\[\?\(Frame\|Arrival\|Epoch\|Encapsulation\)' | head -150 >&2
		die "tshark ($layout): $n gateway messages decoded, $bad malformed"
	}
	log "ok: megaco MGC, $layout layout: $(grep -c '^step .* ok' "$WORK/erl-$layout.out") steps; tshark decoded $n gateway messages, 0 malformed"
	GW_PID=
}

run_layout pretty
run_layout compact
echo "test_iq_megaco: all checks passed"
