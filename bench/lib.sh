# bench/lib.sh: the gateway's life cycle for the benchmark scripts (sourced
# by bench/run.sh and bench/rtpengine.sh, which set BUILD, WORK and CONF).
#
# Teardown order matters with memif: net_memif (DPDK 22.11) unmaps a
# connection's rings on its interrupt thread as soon as the peer
# disconnects, even while the gateway's worker is inside rx_burst on them
# (SIGSEGV in librte_net_memif.so), whereas a stopping gateway stops its
# workers before it closes its ports. So a generator run with --hold keeps
# its ports until bench_gw_stop has stopped the gateway.

GW_PID=

# Stop a process we started, by its PID: TERM, KILL after 5 s, reaped.
bench_pid_stop() {
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill -TERM "$1"
		for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$1" 2>/dev/null && kill -KILL "$1"
		wait "$1" 2>/dev/null
	fi
	return 0
}

# Stop the gateway we started and its hugepage files.
bench_gw_stop() {
	bench_pid_stop "$GW_PID"
	GW_PID=
	rm -f /dev/hugepages/imsagw-benchmap_* /dev/hugepages/imsagw-bgenmap_* 2>/dev/null
}

# Start imsagw on $CONF (admin socket and logs in $WORK); 0 once it says
# ready, 1 if it does not within 10 s.
bench_gw_start() {
	bench_gw_stop
	"$BUILD/app/imsagw" --config "$CONF" --admin-socket "$WORK/admin.sock" \
		>"$WORK/gw.out" 2>"$WORK/gw.err" &
	GW_PID=$!
	for _ in $(seq 1 100); do
		grep -q '^imsagw: ready' "$WORK/gw.out" 2>/dev/null && return 0
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

# Wait until the imsagw-gen of PID (output in FILE) holds its ports after
# its plan, or has exited.
bench_gen_wait_hold() {
	local pid=$1 out=$2

	while kill -0 "$pid" 2>/dev/null && ! grep -q '^imsagw-gen: holding' "$out" 2>/dev/null; do
		sleep 0.2
	done
}

# bench_gw_stats FILE: the running gateway's admin stats (its workers'
# counters, busy_cycles among them) and the time, into FILE.
bench_gw_stats() {
	"$BUILD/tools/imsagw-ctl" -s "$WORK/admin.sock" stats >"$1" 2>/dev/null
	echo "now=$(date +%s.%N)" >>"$1"
}

# bench_gw_cycles BEFORE AFTER SUITE JSON: from two bench_gw_stats, an
# e2e-cycles row: the TSC cycles a received packet cost the gateway's
# workers (their turns that moved packets, I/O included), the share of
# their time packets took (summed over the workers: up to N with N) and the
# mean burst (docs/operations.md, "A media worker's load"). Nothing when no
# packet came.
bench_gw_cycles() {
	python3 - "$@" <<-'EOF'
	import json, sys
	def kv(p):
	    out = {}
	    for w in open(p).read().split():
	        k, _, v = w.partition("=")
	        try:
	            out[k] = float(v)
	        except ValueError:
	            pass
	    return out
	a, b = kv(sys.argv[1]), kv(sys.argv[2])
	d = {k: b.get(k, 0) - a.get(k, 0) for k in ("rx", "busy_cycles", "busy_turns", "now")}
	if d["rx"] <= 0 or d["busy_turns"] <= 0 or d["now"] <= 0 or "tsc_hz" not in b:
	    sys.exit(0)
	json.dump([{"bench": "e2e-cycles", "suite": sys.argv[3], "direction": "both",
	            "cycles_per_pkt": d["busy_cycles"] / d["rx"],
	            "busy_share": d["busy_cycles"] / (b["tsc_hz"] * d["now"]),
	            "mean_burst": d["rx"] / d["busy_turns"]}], open(sys.argv[4], "w"))
	EOF
}

# bench_gw_phase_cycles GEN_PID GEN_OUT SUITE JSON: while imsagw-gen
# GEN_PID runs (output in GEN_OUT), the gateway's stats when its first
# phase (the plan's flat out) starts and ends sending, as an e2e-cycles row
# (bench_gw_cycles): the cycles a packet at the highest rate the generator
# reached. Nothing when the generator ends before. The marks are waited for
# with tail -f (inotify), not by polling: a grep every few milliseconds is
# CPU taken from the generator or the gateway while they are measured.
bench_gw_phase_cycles() {
	local pid=$1 out=$2 line n=0

	while IFS= read -r line; do
		case $line in
		"imsagw-gen: phase sending"*)
			bench_gw_stats "$WORK/$3.phase0"
			n=1
			;;
		"imsagw-gen: phase sent"*)
			[ $n = 1 ] && bench_gw_stats "$WORK/$3.phase1" && n=2
			break
			;;
		esac
	done < <(tail -n +1 -f --pid="$pid" "$out" 2>/dev/null)
	[ $n = 2 ] && bench_gw_cycles "$WORK/$3.phase0" "$WORK/$3.phase1" "$3" "$4"
	return 0
}
