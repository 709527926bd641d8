#!/usr/bin/env bash
# Integration (issue 12, Scale): many concurrent MSRP-over-TLS sessions
# through the real imsagw (net_tap ports in namespaces, as test_msrp.sh),
# programmed over the admin socket in one batch connection
# (bench/msrp/admin_batch.py). Per session: a context with a TLS access
# termination (the UE connects, authenticated by its certificate's
# fingerprint) and a TCP core termination (the gateway connects to the core
# peer once the UE is up). The UE side is imsagw-msrp-load in client mode
# in the UE namespace, one TLS connection per termination's port, each
# checking the gateway's fingerprint and sending one small SEND that must
# come back 200 OK through the gateway; the core side is imsagw-msrp-load
# in server mode (answers every SEND 200 OK, counts payload bytes).
#
#   SESSIONS (default 2000; the issue's figure is 10000: SESSIONS=10000)
#   ACTIVE   sessions that send afterwards (default SESSIONS / 10)
#   CHUNKS   2 KB SENDs per active session (default 50)
#
# Asserted: every handshake succeeds and is full (no resumption), every
# connection up; every SEND answered 200 OK in order on its own connection;
# the core peer got exactly the SENDs and payload bytes the UEs sent, and the
# gateway's byte counters say the same; no session failed while idle. Then
# every context is subtracted: contexts, terminations, MSRP legs and the
# gateway's open file descriptors are back at their baseline.
# Printed: memory per idle session (gateway RSS delta / sessions, both legs
# up and idle; and while only listening), setup rate.
set -u
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
PY=$(command -v /usr/bin/python3 || command -v python3)
PEER=$TOP/tests/msrp/msrp_peer.py
LOAD=$BUILD/bench/msrp/imsagw-msrp-load
BATCH="$PY $TOP/bench/msrp/admin_batch.py"
[ -x "$LOAD" ] || die "$LOAD not built"
SESSIONS=${SESSIONS:-2000}
ACTIVE=${ACTIVE:-$((SESSIONS / 10))}
CHUNKS=${CHUNKS:-50}
KPORT=7654
T0=$(date +%s)

CERTS=$(mktemp -d /tmp/msrp-scale-certs.XXXXXX)
"$PY" "$PEER" mkcert --cert "$CERTS/gw.pem" --key "$CERTS/gw.key" --cn gw >/dev/null || die "mkcert gw"
"$PY" "$PEER" mkcert --cert "$CERTS/ue.pem" --key "$CERTS/ue.key" --cn ue >/dev/null || die "mkcert ue"
ue_fp=$("$PY" "$PEER" fp --cert "$CERTS/ue.pem" | sed 's/^a=fingerprint://')
gw_fp=$("$PY" "$PEER" fp --cert "$CERTS/gw.pem" | sed 's/^a=fingerprint://')

# The config copy: our certificate; legs for every session (two each) and
# TCP port ranges wide enough on both ports; the exception path's MSRP TCP
# policer off (its 20,000 packets/s default would turn a burst of
# thousands of handshakes into retransmissions: the test is about the
# relay's scale, the policer has its own tests).
sed -e "s|certificate = \"\";|certificate = \"$CERTS/gw.pem\";|" \
	-e "s|private_key = \"\";|private_key = \"$CERTS/gw.key\";|" \
	-e "s|max_legs = 20000;|max_legs = $((SESSIONS * 2 + 64));|" \
	-e "s|tcp_min = [0-9]*;|tcp_min = 12000;|" \
	-e "s|tcp_max = [0-9]*;|tcp_max = 59999;\n\t\texception_tcp_rate = 0;|" \
	"$CONF" >"$WORK/scale.conf"
grep -q "max_legs = $((SESSIONS * 2 + 64));" "$WORK/scale.conf" || die "could not set msrp.max_legs"
[ "$(grep -c 'exception_tcp_rate = 0;' "$WORK/scale.conf")" = 2 ] || die "could not set the TCP policer"
CONF=$WORK/scale.conf
# Two sockets per session in the gateway: the limit it inherits must hold
# them (it does not raise RLIMIT_NOFILE itself). Raising the hard limit
# needs CAP_SYS_RESOURCE; without it the hard limit is what there is, and
# sessions past it fail at `term add` (reported, not hidden).
nofile=$((SESSIONS * 2 + 8192))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $nofile ]; then
	ulimit -Hn $nofile 2>/dev/null ||
		log "note: RLIMIT_NOFILE hard limit $hard (cannot raise it): the gateway can hold" \
			"about $(( (hard - 64) / 2 )) sessions"
fi
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge $nofile ] || nofile=$hard
ulimit -n $nofile || die "RLIMIT_NOFILE: cannot set $nofile"
gw_start

