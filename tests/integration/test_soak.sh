#!/usr/bin/env bash
# Integration (issue 11, "Soak"): calls come and go over Iq for
# SOAK_SECONDS (default 60; `make soak` runs 600) while media flows, and
# afterwards the gateway is back where it started.
#
# The real imsagw (net_tap ports in namespaces, three MGC addresses in
# iq.mgc, crypto.rekey_grace_ms short, small tables: see MAX_FLOWS) carries
# two long e2ae calls set up over Iq, L1 (AES_CM_128_HMAC_SHA1_80) and L2
# (AEAD_AES_128_GCM), with 100 packets/s each way for the whole run:
# srtp_peer (libsrtp2 only) as the UE, srtp_peer without keys (plain RTP)
# as the core host, both checking every packet byte for byte. Both
# directions start 300 packets before sequence 65535, so the ROC rolls
# over in the first seconds. srtp_peer cannot change keys or run for ever,
# so the media runs in segments of SEG_S seconds: each segment is a fresh
# pair of peers that continues the previous one's sequence numbers and ROC
# (--tx-roc, --rx-roc), released together once both are bound (--ready,
# --go); between segments a call is silent for about half a second, after
# a rekey segment for about six (the UE peer waits out its timeout for
# the packets it could not decrypt).
#
# Rekey: two seconds before the end of every other segment (L1 on odd, L2
# on even ones), once the baseline is taken, the call is rekeyed with
# `imsagw-mgc modify --rekey` while media flows: a new UE key in Remote,
# CHOOSE in Local (a new gateway key). The UE keeps sending under the old
# key until its segment ends (the gateway must take it: the old key is the
# fallback for rekey_grace_ms, so the uplink loses nothing), while the
# downlink switches at once to the new gateway key, which the still-running
# UE peer cannot decrypt (counted unprotect_fail; every downlink packet
# must still arrive, decrypted or not). The next segment uses the new keys
# with the ROC continuing. After the grace time a probe sends PROBE_N
# packets under the old UE key at fresh indexes: each must be refused and
# counted as an authentication failure, and none may reach the core.
#
# Churn, on a third MGC address: rounds of `imsagw-mgc bench --e2ae` (Add
# access+core, Subtract, BENCH_CALLS per round, WINDOW in flight) and one
# e2ae call per round with MEDIA_PKTS packets each way (byte-exact, then
# Subtract with statistics), until SOAK_SECONDS have passed.
#
# Assertions: after WARMUP_ROUNDS (first touch of tables and heaps) a
# baseline of RSS (VmRSS), open fds, EAL heap allocations (telemetry
# /eal/heap_info), contexts, terminations and flows; after the churn and
# the long calls' last segment: counts, fds and heap allocations exactly
# the baseline (the heap but for whole slab chunks, SLAB_CHUNKS), RSS
# within RSS_TOL_KB (ASan builds: RSS_TOL_ASAN_KB); every Iq command
# answered (no timeout, no error); per long call and direction every
# packet matched, except downlink packets sent under the new key
# while the UE was still on the old one (at least 1, at most
# REKEY_LOSS_MAX per rekey); auth failures exactly PROBE_N per probe,
# replays 0; the final Subtract statistics equal the packets sent; zero
# contexts and flows at the end. A line "soak: ..." gives the numbers.
# Names, sockets, the EAL prefix and Iq ports follow INSTANCE.
set -u
. "$(dirname "$0")/lib.sh"
PEER=$BUILD/tests/integration/srtp_peer
MGC_BIN=${MGC_BIN:-$BUILD/tools/imsagw-mgc}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x "$PEER" ] && [ -x "$MGC_BIN" ] || die "no $PEER or $MGC_BIN"

