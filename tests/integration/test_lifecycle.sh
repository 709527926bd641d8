#!/usr/bin/env bash
# Integration: the gateway's life cycle and operator interfaces on the real
# binary. --check-config on good and bad files; hugepages when free ones
# exist; telemetry commands; dpdk-dumpcap attaching through rte_pdump;
# latching, mode gates and source filtering on a live call; SIGHUP reload
# (applied, refused for a non-reloadable key, refused for a broken file, the
# gateway still forwarding after each); the admin socket's access rules;
# SIGTERM clean stop.
set -u
. "$(dirname "$0")/lib.sh"
TOOL="python3 $TOP/tests/integration/udp_tool.py"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }

# --check-config: exit status and file:line in the message.
"$IMSAGW" --config "$TOP/configs/imsagw.conf" --check-config >"$WORK/cc" 2>&1 ||
	die "check-config rejected the default config: $(cat "$WORK/cc")"
grep -q 'imsagw.conf: ok' "$WORK/cc" || die "check-config output: $(cat "$WORK/cc")"
sed 's/^\t\tudp_min = 20000;/\t\tudp_minimum = 20000;/' "$TOP/configs/imsagw.conf" >"$WORK/bad.conf"
line=$(grep -n 'udp_minimum' "$WORK/bad.conf" | head -1 | cut -d: -f1)
"$IMSAGW" --config "$WORK/bad.conf" --check-config >"$WORK/cc" 2>&1 && die "check-config accepted an unknown key"
grep -q "bad.conf:$line: .*udp_minimum" "$WORK/cc" || die "check-config error lacks file:line: $(cat "$WORK/cc")"
log "ok: --check-config accepts the default and names bad.conf:$line for an unknown key"

# Hugepages when they can be had, so that secondary processes (dumpcap) can
# attach; the previous reservation is restored at exit.
old_huge=$(cat /proc/sys/vm/nr_hugepages)
restore_huge() { echo "$old_huge" >/proc/sys/vm/nr_hugepages 2>/dev/null; }
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null
[ "$old_huge" -ge 512 ] || echo 512 >/proc/sys/vm/nr_hugepages 2>/dev/null
huge_free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)

cp "$TOP/configs/imsagw.conf" "$WORK/imsagw.conf"
CONF=$WORK/imsagw.conf
gw_start
# SIGHUP re-reads the file the gateway was started with.
RELOAD_CONF=$CONF
trap 'rc=$?; restore_huge; (exit $rc); cleanup' EXIT
if grep -q -- '--no-huge' "$WORK/gw.err"; then
	uses_huge=0
	log "note: hugetlbfs had ${huge_free:-0} free pages; running with --no-huge"
else
	uses_huge=1
	log "ok: hugepages in use (eal.hugepages = auto, $huge_free pages free)"
fi

# The admin socket serves root and the gateway's own user only: it is
# created 0600 (never reachable in between), and a peer whose credentials
# (SO_PEERCRED) are another user's is refused even when the file mode
# would let it in.
mode=$(stat -c %a "$SOCK")
[ "$mode" = 600 ] || die "admin socket mode $mode, want 600"
# (The work directory and a copy of the client opened up for that user.)
cp "$CTL_BIN" "$WORK/ctl-other" && chmod 0755 "$WORK/ctl-other"
chmod 0711 "$WORK"
chmod 0666 "$SOCK"
o=$(timeout 5 setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/ctl-other" -s "$SOCK" stats 2>&1)
chmod 0600 "$SOCK"
chmod 0700 "$WORK"
case $o in ok*) die "admin socket answered uid 65534: $o" ;; esac
ctl stats >/dev/null || die "admin socket refuses root"
grep -q 'admin: connection from uid 65534 refused' "$WORK/gw.err" ||
	die "refused admin peer not logged"
log "ok: admin socket 0600; a peer of another uid is refused (SO_PEERCRED) and logged"

# Telemetry.
in_ue ping -c 1 -W 2 -q 192.0.2.1 >/dev/null || die "ping"
ctx=$(kv "$(ctl context add)" ctx)
a=$(ctl term add ctx="$ctx" realm=access remote=192.0.2.2 rport=5999 latch) || die "$a"
c=$(ctl term add ctx="$ctx" realm=core remote=198.51.100.2 rport=6004) || die "$c"
aid=$(kv "$a" id); ap=$(kv "$a" port); cp=$(kv "$c" port)
printf '/imsagw/info\n/imsagw/lcores\n/imsagw/term,%s\n/imsagw/flows\n' "$aid" |
	timeout 20 dpdk-telemetry.py -f "$PREFIX" >"$WORK/tel" 2>&1
