#!/bin/bash
# bench/floor.sh: what the e2e-memif figure would be without the gateway
# (issue 13 point 5). The gateway's place on the same memif links is taken
# by dpdk-testpmd, a memif server on the same sockets and lcores (-l 0,1:
# main on 0, one forwarding core on 1, as memif-bench.conf's control 0,
# media [1]), and the same imsagw-gen plan runs against it:
#
#   floor      testpmd io forward (port 0 <-> 1, packets untouched) and
#              imsagw-gen --floor: flat out, no-loss rate search, latency
#              at 50 % of it (rows floor-memif, floor-memif-lat50, ...)
#              with FLOOR_ARGS (default E2E_ARGS: the transport and suite
#              of the e2e it is the floor of). An SRTP floor has the
#              generator do the e2e's crypto: it protects access-in and
#              unprotects it when it comes back on core (one protect and
#              one unprotect a packet pair, as against the gateway), so
#              that only the gateway's work is left out
#   gen-alone  testpmd rxonly (drops everything) and imsagw-gen --floor flat
#              out: what the generator can send at all (row gen-alone)
#
# Per packet, both peers count the TSC cycles of their forwarding core's
# turns that moved packets, I/O included: testpmd with --record-core-cycles
# (printed when it stops; over the whole plan, as it counts only the turns
# that moved packets), the gateway by its busy_cycles (admin stats read when
# the generator's first phase, the flat out, starts and ends sending).
# testpmd's figure is what the memif I/O alone costs, the gateway's minus it
# what the gateway's own work costs (rows floor-cycles and e2e-cycles):
# the attribution of the e2e figure, as at the floor's rate the gateway has
# 1 / (2 x floor Mpps) us a packet.
#
# Around each generator run the peer's threads are read from /proc
# (schedstat: time run and time waited runnable; involuntary context
# switches) and /proc/stat's steal: a worker that waits runnable for
# milliseconds is a worker that shares its CPU, which is where a
# millisecond tail comes from on this box (the generator prints its own
# loop and RX gaps, bench/gen/gen.c).
#
#   bash bench/floor.sh BUILD_DIR WORK_DIR [--quick] [--rounds N] [--gateway CONF]
#                       [--json FILE]
#
# --gateway CONF interleaves N rounds gateway/floor/gateway/floor (plain
# RTP through imsagw on CONF, bench/lib.sh's life cycle) and prints median
# [min-max] of both (E2E_ARGS: the generator's transport for the gateway,
# default "--transport rtp"); bench/run.sh runs one floor round after its
# e2e step.
# SOCKDIR (default /run/imsagw) holds the memif sockets; with --gateway
# CONF's /run/imsagw/ paths are rewritten to it, and its Iq ports 12955
# (gateway) and 12954 (MGC) to IQ_MG and IQ_MGC. NICE=-20 runs the peer
# and the generator at that nice level (the A/B that shows whether the
# tail is CPU contention: the others then get short slices; it slows them
# for the run), and this session's autogroup too: with
# kernel.sched_autogroup_enabled a thread's nice only weighs inside its
# session's group, and the CPU is shared between sessions first. Root is
# needed.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:?usage: $0 BUILD_DIR WORK_DIR [--quick] [--rounds N] [--gateway CONF]}
WORK=${2:?usage: $0 BUILD_DIR WORK_DIR [--quick] [--rounds N] [--gateway CONF]}
shift 2
QUICK=0
ROUNDS=1
GWCONF=
JSON=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--rounds) ROUNDS=$2; shift ;;
	--gateway) GWCONF=$2; shift ;;
	--json) JSON=$2; shift ;;
	*) echo "$0: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