SOAK_SECONDS=${SOAK_SECONDS:-60}
T_START=$(date +%s)
case $SOAK_SECONDS in '' | *[!0-9]*) die "SOAK_SECONDS must be a number of seconds" ;; esac
[ "$SOAK_SECONDS" -ge 20 ] && [ "$SOAK_SECONDS" -le 86400 ] || die "SOAK_SECONDS: 20..86400"
GRACE_MS=4000                 # crypto.rekey_grace_ms in this run
INTERVAL_US=10000             # 100 packets/s per direction per long call
SEG_S=$((SOAK_SECONDS / 5))   # segment length: 10..60 s
[ $SEG_S -ge 10 ] || SEG_S=10
[ $SEG_S -le 60 ] || SEG_S=60
SEG_PKTS=$((SEG_S * 1000000 / INTERVAL_US))
SEQ0=$((65536 - 300))         # first index of every long stream: ROC 0, 300 before the rollover
MAX_SEG=$(((SOAK_SECONDS + 180) / SEG_S + 2))
PROBE_N=10
REKEY_LOSS_MAX=400            # downlink packets a rekey may cost (up to 2 s of overlap, 4 s bound)
BENCH_CALLS=${BENCH_CALLS:-200}
WINDOW=16
MEDIA_PKTS=5
WARMUP_ROUNDS=3
MAX_ROUNDS=$((SOAK_SECONDS * 20))
# RSS after the churn may exceed the baseline by this much (see the
# "Soak" paragraph of docs/security.md for why these figures).
RSS_TOL_KB=${RSS_TOL_KB:-2048}
RSS_TOL_ASAN_KB=${RSS_TOL_ASAN_KB:-8192}
HEAP_TOL_B=4096
# Flow records and their states come from two slabs (dataplane/dp_slab.c)
# of 16 KB chunks; a chunk goes back to the heap when its last object does.
# The long calls' live records move on every rekey (a Modify publishes new
# ones), so at the end they may sit in one chunk more (or fewer) per slab
# than at the baseline: up to SLAB_CHUNKS whole chunks either way are
# placement, not a leak (a leak over thousands of calls fills many).
SLAB_CHUNKS=2
SLAB_CHUNK_B=16384
# Small tables: rte_hash hands out free key slots first in, first out, so
# with the default 1M-entry flow table RSS rises by ~0.5 kB per call until
# each slot has been used once (first touch of the EAL memory, ~128 MB: not
# a leak, but it looks like one for hours). With 4096 flows what is left
# untouched after the warm-up is under 0.5 MB. Not smaller: the flow
# table's RCU defer queue has as many entries, and a media worker held off
# its CPU for a moment on a busy machine let 1024 fill (Adds answered 500).
MAX_CONTEXTS=${SOAK_MAX_CONTEXTS:-256}
MAX_FLOWS=${SOAK_MAX_FLOWS:-4096}

# Iq: the lib's ports (INSTANCE gives its own); the long calls' rekeys and
# the churn come from MGC addresses of their own (iq.mgc serves all the
# configured ones), so that they never share a socket.
MGC_L1=$MGC_PORT
MGC_L2=$((MGC_PORT + 1000))
MGC_CH=$((MGC_PORT + 2000))
instance_conf "$CONF" \
	-e "s/mgc = \[ \"127.0.0.1:$MGC_L1\" \]/mgc = [ \"127.0.0.1:$MGC_L1\", \"127.0.0.1:$MGC_L2\", \"127.0.0.1:$MGC_CH\" ]/" \
	-e "s/rekey_grace_ms = [0-9]*;/rekey_grace_ms = $GRACE_MS;/" \
	-e "s/max_contexts = [0-9]*;/max_contexts = $MAX_CONTEXTS;/" \
	-e "s/max_flows = [0-9]*;/max_flows = $MAX_FLOWS;/" >"$WORK/soak.conf"
grep -q "127.0.0.1:$MGC_CH" "$WORK/soak.conf" && grep -q "rekey_grace_ms = $GRACE_MS;" "$WORK/soak.conf" &&
	grep -q "max_flows = $MAX_FLOWS;" "$WORK/soak.conf" || die "config not written"
CONF=$WORK/soak.conf
INSTANCE= # the config above is already the instance's

# A sanitizer build holds freed memory in quarantine: a looser RSS bound.
ASAN=0
grep -q '"b_sanitize".*"value": "address' "$BUILD/meson-info/intro-buildoptions.json" 2>/dev/null &&
	ASAN=1
if [ $ASAN = 1 ]; then
	# ASan parks freed memory in a quarantine (256 MB by default, about
	# 33 kB a call here) before reusing it: RSS would grow for hours. A
	# small one fills during the warm-up (and still catches a use after
	# free within the last few hundred calls); LeakSanitizer at the exit
	# catches what was never freed.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=${ASAN_QUARANTINE_MB:-16}"
	RSS_TOL_KB=$RSS_TOL_ASAN_KB
fi