grep -q '"/imsagw/info": {"contexts": 1, "terminations": 2, "flows": 4' "$WORK/tel" ||
	die "telemetry /imsagw/info: $(cat "$WORK/tel")"
grep -q '"/imsagw/lcores": {"lcore1": {"rx": [1-9]' "$WORK/tel" || die "telemetry /imsagw/lcores"
grep -q '"busy_cycles": [1-9][0-9]*, "busy_turns": [1-9][0-9]*, "tsc_hz": [1-9]' "$WORK/tel" ||
	die "telemetry /imsagw/lcores: busy_cycles: $(cat "$WORK/tel")"
grep -q "\"/imsagw/term\": {\"context\": $ctx, \"local\": \"192.0.2.1\", \"local_port\": $ap" "$WORK/tel" ||
	die "telemetry /imsagw/term: $(cat "$WORK/tel")"
[ "$(grep -o '"/imsagw/flows": {[^}]*}' "$WORK/tel" | grep -o '"[0-9]*": \[' | wc -l)" = 4 ] ||
	die "telemetry /imsagw/flows: $(cat "$WORK/tel")"
log "ok: telemetry /imsagw/info, /imsagw/lcores, /imsagw/term, /imsagw/flows"

# Latching: the access termination was programmed with the wrong remote
# port (5999) and latch; the UE really sends from 5004. The core host's
# answer must reach 5004.
in_core $TOOL peer --bind 198.51.100.2:6004 --to 198.51.100.1:"$cp" --count 20 --seed 2 \
	--expect 20 --expect-seed 1 --start-delay 1.5 --timeout 8 >"$WORK/core" &
p1=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 20 --seed 1 \
	--expect 20 --expect-seed 2 --sender 192.0.2.1:"$ap" --timeout 8 >"$WORK/ue" &
p2=$!
wait $p1 || die "latch: core side: $(cat "$WORK/core")"
wait $p2 || die "latch: UE side did not get the core's stream: $(cat "$WORK/ue")"
m=$(ctl term modify ctx="$ctx" id="$aid" remote=192.0.2.2 rport=5999 latch)
[ "$(kv "$m" latched)" = 1 ] && [ "$(kv "$m" rport)" = 5004 ] ||
	die "the latched remote must survive a Modify that keeps the remote: $m"
m=$(ctl term modify ctx="$ctx" id="$aid" remote=192.0.2.2 rport=5002 latch)
[ "$(kv "$m" latched)" = 0 ] && [ "$(kv "$m" rport)" = 5002 ] ||
	die "a Modify with a new remote must forget the latch: $m"
log "ok: latching: media to the programmed 5999 went to the learned 192.0.2.2:5004"

# Mode gates: the access termination ReceiveOnly: the UE's media reaches the
# core, the core's is held back and counted as gate drops.
ctl term modify ctx="$ctx" id="$aid" remote=192.0.2.2 rport=5004 mode=recvonly >/dev/null || die "modify"
in_core $TOOL peer --bind 198.51.100.2:6004 --to 198.51.100.1:"$cp" --count 15 --seed 4 \
	--expect 15 --expect-seed 3 --start-delay 1 --timeout 5 >"$WORK/core" &
p1=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 15 --seed 3 --timeout 4 >"$WORK/ue" &
p2=$!
wait $p1 || die "recvonly: UE->core must pass: $(cat "$WORK/core")"
wait $p2
grep -q '^received=0 ' "$WORK/ue" || die "recvonly: core->UE must be gated: $(cat "$WORK/ue")"
s=$(ctl term show ctx="$ctx" id="$aid")
[ "$(kv "$s" rtp_out_drop_gate)" = 15 ] || die "recvonly: rtp_out_drop_gate: $s"
log "ok: mode ReceiveOnly: 15/15 UE->core forwarded, 15/15 core->UE gated and counted"