SOCKDIR=${SOCKDIR:-/run/imsagw}
NICE=${NICE:-0}
E2E_ARGS=${E2E_ARGS:---transport rtp}
FLOOR_ARGS=${FLOOR_ARGS:-$E2E_ARGS}
TESTPMD=${TESTPMD:-$(command -v dpdk-testpmd)}
GEN=$BUILD/bench/gen/imsagw-gen
CALLS=100; SECS=2; STEPS=4
[ $QUICK = 1 ] && { CALLS=10; SECS=1; STEPS=2; }
PFX=${SOCKDIR//\//_}
GEN_EAL="-l 0 --no-huge -m 512 --no-pci --file-prefix=imsagw-fgen$PFX --log-level=*:error
 --vdev=net_memif0,role=client,id=0,socket=$SOCKDIR/memif-access.sock,mac=02:00:00:00:0a:02
 --vdev=net_memif1,role=client,id=0,socket=$SOCKDIR/memif-core.sock,mac=02:00:00:00:0c:02"
mkdir -p "$WORK" "$SOCKDIR"

log() { printf '[floor] %s\n' "$*" >&2; }
[ -x "$TESTPMD" ] || { log "no dpdk-testpmd: floor skipped"; exit 0; }
[ -x "$GEN" ] || { log "no $GEN"; exit 1; }

TP_PID=
TP_FD=
tp_stop() {
	bench_pid_stop "$TP_PID"
	TP_PID=
	[ -n "$TP_FD" ] && exec 7>&-
	TP_FD=
	rm -f "$WORK/tp.in"
}

# tp_start MODE OUT: testpmd as the memif server in forward MODE (io,
# rxonly). Its stdin is a FIFO this shell holds open, so that it waits
# for "enter" (non-interactive testpmd exits on EOF) until tp_stop.
# --disable-link-check: its link wait busy-loops on lcore 0 (rte_delay_ms)
# for as long as the client is not there.
tp_start() {
	local mode=$1 out=$2
	tp_stop
	rm -f "$SOCKDIR/memif-access.sock" "$SOCKDIR/memif-core.sock"
	mkfifo "$WORK/tp.in" || return 1
	exec 7<>"$WORK/tp.in"
	TP_FD=7
	# line-buffered: "Press enter to exit" says it forwards
	stdbuf -oL "$TESTPMD" -l 0,1 --no-huge -m 512 --no-pci --file-prefix="imsagw-ftp$PFX" \
		--log-level='*:error' \
		--vdev="net_memif0,role=server,id=0,socket=$SOCKDIR/memif-access.sock,mac=02:00:00:00:0a:01" \
		--vdev="net_memif1,role=server,id=0,socket=$SOCKDIR/memif-core.sock,mac=02:00:00:00:0c:01" \
		-- --forward-mode="$mode" --nb-cores=1 --burst=32 --rxd=1024 --txd=1024 \
		--total-num-mbufs=32768 --auto-start --disable-link-check --record-core-cycles \
		<"$WORK/tp.in" >"$out" 2>&1 &
	TP_PID=$!
	for _ in $(seq 1 100); do
		grep -q 'Press enter to exit' "$out" 2>/dev/null && return 0
		kill -0 "$TP_PID" 2>/dev/null || break
		sleep 0.1
	done
	log "testpmd ($mode) did not start: $(tail -3 "$out")"
	tp_stop
	return 1
}

# renice_all PID: every thread of PID to $NICE (nice is per thread).
renice_all() {
	local t
	[ "$NICE" = 0 ] && return 0
	for t in /proc/"$1"/task/*; do
		renice -n "$NICE" -p "${t##*/}" >/dev/null 2>&1
	done
}

# snap PID: per thread "tid comm run_ns wait_ns nonvoluntary_switches",
# then "steal TICKS" (all CPUs).
snap() {
	local t
	for t in /proc/"$1"/task/*; do
		[ -r "$t/schedstat" ] || continue
		printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' _ <"$t/comm")" \
			"$(cut -d' ' -f1,2 "$t/schedstat")" \
			"$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$t/status")"
	done
	awk '/^cpu / {print "steal", $9}
	     /^cpu[0-9]/ {print "busy", $1, $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
}

# cpu_snap: every process's "pid comm utime+stime" (USER_HZ ticks): who
# else ran on the box during a run.
cpu_snap() {
	# one awk for all (processes forked here would count as others)
	awk 'FNR == 1 { s = $0; sub(/^.*\) /, "", s); split(s, v, " ");
	       c = $0; sub(/^[^(]*\(/, "", c); sub(/\).*$/, "", c); gsub(/ /, "_", c);
	       print $1, c, v[12] + v[13] }' /proc/[0-9]*/stat 2>/dev/null
}