mgc_at() { # MGC_PORT cmd...: one Iq command from that MGC address
	local p=$1
	shift
	timeout -k 2 60 "$MGC_BIN" --timeout 10000 --bind 127.0.0.1:"$p" --mg 127.0.0.1:"$IQ_PORT" "$@"
}
val() { awk -v k="$2" '{ i = index($0, "="); if (i && substr($0, 1, i - 1) == k) { print substr($0, i + 1); exit } }' <<<"$1"; }
b642hex() { base64 -d <<<"$1" | od -An -v -tx1 | tr -d ' \n'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
sleep_until() { # T_ms
	local d=$(($1 - $(now_ms)))
	[ $d -gt 0 ] && sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	return 0
}
# release TAG: both peers of TAG (srtp_peer --ready/--go) are bound (or 10 s
# passed): let them send. Started one after the other on a loaded machine,
# one may otherwise send before the other listens.
release() {
	local i
	for i in $(seq 1 200); do
		[ -e "$WORK/$1.ue.ready" ] && [ -e "$WORK/$1.core.ready" ] && break
		sleep 0.05
	done
	touch "$WORK/$1.go"
}
fail() { # a background job's failure: the main loop stops at it
	echo "$*" >>"$WORK/failed"
	log "FAIL: $*"
}

# Every process this script starts in the background, by PID, so that
# every exit path stops them (the lib's cleanup then stops the gateway and
# removes the namespaces).
: >"$WORK/pids"
track() { echo "$1" >>"$WORK/pids"; }
soak_cleanup() {
	local rc=$? p
	touch "$WORK/stop" 2>/dev/null
	# Only while the PID is still one of ours (a finished one may be
	# reused by now): srtp_peer, imsagw-mgc, or this script's subshells.
	for p in $(cat "$WORK/pids" 2>/dev/null); do
		tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" |
			grep -q -e "$PEER" -e "$MGC_BIN" -e test_soak.sh && kill -TERM "$p" 2>/dev/null
	done
	(exit $rc)
	cleanup
}
trap soak_cleanup EXIT

# --- the gateway, registered with the first MGC --------------------------
mgc_at "$MGC_L1" register --wait 40000 >"$WORK/reg" &
REG=$!
track $REG
gw_start
trap soak_cleanup EXIT # gw_start set the lib's
wait $REG || { cat "$WORK/reg"; die "no ServiceChange from the gateway"; }
grep -q 'method=Restart' "$WORK/reg" || die "registration: $(cat "$WORK/reg")"
in_ue ping -c 2 -W 2 -q 192.0.2.1 >/dev/null || die "ping 192.0.2.1 from the UE"
in_core ping -c 2 -W 2 -q 198.51.100.1 >/dev/null || die "ping 198.51.100.1 from the core"

# --- what is measured ------------------------------------------------------
telemetry_info() {
	echo /imsagw/info | timeout -k 2 20 dpdk-telemetry.py -f "$PREFIX" 2>/dev/null
}
pending_reclaim() {
	telemetry_info | grep -o '"flows_pending_reclaim": [0-9]*' | grep -o '[0-9]*$'
}
# Wait (bounded) until no flow waits for reclaim: its grace period is
# polled by the control loop.
settle() {
	local i p
	for i in $(seq 1 100); do
		p=$(pending_reclaim)
		[ "$p" = 0 ] && break
		sleep 0.2
	done
	[ "${p:-x}" = 0 ] || die "flows still waiting for reclaim after 20 s: $(telemetry_info)"
	sleep 0.5 # the telemetry and admin connections closed
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$GW_PID"/status; }
# "allocations bytes" of the EAL heap (rte_malloc: flow records, their
# state, crypto sessions), summed over the heaps.
heap() {
	local ids i out c=0 b=0
	ids=$(echo /eal/heap_list | timeout -k 2 20 dpdk-telemetry.py -f "$PREFIX" 2>/dev/null |
		sed -n 's/.*\[\(.*\)\].*/\1/p' | tr ',' ' ')
	[ -n "$ids" ] || die "no EAL heap in telemetry"
	for i in $ids; do
		out=$(echo "/eal/heap_info,$i" | timeout -k 2 20 dpdk-telemetry.py -f "$PREFIX" 2>/dev/null)
		c=$((c + $(grep -o '"Alloc_count": [0-9]*' <<<"$out" | grep -o '[0-9]*$')))
		b=$((b + $(grep -o '"Alloc_size": [0-9]*' <<<"$out" | grep -o '[0-9]*$')))
	done
	echo "$c $b"
}
# S_FDS S_RSS S_HEAPN S_HEAPB S_CTX S_TERM S_FLOWS: fds first, before this
# snapshot's own telemetry and admin connections.
snapshot() {
	local s
	S_FDS=$(ls /proc/"$GW_PID"/fd | wc -l)
	S_RSS=$(rss_kb)
	read -r S_HEAPN S_HEAPB <<<"$(heap)"
	s=$(ctl stats) || die "stats: $s"
	S_CTX=$(kv "$s" contexts)
	S_TERM=$(kv "$s" terminations)
	S_FLOWS=$(kv "$s" flows)
}

# --- long calls --------------------------------------------------------------
# setup_long NAME SUITE UE_PORT CORE_PORT SEED_UE SEED_CORE MGC_PORT: an e2ae
# call over Iq; its parameters go to $WORK/NAME.call for its driver.
setup_long() {
	local name=$1 suite=$2 up=$3 cp=$4 o gw ue
	o=$(mgc_at "$MGC_L1" call --e2ae --suite "$suite" --ue 192.0.2.2:"$up" --core 198.51.100.2:"$cp") ||
		die "$name: call setup: $o"
	ue=$(val "$o" ue_crypto)
	gw=$(val "$o" term0_crypto)
	case $gw in "1 $suite inline:"*) ;; *) die "$name: gateway key line: $o" ;; esac
	cat >"$WORK/$name.call" <<EOF
NAME=$name SUITE=$suite UP=$up CP=$cp SU=$5 SC=$6 MGCP=$7
CTX=$(val "$o" ctx) AID=$(val "$o" term0) AP=$(val "$o" term0_port)
CIP=$(val "$o" term1_ip) GWCP=$(val "$o" term1_port)
UEHEX=$(b642hex "${ue#*inline:}") GWHEX=$(b642hex "${gw#*inline:}")
EOF
	log "$name: ctx $(val "$o" ctx) $suite: ue 192.0.2.2:$up <-> 192.0.2.1:$(val "$o" term0_port)" \
		"| $(val "$o" term1_ip):$(val "$o" term1_port) <-> core 198.51.100.2:$cp"
}