SRV_PID=; CLI_PID=
stop_pid() { [ -n "$1" ] && kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null; }
trap 'stop_pid "$CLI_PID"; stop_pid "$SRV_PID"; rm -rf "$CERTS"; cleanup' EXIT
# (ip netns exec directly, so that $! is the program itself)
ip netns exec "$CORE" "$LOAD" server --listen 198.51.100.2:$KPORT --timeout 900 --label core \
	>"$WORK/srv.out" 2>&1 &
SRV_PID=$!
for _ in $(seq 1 50); do grep -q '^listening' "$WORK/srv.out" && break; sleep 0.1; done
grep -q '^listening' "$WORK/srv.out" || { cat "$WORK/srv.out" >&2; die "core peer not listening"; }

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$GW_PID/status"; }
nfds() { ls "/proc/$GW_PID/fd" | wc -l; }
counts() { # contexts terminations legs up
	local s m
	s=$(ctl stats) || die "stats: $s"
	m=$(ctl msrp show) || die "msrp show: $m"
	m=$(grep -o 'ok msrp_terms=.*' <<<"$m")
	echo "$(kv "$s" contexts) $(kv "$s" terminations) $(kv "$m" legs) $(kv "$m" up)"
}
base=$(counts); fd0=$(nfds); rss0=$(rss_kb)
log "baseline: contexts/terms/legs/up $base, fds $fd0, RSS $rss0 kB"

# --- N contexts over one admin connection ------------------------------------
# Context ids chosen by us (context add ctx=ID), so every line is
# independent and the batch is pipelined.
FIRST=1000
for i in $(seq 0 $((SESSIONS - 1))); do
	c=$((FIRST + i))
	echo "context add ctx=$c"
	echo "term add ctx=$c realm=access transport=msrp-tls remote=192.0.2.2 rport=9 setup=active fp=${ue_fp/ /+}"
	echo "term add ctx=$c realm=core transport=msrp remote=198.51.100.2 rport=$KPORT setup=passive"
done >"$WORK/add.cmds"
t=$(date +%s.%N)
$BATCH --socket "$SOCK" <"$WORK/add.cmds" >"$WORK/add.out" ||
	{ grep -v '^ok' "$WORK/add.out" | sort | uniq -c | head >&2; die "adding $SESSIONS contexts"; }
t_add=$(echo "$(date +%s.%N) - $t" | bc)
grep 'transport=msrp-tls' "$WORK/add.out" | tr ' ' '\n' | sed -n 's/^port=//p' >"$WORK/ports"
[ "$(wc -l <"$WORK/ports")" = "$SESSIONS" ] || die "$(wc -l <"$WORK/ports") access ports for $SESSIONS sessions"
[ "$(sort -u "$WORK/ports" | wc -l)" = "$SESSIONS" ] || die "access ports not distinct"
grep 'transport=msrp-tls' "$WORK/add.out" | head -1 | grep -q "fingerprint=${gw_fp/ /+}" ||
	die "the access reply does not carry our fingerprint: $(head -2 "$WORK/add.out" | tail -1)"
rss1=$(rss_kb); fd1=$(nfds)
log "added $SESSIONS contexts ($((SESSIONS * 3)) commands) in ${t_add} s: $(counts), fds $fd1, RSS $rss1 kB"

# --- N UEs over TLS, idle, then ACTIVE of them sending ------------------------
ip netns exec "$UE" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
ip netns exec "$UE" "$LOAD" client --connect "192.0.2.1:@$WORK/ports" --tls \
	--cert "$CERTS/ue.pem" --key "$CERTS/ue.key" --peer-fp "$gw_fp" --concurrency 128 \
	--active "$ACTIVE" --chunk 2048 --window 8 --chunks "$CHUNKS" --pause \
	--hs-timeout 60 --timeout 600 --label ue >"$WORK/cli.out" 2>"$WORK/cli.err" &
CLI_PID=$!
wait_line() { # what seconds
	local i
	for i in $(seq 1 $(($2 * 10))); do
		grep -q "^$1" "$WORK/cli.out" && return 0
		kill -0 "$CLI_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$WORK/cli.out" "$WORK/cli.err" >&2
	die "the UEs did not reach '$1'"
}
wait_line "phase up" 540
sleep 1 # the last core legs' connects, and a quiet moment
idle=$(counts); rss2=$(rss_kb); fd2=$(nfds)
read -r _ _ _ up2 <<<"$idle"
setup=$(grep -o 'phase up.*' "$WORK/cli.out")
log "all up: $setup; contexts/terms/legs/up $idle, fds $fd2, RSS $rss2 kB"
[ "$up2" = $((SESSIONS * 2)) ] || die "$up2 legs up for $SESSIONS sessions ($idle)"
per_idle=$(( (rss2 - rss0) * 1024 / SESSIONS ))
per_conn=$(( (rss2 - rss1) * 1024 / SESSIONS ))
per_listen=$(( (rss1 - rss0) * 1024 / SESSIONS ))
log "memory per idle session (both legs, RSS): $per_idle bytes from the baseline;" \
	"$per_listen listening, $per_conn more once both legs are up; fds per session" \
	"$(( (fd2 - fd0) / SESSIONS ))"
