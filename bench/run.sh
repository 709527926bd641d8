#!/bin/bash
# bench/run.sh: the whole benchmark set on this machine, one table at the end.
#
#   bash bench/run.sh [BUILD_DIR] [--quick] [--no-rtpengine] [--pktgen=PATH]
#
# Steps (each bounded by `timeout`; a step that fails is reported and the
# others still run):
#   crypto     bench/crypto (imsagw-crypto-bench): engines vs the raw bound
#   pipeline   imsagw-pipeline-bench: the worker path in-process, one core,
#              1 / 1k / 100k / 1M flows (quick: 1 / 1k), forged/replayed/unknown;
#              the four other suites at 1 / 1k flows (full run only)
#   junk       imsagw-pipeline-bench --junk 50: media beside as many junk
#              frames for the exception path (policer at its default) vs the
#              media alone, access-in, 1k flows, both target suites (a few s)
#   e2e-memif  the real gateway (configs/examples/memif-bench.conf) and
#              imsagw-gen over net_memif: calls set up over Iq, a no-drop rate
#              search (loss < 0.1 %), latency at 50 % of it, an attack mix
#   iq         imsagw-mgc bench (Add+Add, Subtract) against the same gateway
#   rtpengine  bench/rtpengine.sh (full run only, if installable)
#   pktgen     with --pktgen=PATH (make bench PKTGEN=PATH) or pktgen on PATH:
#              bench/pktgen/run.sh, Pktgen-DPDK's offered and forwarded rates
#              through the gateway over memif (docs/pktgen.md); skipped
#              without it
#   msrp       bench/msrp/run.sh: MSRP over TLS handshakes/s and Gbit/s through
#              the gateway's msrp relay against haproxy (quick: one short round);
#              its own table after the main one
# Results: bench/results/latest.json (+ a dated copy), the table on stdout, a
# dated row in docs/benchmarks.md. Root is needed (memif sockets in /run,
# hugepages). The pipeline runs on hugepages when the kernel can reserve them
# (the count is raised for it and restored at the end), else with --no-huge.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=build
QUICK=0
RTPENGINE=1
PKTGEN=$(command -v pktgen 2>/dev/null)
for a in "$@"; do
	case $a in
	--quick) QUICK=1 ;;
	--no-rtpengine) RTPENGINE=0 ;;
	--pktgen=*) PKTGEN=${a#--pktgen=} ;;
	-*) echo "usage: $0 [BUILD_DIR] [--quick] [--no-rtpengine] [--pktgen=PATH]" >&2; exit 2 ;;
	*) BUILD=$a ;;
	esac
done
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
RES=$TOP/bench/results
WORK=$(mktemp -d /tmp/imsagw-bench.XXXXXX)
GW_PID=
T_START=$(date +%s)
mkdir -p "$RES" /run/imsagw

log() { printf '[bench %3ds] %s\n' $(($(date +%s) - T_START)) "$*" >&2; }

# shellcheck source=bench/lib.sh
. "$TOP/bench/lib.sh"
gw_stop() { bench_gw_stop; }