# sched_delta BEFORE AFTER SECS NAME JSON CPU0 CPU1 PEER: the threads that
# ran more than 1 % of the time: ms run, ms waited runnable, involuntary
# switches; one JSON row for the busiest thread (the peer's forwarding/
# worker lcore) with "others_ms": the CPU time of everything but the peer
# and the generator (busy ticks of all CPUs minus those two processes:
# processes that came and went in between count too).
sched_delta() {
	python3 - "$@" <<-'EOF'
	import json, sys
	def rd(p):
	    th, steal = {}, 0
	    for line in open(p):
	        w = line.split()
	        if w[0] == "steal":
	            steal = int(w[1])
	        elif w[0] == "busy":
	            th["cpu " + w[1]] = (w[1], int(w[2]), int(w[3]), 0)
	        elif len(w) == 5:
	            th[w[0]] = (w[1], int(w[2]), int(w[3]), int(w[4]))
	    return th, steal
	(b, sb), (a, sa) = rd(sys.argv[1]), rd(sys.argv[2])
	secs, name = float(sys.argv[3]), sys.argv[4]
	rows = []
	for tid, (comm, busy, tot, _) in a.items():
	    if tid.startswith("cpu ") and tid in b:
	        print("  %s busy %.0f %% of the run (all tasks)" % (
	            comm, 100 * (busy - b[tid][1]) / max(tot - b[tid][2], 1)))
	for tid, (comm, run, wait, niv) in a.items():
	    if tid not in b or tid.startswith("cpu "):
	        continue
	    _, run0, wait0, niv0 = b[tid]
	    d = (comm, (run - run0) / 1e6, (wait - wait0) / 1e6, niv - niv0)
	    if d[1] > secs * 10:
	        rows.append(d)
	rows.sort(key=lambda d: -d[1])
	for comm, run, wait, niv in rows:
	    print("  %s thread %-16s ran %7.0f ms, waited runnable %6.0f ms (%.1f %%), "
	          "%d involuntary switches, over %.1f s" % (name, comm, run, wait,
	          100 * wait / max(run + wait, 1e-9), niv, secs))
	print("  steal over the run: %d ticks (all CPUs)" % (sa - sb))
	import os
	hz = os.sysconf("SC_CLK_TCK")
	def procs(p):
	    out = {}
	    for line in open(p):
	        w = line.split()
	        if len(w) == 3:
	            out[w[0]] = (w[1], float(w[2]))
	    return out
	p0, p1 = procs(sys.argv[6]), procs(sys.argv[7])
	mine = sum(t - p0.get(pid, ("", 0))[1] for pid, (c, t) in p1.items()
	           if pid == sys.argv[8] or c == "imsagw-gen") * 1000 / hz
	busy = sum(v[1] - b[k][1] for k, v in a.items() if k.startswith("cpu ") and k in b) * 1000 / hz
	ncpu = sum(1 for k in a if k.startswith("cpu "))
	others = max(busy - mine, 0)
	print("  others (not the peer, not the generator): %.0f ms of CPU = %.0f %% of %d CPUs" % (
	    others, 100 * others / max(secs * 1000 * ncpu, 1), ncpu))
	if rows:
	    comm, run, wait, niv = rows[0]
	    json.dump([{"bench": "sched", "suite": name, "payload": 0, "direction": comm,
	                "flows": 0, "run_ms": run, "wait_ms": wait, "nivcsw": niv,
	                "secs": secs, "steal_ticks": sa - sb, "others_ms": others,
	                "others_share": others / max(secs * 1000 * ncpu, 1)}],
	              open(sys.argv[5], "w"))
	EOF
}