# Source filter: only 192.0.2.2:5004 may send to the access termination.
ctl term modify ctx="$ctx" id="$aid" remote=192.0.2.2 rport=5004 filter >/dev/null || die "modify"
before=$(kv "$(ctl term show ctx="$ctx" id="$aid")" rtp_in_drop_src_filter)
in_ue $TOOL peer --bind 192.0.2.2:5010 --to 192.0.2.1:"$ap" --count 12 --seed 5 --timeout 1 >/dev/null
sleep 0.3
after=$(kv "$(ctl term show ctx="$ctx" id="$aid")" rtp_in_drop_src_filter)
[ $((after - before)) = 12 ] || die "source filter: drop_src_filter $before -> $after"
log "ok: source filter: 12 packets from 192.0.2.2:5010 dropped and counted"

# Capture with dpdk-dumpcap (a secondary process: needs hugepages).
if [ $uses_huge = 1 ]; then
	# Pings keep coming until dumpcap has its 4 packets: it attaches after
	# the first ones went by (a fixed count of 4 raced its start).
	in_ue ping -c 100 -i 0.2 -q 192.0.2.1 >/dev/null &
	pinger=$!
	timeout 20 dpdk-dumpcap --file-prefix="$PREFIX" -i 0 -c 4 -w "$WORK/cap.pcapng" >"$WORK/dump" 2>&1 ||
		{ kill "$pinger" 2>/dev/null; die "dpdk-dumpcap: $(cat "$WORK/dump")"; }
	kill "$pinger" 2>/dev/null
	wait "$pinger" 2>/dev/null
	n=$(tshark -r "$WORK/cap.pcapng" 2>/dev/null | wc -l)
	[ "$n" = 4 ] || die "dpdk-dumpcap captured $n packets, expected 4"
	log "ok: dpdk-dumpcap attached through rte_pdump and captured 4 packets on the access port"
else
	log "note: dpdk-dumpcap check needs hugepages (none free here): not run"
fi

# SIGHUP: a reloadable change (log level) is applied ...
sed -i 's/level = "notice";/level = "info";/' "$RELOAD_CONF"
kill -HUP "$GW_PID"
for _ in $(seq 1 50); do grep -q 'reload: .* applied' "$WORK/gw.err" && break; sleep 0.1; done
grep -q 'reload: .* applied' "$WORK/gw.err" || die "SIGHUP: log level change not applied"
# ... a non-reloadable one (a port's device) is refused ...
sed -i "s/net_tap0,iface=$UE_IF/net_tap0,iface=$N-other/" "$RELOAD_CONF"
kill -HUP "$GW_PID"
for _ in $(seq 1 50); do grep -q 'needs a restart); keeping' "$WORK/gw.err" && break; sleep 0.1; done
grep -q 'ports.access.device cannot change on reload (it needs a restart); keeping the running config' "$WORK/gw.err" ||
	die "SIGHUP: device change not refused"
# ... and so is a broken file.
echo 'this is not libconfig' >>"$RELOAD_CONF"
kill -HUP "$GW_PID"
for _ in $(seq 1 50); do grep -q "\.conf:[0-9]*: .*keeping the running config" "$WORK/gw.err" && break; sleep 0.1; done
grep -q "\.conf:[0-9]*: .*keeping the running config" "$WORK/gw.err" || die "SIGHUP: broken file not refused"
# Still forwarding.
ctl term modify ctx="$ctx" id="$aid" remote=192.0.2.2 rport=5004 >/dev/null || die "modify"
in_core $TOOL peer --bind 198.51.100.2:6004 --expect 10 --expect-seed 6 --timeout 6 >"$WORK/core" &
p1=$!
in_ue $TOOL peer --bind 192.0.2.2:5004 --to 192.0.2.1:"$ap" --count 10 --seed 6 --timeout 2 >/dev/null
wait $p1 || die "not forwarding after the reloads: $(cat "$WORK/core")"
log "ok: SIGHUP applied a log-level change, refused a device change and a broken file, kept forwarding"

# SIGTERM: clean stop with exit status 0.
kill -TERM "$GW_PID"
wait "$GW_PID"
rc=$?
GW_PID=
[ $rc = 0 ] || die "imsagw exited with $rc on SIGTERM"
grep -q 'imsagw: stopping' "$WORK/gw.err" || die "no stop message"
grep -q 'ERROR\|runtime error' "$WORK/gw.err" && die "errors in the gateway log"
log "ok: SIGTERM: clean stop, exit 0"
echo "test_lifecycle: all checks passed"