# rekey_due NAME SEG: L1 rekeys near the end of odd segments, L2 of even
# ones from the second on.
rekey_due() {
	case $1 in
	L1) [ $(($2 % 2)) = 1 ] ;;
	*) [ $(($2 % 2)) = 0 ] && [ "$2" -ge 2 ] ;;
	esac
}

# probe OLD_HEX INDEX: PROBE_N packets under a retired UE key at fresh
# indexes from another UE port; the gateway must count each as an auth
# failure (its replay check passes: the indexes are new) and forward none.
probe() {
	local old=$1 idx=$2 a0 a1 s
	s=$(ctl term show ctx="$CTX" id="$AID") || { fail "$NAME: term show: $s"; return; }
	a0=$(kv "$s" rtp_in_drop_auth)
	ip netns exec "$UE" "$PEER" --suite "$SUITE" --tx-key "$old" --bind 192.0.2.2:$((UP + 100)) \
		--to 192.0.2.1:"$AP" --count $PROBE_N --seed "$SU" --seq0 $((idx & 65535)) \
		--tx-roc $((idx >> 16)) --timeout 3 >/dev/null
	sleep 0.3
	s=$(ctl term show ctx="$CTX" id="$AID") || { fail "$NAME: term show: $s"; return; }
	a1=$(kv "$s" rtp_in_drop_auth)
	echo "probe auth_delta=$((a1 - a0))" >>"$WORK/$NAME.log"
	[ $((a1 - a0)) = $PROBE_N ] ||
		fail "$NAME: $PROBE_N packets under the retired key gave $((a1 - a0)) auth drops"
}

# rekey: Modify the long call with a new UE key in Remote and CHOOSE in
# Local; sets NEW_UE and NEW_GW (hex). Returns 1 (and fails the run) when
# the reply is not a rekey of the same termination and port.
rekey() {
	local o ue gw
	o=$(mgc_at "$MGCP" modify --ctx "$CTX" --term "$AID" --remote 192.0.2.2:"$UP" --rekey \
		--suite "$SUITE")
	ue=$(val "$o" ue_crypto)
	gw=$(val "$o" term0_crypto)
	grep -qx ok <<<"$o" && [ "$(val "$o" term0_port)" = "$AP" ] &&
		case $gw in "1 $SUITE inline:"*) true ;; *) false ;; esac ||
		{ fail "$NAME: rekey: $o"; return 1; }
	NEW_UE=$(b642hex "${ue#*inline:}")
	NEW_GW=$(b642hex "${gw#*inline:}")
	[ "$NEW_UE" != "$UEHEX" ] && [ "$NEW_GW" != "$GWHEX" ] ||
		{ fail "$NAME: rekey kept a key"; return 1; }
}

