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