HP_ORIG=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
cleanup() {
	gw_stop
	echo "$HP_ORIG" >/proc/sys/vm/nr_hugepages 2>/dev/null
	rm -f /dev/hugepages/imsagw-bpipemap_* 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# Machine and load, recorded with the results.
machine() {
	local cpu load
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	printf '{"bench": "machine", "cpu": "%s", "cpus": %s, "kernel": "%s", "dpdk": "%s", "loadavg_%s": "%s", "mem_available_mb": %s}\n' \
		"$cpu" "$(nproc)" "$(uname -r)" "$(pkg-config --modversion libdpdk 2>/dev/null)" \
		"$1" "$load" "$(awk '/MemAvailable/ {print int($2/1024)}' /proc/meminfo)"
}
machine start >"$WORK/machine-start.jsonl"

# ---- crypto ----------------------------------------------------------------
SUITES="AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM"
Q=; [ $QUICK = 1 ] && Q=--quick
for s in $SUITES; do
	log "crypto $s"
	timeout -k 5 120 "$BUILD/bench/crypto/imsagw-crypto-bench" $Q --suite "$s" --payload 160 \
		--json "$WORK/crypto-$s.json" >"$WORK/crypto-$s.txt" 2>&1 ||
		log "crypto $s failed: $(tail -2 "$WORK/crypto-$s.txt")"
done

# ---- pipeline ----------------------------------------------------------------
FLOWS="1 1000 100000 1000000"
[ $QUICK = 1 ] && FLOWS="1 1000"
avail_mb=$(awk '/MemAvailable/ {print int($2/1024)}' /proc/meminfo)
# suite:flows,... -- the two suites of the targets at every size; in a full
# run every other suite at 1 and 1k flows
PIPE_PLAN=
for s in $SUITES; do PIPE_PLAN="$PIPE_PLAN $s:$(echo $FLOWS | tr ' ' ,)"; done
[ $QUICK = 1 ] || PIPE_PLAN="$PIPE_PLAN AES_CM_128_HMAC_SHA1_32:1,1000 AEAD_AES_256_GCM:1,1000
 AES_256_CM_HMAC_SHA1_80:1,1000 AES_256_CM_HMAC_SHA1_32:1,1000"
for plan in $PIPE_PLAN; do
	s=${plan%%:*}
	for n in $(echo "${plan#*:}" | tr , ' '); do
		dirs="both"
		# a million flows: ~4.5 GB per direction; one direction a run
		[ "$n" -ge 1000000 ] && dirs="access-in core-in"
		for d in $dirs; do
			# ~3 KB per flow and direction in use (1.6 KB of it the
			# device session), the benchmark reserves ~3.7 KB of EAL
			# memory per flow and direction up front
			need=$((n * 5 / 1000 + 600))
			[ "$d" = both ] && need=$((need * 2))
			if [ "$need" -gt "$avail_mb" ]; then
				log "pipeline $s $n flows $d: skipped (needs ~${need} MB, ${avail_mb} available)"
				continue
			fi
			# hugepages for it when the kernel can give them (the
			# benchmark falls back to --no-huge, slower, otherwise);
			# the count is restored at the end
			hp=$(( (512 + need * 3 / 4) / 2 + 64 ))
			[ "$hp" -gt "$(cat /proc/sys/vm/nr_hugepages)" ] &&
				echo "$hp" >/proc/sys/vm/nr_hugepages 2>/dev/null
			log "pipeline $s $n flows ($d)"
			pk=; [ "$n" -ge 1000000 ] && pk="--packets 1000000"
			# shellcheck disable=SC2086
			timeout -k 5 300 "$BUILD/bench/pipeline/imsagw-pipeline-bench" $Q $pk --suite "$s" --flows "$n" \
				--dir "$d" --json "$WORK/pipe-$s-$n-$d.json" >"$WORK/pipe-$s-$n-$d.txt" 2>&1 ||
				log "pipeline $s $n $d failed: $(tail -2 "$WORK/pipe-$s-$n-$d.txt")"
			rm -f /dev/hugepages/imsagw-bpipemap_* 2>/dev/null
		done
	done
done

# ---- 1M flows against 1k, interleaved (issue 13: 1M >= 0.8 of 1k) -----------
# The table's 1k and 1M runs are minutes apart, on a box whose speed swings
# more than the ratio's margin; here the ratio comes from runs that
# alternate, 1k then 1M, per direction and with the same packet count,
# median [min-max] of the rounds (rows "scale"; report.py prefers them).
if [ $QUICK = 0 ]; then
	mkdir -p "$WORK/scale"
	for s in $SUITES; do
		for d in access-in core-in; do
			[ -f "$WORK/pipe-$s-1000000-$d.json" ] || continue
			log "scale $s $d: 1k and 1M flows alternating, 3 rounds"
			for r in 1 2 3; do
				for n in 1000 1000000; do
					timeout -k 5 300 "$BUILD/bench/pipeline/imsagw-pipeline-bench" \
						--packets 1000000 --suite "$s" --flows "$n" --dir "$d" \
						--json "$WORK/scale/$s-$d-$n-$r.json" >"$WORK/scale/$s-$d-$n-$r.txt" 2>&1 ||
						log "scale $s $n $d failed: $(tail -2 "$WORK/scale/$s-$d-$n-$r.txt")"
					rm -f /dev/hugepages/imsagw-bpipemap_* 2>/dev/null
				done
			done
			python3 - "$WORK/scale" "$s" "$d" >"$WORK/scale-$s-$d.json" <<-'EOF'
			import json, os, statistics, sys
			w, s, d = sys.argv[1:4]
			def mpps(n, r):
			    try:
			        rows = json.load(open(os.path.join(w, "%s-%s-%d-%d.json" % (s, d, n, r))))
			    except (OSError, ValueError):
			        return None
			    return next((x["mpps"] for x in rows if x.get("bench") == "pipeline"
			                 and x.get("flows") == n and x.get("direction") == d), None)
			q = [(mpps(1000, r), mpps(1000000, r)) for r in (1, 2, 3)]
			q = [b / a for a, b in q if a and b]
			print(json.dumps([{"bench": "scale", "suite": s, "direction": d, "rounds": len(q),
			                   "ratio": statistics.median(q) if q else None,
			                   "ratio_min": min(q) if q else None,
			                   "ratio_max": max(q) if q else None}]))
			EOF
		done
	done
fi

# GCM's memory with the compact key layout (crypto.gcm_keys = "compact"):
# one memory row beside the default's
log "pipeline AEAD_AES_128_GCM 1000 flows (access-in), compact GCM keys"
timeout -k 5 120 "$BUILD/bench/pipeline/imsagw-pipeline-bench" --quick --suite AEAD_AES_128_GCM \
	--gcm-keys compact --flows 1000 --dir access-in --json "$WORK/pipe-gcm-compact.json" \
	>"$WORK/pipe-gcm-compact.txt" 2>&1 ||
	log "pipeline compact GCM keys failed: $(tail -2 "$WORK/pipe-gcm-compact.txt")"
rm -f /dev/hugepages/imsagw-bpipemap_* 2>/dev/null

# ---- junk beside the media (issue 11) ----------------------------------------
# rows "junk" in latest.json (not in the table); docs/benchmarks.md has the
# longer interleaved runs and what they mean
JP=1000000; [ $QUICK = 1 ] && JP=300000
for s in $SUITES; do
	log "junk $s: 50 % of the frames junk, 5 slices"
	timeout -k 5 120 "$BUILD/bench/pipeline/imsagw-pipeline-bench" --suite "$s" --flows 1000 \
		--dir access-in --junk 50 --slices 5 --packets $JP --json "$WORK/pipe-junk-$s.json" \
		>"$WORK/pipe-junk-$s.txt" 2>&1 || log "junk $s failed: $(tail -2 "$WORK/pipe-junk-$s.txt")"
	grep -E '^junk |no junk|beside the junk|junk handled|frame: |alone' "$WORK/pipe-junk-$s.txt" |
		sed 's/^/    /' >&2
	rm -f /dev/hugepages/imsagw-bpipemap_* 2>/dev/null
done

# ---- two workers (issue 13 point 4) ------------------------------------------
# rows "workers" in latest.json (not in the table): the pipeline on both cores,
# 1k flows each, scaling against one worker in the same run (interleaved)
for s in $SUITES; do
	log "workers $s: two workers, 1k flows each, 5 slices"
	timeout -k 5 300 "$BUILD/bench/pipeline/imsagw-pipeline-bench" --workers 2 --suite "$s" \
		--flows 1000 --packets $JP --json "$WORK/pipe-workers-$s.json" \
		>"$WORK/pipe-workers-$s.txt" 2>&1 || log "workers $s failed: $(tail -2 "$WORK/pipe-workers-$s.txt")"
	grep -E '^workers |^two workers|  (sum|scaling|thread CPU)' "$WORK/pipe-workers-$s.txt" | sed 's/^/    /' >&2
	rm -f /dev/hugepages/imsagw-bpipemap_* 2>/dev/null
done

# ---- e2e over memif ----------------------------------------------------------
CONF=$TOP/configs/examples/memif-bench.conf
IQ="127.0.0.1:12955,127.0.0.1:12954"
GEN=$BUILD/bench/gen/imsagw-gen
GEN_EAL="-l 0 --no-huge -m 512 --no-pci --file-prefix=imsagw-bgen --log-level=*:error
 --vdev=net_memif0,role=client,id=0,socket=/run/imsagw/memif-access.sock,mac=02:00:00:00:0a:02
 --vdev=net_memif1,role=client,id=0,socket=/run/imsagw/memif-core.sock,mac=02:00:00:00:0c:02"
CALLS=100; SECS=2; STEPS=4
[ $QUICK = 1 ] && { CALLS=10; SECS=1; STEPS=2; }

IQ_WAIT=3000
gw_start() {
	IQ_WAIT=3000
	bench_gw_start && return 0
	log "gateway did not start: $(tail -3 "$WORK/gw.err")"
	return 1
}

# gen NAME ARGS...: one bounded generator run against the running gateway,
# which it leaves stopped; JSON in $WORK/NAME.json. The generator holds its
# memif ports after the plan (--hold; the calls are deleted by then) until
# the gateway has closed them (bench/lib.sh says why).
gen() {
	local name=$1 pid rc
	shift
	# shellcheck disable=SC2086
	timeout -k 5 120 "$GEN" --iq "$IQ" --iq-wait "$IQ_WAIT" --calls "$CALLS" --json "$WORK/$name.json" \
		--hold 20 "$@" -- $GEN_EAL >"$WORK/$name.txt" 2>&1 &
	pid=$!
	# the cycles a packet cost the gateway flat out (bench/lib.sh)
	bench_gw_phase_cycles "$pid" "$WORK/$name.txt" "${name#e2e-}" "$WORK/$name-cycles.json"
	bench_gen_wait_hold "$pid" "$WORK/$name.txt"
	kill -0 "$GW_PID" 2>/dev/null || log "the gateway died during $name (see $WORK/gw.err)"
	gw_stop
	wait "$pid"
	rc=$?
	grep -q '^imsagw-gen: holding' "$WORK/$name.txt" &&
		! grep -q '^imsagw-gen: the gateway closed the ports' "$WORK/$name.txt" &&
		log "$name: the generator did not see the gateway close its ports"
	return $rc
}

if gw_start; then
	for tr in srtp:AES_CM_128_HMAC_SHA1_80 srtp:AEAD_AES_128_GCM rtp:RTP; do
		t=${tr%%:*}; s=${tr#*:}
		sarg="--transport $t"; [ "$t" = srtp ] && sarg="$sarg --suite $s"
		# The whole plan in one generator process (one memif connection):
		# flat out, a no-loss rate search, latency at 50 % of it, attack
		# mix; a gateway of its own, stopped before the generator lets go
		# of the ports (gen above).
		kill -0 "$GW_PID" 2>/dev/null || gw_start || break
		log "e2e-memif $s: flat out, $STEPS search steps, latency, attack mix (${SECS}s each)"
		# shellcheck disable=SC2086
		gen "e2e-$s" $sarg --duration "$SECS" --search "$STEPS" ||
			log "e2e $s failed: $(tail -3 "$WORK/e2e-$s.txt")"
		grep -E '^-- |^attack' "$WORK/e2e-$s.txt" | sed 's/^/    /' >&2
	done
	# The floor of each (issue 13 point 5): the same plan against
	# dpdk-testpmd io forward on the same memif links and lcores, and the
	# generator alone (bench/floor.sh), with the e2e's transport: on SRTP
	# the generator does the e2e's crypto itself; rows floor-memif*,
	# gen-alone, floor-cycles (per suite) and the peers' sched.
	gw_stop
	for tr in rtp:RTP srtp:AES_CM_128_HMAC_SHA1_80 srtp:AEAD_AES_128_GCM; do
		t=${tr%%:*}; s=${tr#*:}
		sarg="--transport $t"; [ "$t" = srtp ] && sarg="$sarg --suite $s"
		log "floor $s: dpdk-testpmd in the gateway's place (bench/floor.sh)"
		# shellcheck disable=SC2046
		FLOOR_ARGS=$sarg timeout -k 5 300 bash "$TOP/bench/floor.sh" "$BUILD" "$WORK/floor-$s" \
			$([ $QUICK = 1 ] && echo --quick) --json "$WORK/floor-$s.json" 2>&1 |
			sed "s/^/    /" >&2
	done
	# the Iq benchmark below wants a running gateway
	kill -0 "$GW_PID" 2>/dev/null || gw_start
	# ---- Iq transactions/s ---------------------------------------------------
	MGC=$BUILD/tools/imsagw-mgc
	kill -0 "$GW_PID" 2>/dev/null || { log "gateway gone: restarting it"; gw_start; }
	if [ -x "$MGC" ] && kill -0 "$GW_PID" 2>/dev/null; then
		# a freshly started gateway answers 505 until it is registered:
		# take its ServiceChange first (it retries every 1..30 s)
		timeout -k 5 40 "$MGC" --bind 127.0.0.1:12954 --mg 127.0.0.1:12955 register --wait 35000 \
			>"$WORK/iq-register.txt" 2>&1 || log "iq: no registration: $(tail -1 "$WORK/iq-register.txt")"
		n=2000; [ $QUICK = 1 ] && n=300
		for e in "" --e2ae; do
			log "iq: imsagw-mgc bench --calls $n --window 16 $e"
			# shellcheck disable=SC2086
			out=$(timeout -k 5 60 "$MGC" --bind 127.0.0.1:12954 --mg 127.0.0.1:12955 bench --calls $n \
				--window 16 $e 2>&1 | grep '^calls=')
			[ -n "$out" ] || { log "iq bench failed"; continue; }
			python3 - "$out" "${e:+e2ae}" >"$WORK/iq${e}.json" <<-'EOF'
			import json, sys
			kv = dict(w.split("=", 1) for w in sys.argv[1].split())
			print(json.dumps([{"bench": "iq", "suite": "AES_CM_128_HMAC_SHA1_80" if sys.argv[2] else "RTP",
			    "payload": 0, "direction": "setup", "flows": int(kv["calls"]), "tps": float(kv["tps"]),
			    "add_p50_us": float(kv["add_p50_us"]), "add_p99_us": float(kv["add_p99_us"]),
			    "errors": int(kv["errors"]), "window": int(kv["window"])}]))
			EOF
		done
	fi
	gw_stop
fi

# ---- pktgen (issue 13) ---------------------------------------------------------
# Pktgen-DPDK's scripts against gateways of their own over memif; rows
# "pktgen" and "pktgen-latency" in latest.json, printed beside imsagw-gen's.
pktgen_step() {
	if [ -z "$PKTGEN" ] || [ ! -x "$PKTGEN" ]; then
		log "pktgen: skipped (no pktgen on PATH; make bench PKTGEN=/path/to/pktgen)"
		echo '[{"bench": "pktgen-skipped"}]' >"$WORK/pktgen.json"
		return 0
	fi
	local q=
	[ $QUICK = 1 ] && q=--quick
	log "pktgen: $PKTGEN, bench/pktgen/run.sh (core-rtp, udp-baseline, latency-bypass)"
	# shellcheck disable=SC2086
	timeout -k 5 900 bash "$TOP/bench/pktgen/run.sh" "$BUILD" "$PKTGEN" $q \
		--json "$WORK/pktgen.json" >"$WORK/pktgen.txt" 2>&1 ||
		log "pktgen step failed: $(tail -3 "$WORK/pktgen.txt")"
}
pktgen_step

# ---- rtpengine -------------------------------------------------------------------
if [ $RTPENGINE = 1 ] && [ $QUICK = 0 ]; then
	log "rtpengine comparison"
	timeout -k 5 240 bash "$TOP/bench/rtpengine.sh" "$BUILD" --json "$WORK/rtpengine.json" \
		>"$WORK/rtpengine.txt" 2>&1 || log "rtpengine step failed: $(tail -3 "$WORK/rtpengine.txt")"
fi

# ---- MSRP relay vs haproxy ---------------------------------------------------------
log "msrp: TLS handshakes/s and Gbit/s, imsagw vs haproxy (bench/msrp/run.sh)"
MQ=; [ $QUICK = 1 ] && MQ="--rounds 1 --hs 300 --seconds 2"
# shellcheck disable=SC2086
BUILD=$BUILD timeout -k 5 1500 bash "$TOP/bench/msrp/run.sh" $MQ --json "$WORK/msrp.json" \
	>"$WORK/msrp.txt" 2>"$WORK/msrp.err" || log "msrp step failed: $(tail -3 "$WORK/msrp.err")"

machine end >"$WORK/machine-end.jsonl"
log "done in $(($(date +%s) - T_START)) s"
python3 "$TOP/bench/report.py" --work "$WORK" --out "$RES/latest.json" \
	--doc "$TOP/docs/benchmarks.md" $([ $QUICK = 1 ] && echo --quick) \
	--seconds $(($(date +%s) - T_START))
rc=$?
sed -n '/^MSRP relay/,$p' "$WORK/msrp.txt"
exit $rc