# drive NAME: the media of one long call, segment after segment, until
# $WORK/stop exists (checked between segments) or MAX_SEG. One line per
# segment in $WORK/NAME.log.
drive() {
	local k=0 ix pu pc t0 rk pr probe_at=0 probe_old= probe_idx=0 to=$((SEG_S + 6))
	. "$WORK/$1.call"
	while [ $k -lt $MAX_SEG ] && [ ! -e "$WORK/stop" ]; do
		ix=$((SEQ0 + k * SEG_PKTS)) # this segment's first index, both ways
		ip netns exec "$CORE" "$PEER" --bind 198.51.100.2:"$CP" --to "$CIP:$GWCP" \
			--ready "$WORK/$NAME.$k.core.ready" --go "$WORK/$NAME.$k.go" \
			--count $SEG_PKTS --seed "$SC" --seq0 $((ix & 65535)) --expect $SEG_PKTS \
			--expect-seed "$SU" --expect-seq0 $((ix & 65535)) --interval-us $INTERVAL_US \
			--timeout $to >"$WORK/$NAME.$k.core" 2>&1 &
		pc=$!
		track $pc
		ip netns exec "$UE" "$PEER" --suite "$SUITE" --tx-key "$UEHEX" --rx-key "$GWHEX" \
			--bind 192.0.2.2:"$UP" --to 192.0.2.1:"$AP" --count $SEG_PKTS --seed "$SU" \
			--ready "$WORK/$NAME.$k.ue.ready" --go "$WORK/$NAME.$k.go" \
			--seq0 $((ix & 65535)) --tx-roc $((ix >> 16)) --expect $SEG_PKTS \
			--expect-seed "$SC" --expect-seq0 $((ix & 65535)) --rx-roc $((ix >> 16)) \
			--interval-us $INTERVAL_US --timeout $to >"$WORK/$NAME.$k.ue" 2>&1 &
		pu=$!
		track $pu
		release "$NAME.$k"
		t0=$(now_ms)
		pr=0
		if [ -n "$probe_old" ]; then
			sleep_until $probe_at
			probe "$probe_old" $probe_idx
			probe_old=
			pr=1
		fi
		rk=0
		# Two seconds before this segment's senders stop: the uplink's
		# tail goes under the old key after the Modify. Only after the
		# baseline, which must hold no old key in its grace period.
		if rekey_due "$NAME" $k; then
			sleep_until $((t0 + SEG_S * 1000 - 2000))
			if [ -e "$WORK/rekeys_on" ]; then
				rekey || break
				probe_at=$(($(now_ms) + GRACE_MS + 1500))
				probe_old=$UEHEX
				# Fresh indexes for the probe: two segments on, not
				# sent yet, and within 2^15 of the current one (the
				# ROC is guessed right).
				probe_idx=$((SEQ0 + (k + 2) * SEG_PKTS + 20))
				rk=1
			fi
		fi
		wait $pc
		wait $pu
		echo "seg=$k ms=$(($(now_ms) - t0)) rekey=$rk probe=$pr ue: $(tail -1 "$WORK/$NAME.$k.ue") core: $(tail -1 "$WORK/$NAME.$k.core")" \
			>>"$WORK/$NAME.log"
		if [ $rk = 1 ]; then
			UEHEX=$NEW_UE
			GWHEX=$NEW_GW
		fi
		k=$((k + 1))
	done
	# A rekey in the last segment: its probe still runs.
	if [ -n "$probe_old" ]; then
		sleep_until $probe_at
		probe "$probe_old" $probe_idx
		echo "seg=- rekey=0 probe=1" >>"$WORK/$NAME.log"
	fi
}