# gen_run NAME PEER_PID ARGS...: one bounded imsagw-gen run against the
# running peer, which it stops (the peer first: bench/lib.sh says why)
# once the generator holds its ports; JSON in $WORK/NAME.json, the peer's
# scheduling in $WORK/NAME-sched.txt.
gen_run() {
	local name=$1 peer=$2 pid rc t0 t1
	shift 2
	renice_all "$peer"
	t0=$(date +%s.%N)
	snap "$peer" >"$WORK/$name.snap0"
	cpu_snap >"$WORK/$name.cpu0"
	# shellcheck disable=SC2086
	timeout -k 5 120 nice -n "$NICE" "$GEN" --calls "$CALLS" --json "$WORK/$name.json" --hold 20 "$@" \
		-- $GEN_EAL >"$WORK/$name.txt" 2>&1 &
	pid=$!
	# PHASE_CYCLES=FILE: the gateway's cycles a packet over the flat out
	[ -n "${PHASE_CYCLES:-}" ] &&
		bench_gw_phase_cycles "$pid" "$WORK/$name.txt" e2e "$PHASE_CYCLES"
	while kill -0 "$pid" 2>/dev/null &&
		! grep -q '^imsagw-gen: holding' "$WORK/$name.txt" 2>/dev/null; do
		sleep 0.2
	done
	snap "$peer" >"$WORK/$name.snap1" 2>/dev/null
	cpu_snap >"$WORK/$name.cpu1"
	t1=$(date +%s.%N)
	sched_delta "$WORK/$name.snap0" "$WORK/$name.snap1" "$(awk "BEGIN {print $t1 - $t0}")" \
		"$name" "$WORK/$name-sched.json" "$WORK/$name.cpu0" "$WORK/$name.cpu1" "$peer" \
		>"$WORK/$name-sched.txt" 2>&1
	# the processes that used the most CPU during the run (ms)
	awk -v secs="$(awk "BEGIN {print $t1 - $t0}")" -v hz="$(getconf CLK_TCK)" '
		NR == FNR { b[$1] = $3; next }
		{ d = ($3 - ($1 in b ? b[$1] : 0)) * 1000 / hz; if (d > 0) print d, $1, $2 }' \
		"$WORK/$name.cpu0" "$WORK/$name.cpu1" | sort -rn | head -6 |
		awk -v secs="$(awk "BEGIN {print $t1 - $t0}")" \
		'{ printf "  cpu: %-20s pid %-7s %6.0f ms of %.1f s\n", $3, $2, $1, secs }' \
		>>"$WORK/$name-sched.txt"
}

# floor_round TAG: the plan against testpmd io, then the generator alone.
floor_round() {
	local tag=$1 rc=0
	if tp_start io "$WORK/testpmd-io$tag.txt"; then
		log "floor$tag: testpmd io forward, imsagw-gen --floor $FLOOR_ARGS, $STEPS search steps (${SECS}s each)"
		# shellcheck disable=SC2086
		gen_run "floor$tag" "$TP_PID" --floor $FLOOR_ARGS --duration "$SECS" --search "$STEPS"
		tp_stop
		wait_gen
		tp_cycles "$WORK/testpmd-io$tag.txt" "$WORK/floor$tag.json" "$WORK/floor$tag-cycles.json"
		grep -E '^-- |^sched' "$WORK/floor$tag.txt" | sed 's/^/    /' >&2
		sed 's/^/  /' "$WORK/floor$tag-sched.txt" >&2
	else
		rc=1
	fi
	if tp_start rxonly "$WORK/testpmd-rx$tag.txt"; then
		log "gen-alone$tag: testpmd rxonly, imsagw-gen --floor flat out (${SECS}s)"
		# shellcheck disable=SC2086
		gen_run "genalone$tag" "$TP_PID" --floor $FLOOR_ARGS --duration "$SECS" --bench gen-alone
		tp_stop
		wait_gen
		grep -E '^access-in|^core-in' "$WORK/genalone$tag.txt" | sed 's/ received.*//; s/^/    /' >&2
	else
		rc=1
	fi
	return $rc
}

# The generator of the last gen_run, which exits once the peer closed the
# ports.
wait_gen() {
	local p
	for p in $(jobs -p); do
		[ "$p" = "$TP_PID" ] || wait "$p" 2>/dev/null
	done
}