echo "scale sessions=$SESSIONS bytes_per_idle_session=$per_idle listening=$per_listen" \
	"connected=$per_conn"

kill -USR1 "$CLI_PID"
wait_line "phase done" 300
sleep 0.5
kill -USR1 "$CLI_PID"
wait "$CLI_PID"; crc=$?; CLI_PID=
res=$(grep '^result' "$WORK/cli.out") || { cat "$WORK/cli.out" "$WORK/cli.err" >&2; die "no result from the UEs"; }
log "UEs: $res"
[ $crc = 0 ] && [ "$(kv "$res" status)" = ok ] || die "the UEs' run failed: $res"
[ "$(kv "$res" up)" = "$SESSIONS" ] && [ "$(kv "$res" handshakes)" = "$SESSIONS" ] &&
	[ "$(kv "$res" resumed)" = 0 ] || die "handshakes: $res"
sends=$(kv "$res" sends); pay=$(kv "$res" payload_bytes)
[ "$sends" = $((SESSIONS + ACTIVE * CHUNKS)) ] && [ "$(kv "$res" oks)" = "$sends" ] ||
	die "SENDs $sends, 200 OKs $(kv "$res" oks), expected $((SESSIONS + ACTIVE * CHUNKS))"

# The gateway's counters: what the access legs took is what the core legs
# sent (terminations of a few sessions, the first active ones and the last).
for c in $FIRST $((FIRST + ACTIVE - 1)) $((FIRST + SESSIONS - 1)); do
	ids=$(grep -n "" "$WORK/add.out" | sed -n "$(( (c - FIRST) * 3 + 2 ))p;$(( (c - FIRST) * 3 + 3 ))p" |
		tr ' ' '\n' | sed -n 's/^id=//p' | tr '\n' ' ')
	read -r aid cid <<<"$ids"
	sa=$(ctl term show ctx="$c" id="$aid") || die "$sa"
	sc=$(ctl term show ctx="$c" id="$cid") || die "$sc"
	[ "$(kv "$sa" bytes_in)" = "$(kv "$sc" bytes_out)" ] && [ "$(kv "$sc" bytes_in)" = "$(kv "$sa" bytes_out)" ] ||
		die "ctx $c: access $sa | core $sc"
	[ "$(kv "$sa" bytes_in)" -gt 0 ] 2>/dev/null || die "ctx $c: nothing relayed: $sa"
done

stop_pid "$SRV_PID"; SRV_PID=
srv=$(grep '^result' "$WORK/srv.out") || die "no result from the core peer"
log "core peer: $srv"
[ "$(kv "$srv" accepted)" = "$SESSIONS" ] || die "core connections: $(kv "$srv" accepted) of $SESSIONS"
[ "$(kv "$srv" sends)" = "$sends" ] && [ "$(kv "$srv" payload_bytes)" = "$pay" ] ||
	die "core got $(kv "$srv" sends) SENDs / $(kv "$srv" payload_bytes) bytes, UEs sent $sends / $pay"
[ "$(kv "$srv" wire_in)" = "$(kv "$res" wire_out)" ] && [ "$(kv "$srv" wire_out)" = "$(kv "$res" wire_in)" ] ||
	die "bytes: UE out $(kv "$res" wire_out) core in $(kv "$srv" wire_in), core out $(kv "$srv" wire_out) UE in $(kv "$res" wire_in)"
log "ok: $sends SENDs ($pay payload bytes) each answered 200 OK; byte counts equal both ways"

# --- subtract everything: back to the baseline -------------------------------
for i in $(seq 0 $((SESSIONS - 1))); do echo "context delete ctx=$((FIRST + i))"; done >"$WORK/del.cmds"
t=$(date +%s.%N)
$BATCH --socket "$SOCK" <"$WORK/del.cmds" >"$WORK/del.out" || die "deleting: $(grep -v '^ok' "$WORK/del.out" | head -3)"
t_del=$(echo "$(date +%s.%N) - $t" | bc)
for _ in $(seq 1 50); do
	[ "$(counts)" = "$base" ] && [ "$(nfds)" = "$fd0" ] && break
	sleep 0.2
done
end=$(counts); fd3=$(nfds); rss3=$(rss_kb)
log "deleted in ${t_del} s: contexts/terms/legs/up $end (baseline $base), fds $fd3 (baseline $fd0), RSS $rss3 kB"
[ "$end" = "$base" ] || die "not back to the baseline: $end, was $base"
[ "$fd3" = "$fd0" ] || die "fds: $fd3, baseline $fd0"
kill -0 "$GW_PID" || die "the gateway is gone"
log "PASS: test_msrp_scale ($SESSIONS sessions, $ACTIVE active, $(($(date +%s) - T0)) s)"