# --- churn -------------------------------------------------------------------
CH_ROUNDS=0 CH_ADDED=0 CH_REMOVED=0 CH_MEDIA=0
churn_round() {
	local o ctx ue gw uehex gwhex ap cp cip r1 r2 st=0 calls tx
	o=$(mgc_at "$MGC_CH" bench --calls "$BENCH_CALLS" --window $WINDOW --e2ae)
	calls=$(sed -n 's/.*calls=\([0-9]*\) .*/\1/p' <<<"$o")
	tx=$(sed -n 's/.* transactions=\([0-9]*\) .*/\1/p' <<<"$o")
	if ! { [ "$calls" = "$BENCH_CALLS" ] && [ "$tx" = $((2 * BENCH_CALLS)) ] && grep -q ' errors=0 ' <<<"$o"; }; then
		# What the gateway answers now, and its tables.
		log "a call now: $(mgc_at "$MGC_CH" call --e2ae --ue 192.0.2.2:5010 --core 198.51.100.2:6010 | tr '\n' ' ')"
		log "stats: $(ctl stats)"
		log "telemetry: $(telemetry_info)"
		die "churn round $CH_ROUNDS: bench: $o"
	fi
	CH_ADDED=$((CH_ADDED + calls))
	CH_REMOVED=$((CH_REMOVED + calls))
	# One call with a few packets of media each way.
	o=$(mgc_at "$MGC_CH" call --e2ae --ue 192.0.2.2:5010 --core 198.51.100.2:6010) ||
		die "churn round $CH_ROUNDS: call: $o"
	CH_ADDED=$((CH_ADDED + 1))
	ctx=$(val "$o" ctx)
	ap=$(val "$o" term0_port)
	cip=$(val "$o" term1_ip)
	cp=$(val "$o" term1_port)
	ue=$(val "$o" ue_crypto)
	gw=$(val "$o" term0_crypto)
	uehex=$(b642hex "${ue#*inline:}")
	gwhex=$(b642hex "${gw#*inline:}")
	rm -f "$WORK"/ch.*
	ip netns exec "$CORE" "$PEER" --bind 198.51.100.2:6010 --to "$cip:$cp" --count $MEDIA_PKTS --seed 32 \
		--ready "$WORK/ch.core.ready" --go "$WORK/ch.go" \
		--expect $MEDIA_PKTS --expect-seed 31 --timeout 5 >"$WORK/ch_core" 2>&1 &
	r1=$!
	track $r1
	ip netns exec "$UE" "$PEER" --tx-key "$uehex" --rx-key "$gwhex" --bind 192.0.2.2:5010 --to 192.0.2.1:"$ap" \
		--ready "$WORK/ch.ue.ready" --go "$WORK/ch.go" \
		--count $MEDIA_PKTS --seed 31 --expect $MEDIA_PKTS --expect-seed 32 --timeout 5 \
		>"$WORK/ch_ue" 2>&1 &
	r2=$!
	track $r2
	release ch
	wait $r1 || st=1
	wait $r2 || st=1
	if [ $st != 0 ]; then
		log "access: $(ctl term show ctx="$ctx" id="$(val "$o" term0)")"
		log "core: $(ctl term show ctx="$ctx" id="$(val "$o" term1)")"
		log "stats: $(ctl stats)"
		die "churn round $CH_ROUNDS: media: core $(cat "$WORK/ch_core") ue $(cat "$WORK/ch_ue")"
	fi
	o=$(mgc_at "$MGC_CH" subtract --ctx "$ctx") || die "churn round $CH_ROUNDS: subtract: $o"
	[ "$(val "$o" term0_rtp/pr)" = $MEDIA_PKTS ] && [ "$(val "$o" term0_rtp/ps)" = $MEDIA_PKTS ] &&
		[ "$(val "$o" term0_srtp/af)" = 0 ] && [ "$(val "$o" term0_srtp/rpl)" = 0 ] ||
		die "churn round $CH_ROUNDS: statistics: $o"
	CH_REMOVED=$((CH_REMOVED + 1))
	CH_MEDIA=$((CH_MEDIA + 1))
	CH_ROUNDS=$((CH_ROUNDS + 1))
}
alive() {
	kill -0 "$GW_PID" 2>/dev/null || die "the gateway died"
	[ ! -s "$WORK/failed" ] || die "$(cat "$WORK/failed")"
}

# --- the run -------------------------------------------------------------------
setup_long L1 AES_CM_128_HMAC_SHA1_80 5020 6020 11 12 "$MGC_L1"
setup_long L2 AEAD_AES_128_GCM 5030 6030 21 22 "$MGC_L2"
drive L1 &
D1=$!
track $D1
drive L2 &
D2=$!
track $D2

for _ in $(seq 1 $WARMUP_ROUNDS); do
	churn_round
	alive
done
settle
snapshot
RSS0=$S_RSS FDS0=$S_FDS CTX0=$S_CTX TERM0=$S_TERM FLOWS0=$S_FLOWS HEAPN0=$S_HEAPN HEAPB0=$S_HEAPB
# Rekeys from now on: the baseline holds no old key in its grace period.
touch "$WORK/rekeys_on"
[ "$CTX0" = 2 ] && [ "$TERM0" = 4 ] || die "baseline: $CTX0 contexts, $TERM0 terminations (want 2, 4)"
log "baseline (after $WARMUP_ROUNDS warm-up rounds): rss=${RSS0} kB fds=$FDS0 contexts=$CTX0" \
	"terminations=$TERM0 flows=$FLOWS0 eal_heap=$HEAPN0 allocations/$HEAPB0 bytes"