# tp_cycles OUT GEN_JSON JSON: testpmd's "CPU cycles/packet" (printed when
# it stops, --record-core-cycles) as a floor-cycles row, with the suite of
# the generator's rows.
tp_cycles() {
	local c su
	c=$(sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' "$1" | tail -1)
	su=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["suite"])' "$2" \
		2>/dev/null)
	[ -n "$c" ] || return 0
	printf '[{"bench": "floor-cycles", "suite": "%s", "direction": "both", "cycles_per_pkt": %s}]\n' \
		"${su:-RTP}" "$c" >"$3"
}

gw_round() {
	local tag=$1
	sed "s#/run/imsagw/#$SOCKDIR/#g; s#--file-prefix=imsagw-bench#--file-prefix=imsagw-fgw$PFX#;
	     s#:12955#:$IQ_MG#g; s#:12954#:$IQ_MGC#g" "$GWCONF" >"$WORK/gw.conf"
	CONF=$WORK/gw.conf
	rm -f "$SOCKDIR/memif-access.sock" "$SOCKDIR/memif-core.sock"
	bench_gw_start || { log "gateway did not start: $(tail -3 "$WORK/gw.err")"; return 1; }
	log "e2e$tag: imsagw on $GWCONF, imsagw-gen $E2E_ARGS, $STEPS search steps (${SECS}s each)"
	# shellcheck disable=SC2086
	PHASE_CYCLES=$WORK/e2e$tag-cycles.json gen_run "e2e$tag" "$GW_PID" --iq "$IQ" --iq-wait 3000 \
		$E2E_ARGS --duration "$SECS" --search "$STEPS"
	bench_gw_stop
	wait_gen
	grep -E '^-- |^sched' "$WORK/e2e$tag.txt" | sed 's/^/    /' >&2
	sed 's/^/  /' "$WORK/e2e$tag-sched.txt" >&2
}

# shellcheck source=bench/lib.sh
. "$TOP/bench/lib.sh"
AG_NICE=
if [ "$NICE" != 0 ] && [ -w /proc/$$/autogroup ]; then
	AG_NICE=$(awk '{print $3}' /proc/$$/autogroup)
	echo "$NICE" >/proc/$$/autogroup 2>/dev/null || AG_NICE=
fi
trap 'tp_stop; bench_gw_stop; [ -n "$AG_NICE" ] && echo "$AG_NICE" >/proc/$$/autogroup' EXIT
IQ_MG=${IQ_MG:-12955}
IQ_MGC=${IQ_MGC:-12954}
IQ=127.0.0.1:$IQ_MG,127.0.0.1:$IQ_MGC
rc=0
for r in $(seq 1 "$ROUNDS"); do
	tag=; [ "$ROUNDS" -gt 1 ] && tag=-$r
	[ -n "$GWCONF" ] && gw_round "$tag"
	floor_round "$tag" || rc=1
done

# The summary: e2e (when run) beside the floor, median [min-max] over the
# rounds.
python3 - "$WORK" "$JSON" <<-'EOF'
import glob, json, os, statistics, sys
w = sys.argv[1]
def rows(pat):
    out = []
    for p in sorted(glob.glob(os.path.join(w, pat))):
        try:
            out += json.load(open(p))
        except (OSError, ValueError):
            pass
    return out
def n(x):
    return "%.0f" % x if abs(x) >= 100 else "%.3g" % x
def mm(v):
    v = [x for x in v if x is not None and x >= 0]
    if not v:
        return "-"
    if len(v) == 1:
        return n(v[0])
    return "%s [%s-%s]" % (n(statistics.median(v)), n(min(v)), n(max(v)))
allr = rows("e2e*.json") + rows("floor*.json") + rows("genalone*.json")
# the e2e figure attributed: cycles a packet on the forwarding core, I/O
# included, gateway against testpmd on the same links
def cy(bench, k="cycles_per_pkt"):
    return [r.get(k) for r in allr if r.get("bench") == bench]
