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

# Stop the gateway we started (TERM, KILL after 5 s) and its hugepage files.
bench_gw_stop() {
	if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
		kill -TERM "$GW_PID"
		for _ in $(seq 1 50); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$GW_PID" 2>/dev/null && kill -KILL "$GW_PID"
		wait "$GW_PID" 2>/dev/null
	fi
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