ADDED0=$CH_ADDED
REMOVED0=$CH_REMOVED
MEDIA0=$CH_MEDIA
T_END=$(($(now_ms) + SOAK_SECONDS * 1000))
RSS_MAX=$RSS0
NEXT_REPORT=30000
while [ "$(now_ms)" -lt $T_END ] && [ $CH_ROUNDS -lt $MAX_ROUNDS ]; do
	churn_round
	alive
	r=$(rss_kb)
	[ "$r" -gt $RSS_MAX ] && RSS_MAX=$r
	echo "$r" >>"$WORK/rss"
	el=$(($(now_ms) - T_END + SOAK_SECONDS * 1000))
	if [ -n "${SOAK_VERBOSE:-}" ] || [ $el -ge $NEXT_REPORT ]; then
		log "soak: $((el / 1000))/$SOAK_SECONDS s, round $((CH_ROUNDS - WARMUP_ROUNDS)), $((CH_ADDED - ADDED0)) calls, rss $r kB"
		NEXT_REPORT=$((NEXT_REPORT + 30000))
	fi
done
# The long calls finish their segment and their last probe (after the
# grace time: every old key retired), their contexts stay.
touch "$WORK/stop"
wait $D1
wait $D2
alive
settle
snapshot
RSS1=$S_RSS FDS1=$S_FDS CTX1=$S_CTX TERM1=$S_TERM FLOWS1=$S_FLOWS HEAPN1=$S_HEAPN HEAPB1=$S_HEAPB
log "after $((CH_ROUNDS - WARMUP_ROUNDS)) churn rounds: rss=${RSS1} kB (max $RSS_MAX) fds=$FDS1" \
	"contexts=$CTX1 terminations=$TERM1 flows=$FLOWS1 eal_heap=$HEAPN1 allocations/$HEAPB1 bytes"

# --- checks --------------------------------------------------------------------
[ "$CTX1" = "$CTX0" ] && [ "$TERM1" = "$TERM0" ] && [ "$FLOWS1" = "$FLOWS0" ] ||
	die "counts not back to the baseline: contexts $CTX0 -> $CTX1, terminations $TERM0 -> $TERM1, flows $FLOWS0 -> $FLOWS1"
# The same number of allocations, but for up to SLAB_CHUNKS slab chunks
# either way (above); their bytes include alignment padding, which depends on where in
# the heap a record landed.
dn=$((HEAPN1 - HEAPN0))
db=$((HEAPB1 - HEAPB0 - dn * SLAB_CHUNK_B))
[ "$dn" -ge $((-SLAB_CHUNKS)) ] && [ "$dn" -le $SLAB_CHUNKS ] && [ "$db" -le $HEAP_TOL_B ] &&
	[ $((-db)) -le $HEAP_TOL_B ] ||
	die "EAL heap: $HEAPN0 allocations/$HEAPB0 bytes -> $HEAPN1/$HEAPB1"
[ "$dn" = 0 ] || log "EAL heap: $dn slab chunk(s) against the baseline (placement)"
[ "$FDS1" = "$FDS0" ] || die "open fds $FDS0 -> $FDS1: $(ls -l /proc/"$GW_PID"/fd)"
[ $((RSS1 - RSS0)) -le $RSS_TOL_KB ] ||
	die "RSS grew $((RSS1 - RSS0)) kB ($RSS0 -> $RSS1 kB) over $((CH_ADDED - ADDED0)) calls, bound $RSS_TOL_KB kB"