if cy("floor-cycles"):
    print("per packet on the forwarding core (TSC cycles, I/O included): testpmd io %s "
          "(the memif I/O alone)" % mm(cy("floor-cycles")))
if cy("e2e-cycles"):
    print("per packet on the forwarding core: gateway %s, busy %s %% of its time, mean burst %s"
          % (mm(cy("e2e-cycles")), mm([100 * x for x in cy("e2e-cycles", "busy_share")]),
             mm(cy("e2e-cycles", "mean_burst"))))
    if cy("floor-cycles"):
        print("the gateway's own work: %.0f cycles a packet (medians: gateway - testpmd)" % (
            statistics.median(cy("e2e-cycles")) - statistics.median(cy("floor-cycles"))))
for d in ("access-in", "core-in"):
    def g(bench, k):
        return [r.get(k) for r in allr if r.get("bench") == bench and r.get("direction") == d]
    e, fl = g("e2e-memif", "mpps"), g("floor-memif", "mpps")
    ga = g("gen-alone", "offered_mpps")
    print("%-9s no-loss Mpps: e2e %s, floor %s, gen alone (sent) %s" % (d, mm(e), mm(fl), mm(ga)))
    if e and fl:
        print("%-9s e2e / floor: %.2f (medians)" % (d, statistics.median(e) / statistics.median(fl)))
    for b in ("e2e-memif-lat50", "floor-memif-lat50"):
        if g(b, "p50_us"):
            print("%-9s %-18s p50 %s p99 %s p99.9 %s us, %s %% >= 1 ms; rx gaps >=1ms %s, "
                  "generator loop gaps >=1ms %s (%s ms in gaps >=100us)" % (
                d, b, mm(g(b, "p50_us")), mm(g(b, "p99_us")), mm(g(b, "p999_us")),
                mm([100 * x for x in g(b, "share_1ms") if x is not None]),
                mm(g(b, "rx_gaps_1ms")), mm(g(b, "loop_gaps_1ms")), mm(g(b, "loop_gaps_long_ms"))))
sched = rows("*-sched.json")
if len(sys.argv) > 2 and sys.argv[2]:
    json.dump([r for r in allr if not r.get("bench", "").startswith("e2e-memif")] + sched,
              open(sys.argv[2], "w"), indent=1)
for r in sched:
    print("peer %-12s %s: ran %.0f ms, waited runnable %.0f ms (%.0f %%), %d involuntary "
          "switches in %.1f s; others used %.0f %% of the CPUs" % (
              r["suite"], r["direction"], r["run_ms"], r["wait_ms"],
              100 * r["wait_ms"] / max(r["run_ms"] + r["wait_ms"], 1e-9), r["nivcsw"], r["secs"],
              100 * r.get("others_share", 0)))
# per run: the no-loss rate, the tail at 50 % and how much of the box the
# others took (the attribution: the tail follows the CPU the others take)
print("%-12s %8s %8s %8s %9s %10s %8s" % ("run", "Mpps/dir", "p50 us", "p99 us", "p99.9 us",
                                         "peer wait", "others"))
for r in sched:
    tag = r["suite"]
    b = "floor-memif" if tag.startswith("floor") else "e2e-memif"
    f = os.path.join(w, tag + ".json")
    try:
        rr = json.load(open(f))
    except (OSError, ValueError):
        continue
    nl = [x for x in rr if x.get("bench") == b and x.get("direction") == "access-in"]
    lt = [x for x in rr if x.get("bench") == b + "-lat50" and x.get("direction") == "access-in"]
    ga = [x for x in rr if x.get("bench") == "gen-alone" and x.get("direction") == "access-in"]
    mp = nl[0]["mpps"] if nl else (ga[0]["offered_mpps"] if ga else -1)
    print("%-12s %8.3f %8s %8s %9s %9.0f%% %7.0f%%" % (
        tag, mp, *(("%.0f" % lt[0][k]) if lt else "-" for k in ("p50_us", "p99_us", "p999_us")),
        100 * r["wait_ms"] / max(r["run_ms"] + r["wait_ms"], 1e-9),
        100 * r.get("others_share", 0)))
EOF
exit $rc