# Per long call: sums over the segments, and each segment's checks.
check_long() {
	local name=$1 line up_sent=0 up_ok=0 dn_sent=0 dn_ok=0 dn_fail=0 rekeys=0 probes=0 segs=0 ue core o
	. "$WORK/$name.call"
	while read -r line; do
		case $line in "seg="*) ;; *) continue ;; esac # a probe's own line
		[ -z "${SOAK_VERBOSE:-}" ] || log "$name $line"
		case $line in *"probe=1"*) probes=$((probes + 1)) ;; esac
		case $line in "seg=-"*) continue ;; esac
		segs=$((segs + 1))
		ue=${line#*ue: }
		ue=${ue%% core: *}
		core=${line#*core: }
		[ "$(kv "$core" sent)" = $SEG_PKTS ] && [ "$(kv "$ue" sent)" = $SEG_PKTS ] ||
			die "$name: a sender did not send its segment within its $((SEG_S + 6)) s" \
				"(a machine too loaded to pace 100 packets/s?): $line"
		# Uplink (UE -> core, plain at the core): every packet, also
		# in a rekey segment (the old key is the fallback).
		[ "$(kv "$core" matched)" = $SEG_PKTS ] && [ "$(kv "$core" wrong)" = 0 ] ||
			die "$name: uplink lost or wrong packets: $line"
		up_sent=$((up_sent + SEG_PKTS))
		up_ok=$((up_ok + $(kv "$core" matched)))
		dn_sent=$((dn_sent + $(kv "$core" sent)))
		dn_ok=$((dn_ok + $(kv "$ue" matched)))
		dn_fail=$((dn_fail + $(kv "$ue" unprotect_fail)))
		[ "$(kv "$ue" wrong)" = 0 ] || die "$name: wrong downlink packets: $line"
		case $line in
		*"rekey=1"*)
			rekeys=$((rekeys + 1))
			# Downlink: what the gateway sent under its new key fails
			# at the UE still on the old one; all of it arrived. At
			# least one such packet: the rekey landed while media
			# flowed, so the uplink's tail (all matched above) went
			# under the old key after it, through the fallback.
			[ $(($(kv "$ue" matched) + $(kv "$ue" unprotect_fail))) = $SEG_PKTS ] &&
				[ "$(kv "$ue" unprotect_fail)" -ge 1 ] &&
				[ "$(kv "$ue" unprotect_fail)" -le $REKEY_LOSS_MAX ] ||
				die "$name: downlink at the rekey: $line"
			;;
		*)
			[ "$(kv "$ue" matched)" = $SEG_PKTS ] && [ "$(kv "$ue" unprotect_fail)" = 0 ] ||
				die "$name: downlink lost packets: $line"
			;;
		esac
	done <"$WORK/$name.log"
	[ $segs -ge 2 ] && [ $rekeys -ge 1 ] && [ $probes = $rekeys ] ||
		die "$name: $segs segments, $rekeys rekeys, $probes probes: $(cat "$WORK/$name.log")"
	# The index space crossed 2^16: the ROC rolled over in the first segment.
	[ $((SEQ0 + up_sent)) -gt 65536 ] || die "$name: no ROC rollover"
	o=$(mgc_at "$MGC_L1" subtract --ctx "$CTX") || die "$name: subtract: $o"
	[ "$(val "$o" term0_rtp/pr)" = $up_sent ] && [ "$(val "$o" term0_rtp/ps)" = $dn_sent ] &&
		[ "$(val "$o" term0_srtp/af)" = $((PROBE_N * probes)) ] && [ "$(val "$o" term0_srtp/rpl)" = 0 ] ||
		die "$name: Subtract statistics (want rtp/pr=$up_sent rtp/ps=$dn_sent srtp/af=$((PROBE_N * probes)) srtp/rpl=0): $o"
	log "ok: $name $SUITE: $segs segments, ue->core $up_ok/$up_sent, core->ue $dn_ok/$dn_sent" \
		"($dn_fail undecryptable at $rekeys rekey boundaries), ROC 0 -> $(((SEQ0 + up_sent - 1) >> 16))," \
		"$probes old-key probes refused (srtp/af=$((PROBE_N * probes)) srtp/rpl=0)"
	SUM="$SUM $name=$up_ok/$up_sent,$dn_ok/$dn_sent,rekeys=$rekeys,probes=$probes"
	UP_TOTAL=$((UP_TOTAL + up_ok))
	DN_TOTAL=$((DN_TOTAL + dn_ok))
}
SUM= UP_TOTAL=0 DN_TOTAL=0
check_long L1
check_long L2
settle
s=$(ctl stats)
[ "$(kv "$s" contexts)" = 0 ] && [ "$(kv "$s" flows)" = 0 ] || die "left after the last Subtract: $s"

gw_stop
grep -q 'imsagw: stopping' "$WORK/gw.err" || die "no clean stop on SIGTERM"
# RSS after each quarter of the rounds, for the trend.
RSS_Q=$(awk '{ r[NR] = $1 } END { for (q = 1; q <= 4; q++) printf "%s%s", (q > 1 ? "," : ""), r[int(NR * q / 4)] }' "$WORK/rss")
log "soak: seconds=$SOAK_SECONDS asan=$ASAN rounds=$((CH_ROUNDS - WARMUP_ROUNDS))" \
	"calls_added=$((CH_ADDED - ADDED0)) calls_removed=$((CH_REMOVED - REMOVED0))" \
	"media_calls=$((CH_MEDIA - MEDIA0)) long_pkts_ue_to_core=$UP_TOTAL long_pkts_core_to_ue=$DN_TOTAL$SUM" \
	"rss_kb=$RSS0/$RSS1/max=$RSS_MAX quarters=$RSS_Q tol_kb=$RSS_TOL_KB fds=$FDS0/$FDS1" \
	"contexts=$CTX0/$CTX1 flows=$FLOWS0/$FLOWS1 eal_heap=$HEAPN0/$HEAPN1,$HEAPB0/$HEAPB1 wall_s=$(($(date +%s) - T_START))"
echo "test_soak: all checks passed"
