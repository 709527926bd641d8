#!/usr/bin/env bash
# Integration: Iq under faults and attack (issue 11), on the real imsagw.
# Two MGCs are configured (MGC_PORT, MGC2); everything is loopback.
#   - restart: ServiceChange Restart (901) on start;
#   - trust: a spoofed ServiceChange MgcIdToTry naming an address that is not
#     a configured MGC is refused (error, logged, counted) and that address
#     is not served; a configured MGC's IP from another UDP port is not
#     served (iq.mgc pins address and port);
#   - malformed messages: each answered with an error where H.248 has a
#     transaction to answer; timerx/mit values that overflow are refused;
#   - a transaction whose reply would exceed 64 KB is answered 533 and
#     leaves nothing behind (rolled back);
#   - a flood beyond the reply cache's capacity: Pending or 510, never a
#     second execution, and the gateway's RSS stays bounded;
#   - the MGC vanishing: retransmissions, failover to the next MGC,
#     re-registration there;
#   - SIGTERM: ServiceChange Forced;
#   - the counters (non-MGC drops, refused redirects) in the stop log line.
# Every wait is bounded; only PIDs started here are stopped.
set -u
. "$(dirname "$0")/lib.sh"
MGC_BIN=${MGC_BIN:-$BUILD/tools/imsagw-mgc}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -n "$INSTANCE" ] || { IQ_PORT=2975; MGC_PORT=2974; }
# KEEP_GOING=1: report every failed check, not only the first (to see what
# a change fixes); the test still fails at the end.
FAILED=0
if [ -n "${KEEP_GOING:-}" ]; then
	die() { log "FAIL: $*"; FAILED=1; }
fi
MGC2=$((MGC_PORT + 2))
EVIL=$((MGC_PORT + 4))

# The instance config (lib.sh rewrites ports for INSTANCE), then ours: two
# MGCs, short retransmission timers.
sed -e "s/imsagw-/$N-/g" -e "s/--file-prefix=imsagw\"/--file-prefix=$PREFIX\"/" \
	-e "s/127\.0\.0\.1\]*:2945/&@/g" "$CONF" |
	sed -e "s/:2945@/:$IQ_PORT/g" \
		-e "s/mgc = \[ \"127.0.0.1:2944\" \]/mgc = [ \"127.0.0.1:$MGC_PORT\", \"127.0.0.1:$MGC2\" ]/" \
		-e 's/retransmit_initial_ms = [0-9]*/retransmit_initial_ms = 300/' \
		-e 's/retransmit_max_ms = [0-9]*/retransmit_max_ms = 600/' \
		-e 's/max_retransmits = [0-9]*/max_retransmits = 2/' >"$WORK/faults.conf"
grep -q "127.0.0.1:$MGC2" "$WORK/faults.conf" || die "config not written"
CONF=$WORK/faults.conf
INSTANCE_SAVE=$INSTANCE
INSTANCE= # the config above is already the instance's

mgc() { timeout -k 2 60 "$MGC_BIN" --bind 127.0.0.1:$MGC_PORT --mg 127.0.0.1:$IQ_PORT "$@"; }
# udp SRC_IP SRC_PORT FILE [WAIT_S]: send FILE's text to the gateway from
# SRC_IP:SRC_PORT, print what comes back within WAIT_S seconds (every
# datagram, separated by a line "--"), or "dropped".
udp() {
	timeout -k 2 30 python3 - "$1" "$2" "$IQ_PORT" "$3" "${4:-1}" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.sendto(open(sys.argv[4], "rb").read(), ("127.0.0.1", int(sys.argv[3])))
end = time.time() + float(sys.argv[5]); got = []
while time.time() < end:
    s.settimeout(max(0.01, end - time.time()))
    try:
        got.append(s.recv(65535).decode(errors="replace"))
    except socket.timeout:
        break
print("\n--\n".join(got) if got else "dropped")
EOF
}
msg() { printf 'MEGACO/3 [127.0.0.1]:%s\n%s\n' "$MGC_PORT" "$1" >"$WORK/m"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$GW_PID"/status; }
contexts() { kv "$(ctl stats)" contexts; }

# --- restart: ServiceChange Restart 901 on start -------------------------
mgc register --wait 40000 >"$WORK/reg" &
REG=$!
gw_start
wait $REG || { cat "$WORK/reg"; die "no ServiceChange Restart from the gateway"; }
grep -q 'method=Restart' "$WORK/reg" && grep -q 'reason="901' "$WORK/reg" ||
	die "registration: $(cat "$WORK/reg")"
for _ in $(seq 1 50); do grep -q 'registered with MGC' "$WORK/gw.err" && break; sleep 0.1; done
grep -q 'registered with MGC' "$WORK/gw.err" || die "gateway did not log the registration"
log "ok: ServiceChange Restart 901 on start, registered"

# --- trust: a spoofed redirect to a stranger is refused ------------------
# From the MGC's own address and port (what a spoofer forges): an
# MGC-initiated Handoff naming 127.0.0.3, not a configured MGC.
msg "Transaction = 601 { Context = - { ServiceChange = ROOT { Services { Method = Handoff, MgcIdToTry = [127.0.0.3]:$EVIL, Reason = \"903\" } } } }"
# The stranger listens: the gateway must not register with it.
timeout -k 2 20 "$MGC_BIN" --bind 127.0.0.3:$EVIL --mg 127.0.0.1:$IQ_PORT register --wait 2500 \
	>"$WORK/evil_reg" 2>&1 &
ev=$!
sleep 0.2
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m")
wait $ev && die "the gateway registered with a stranger named by MgcIdToTry: $(cat "$WORK/evil_reg")"
grep -q 'Error' <<<"$o" || die "spoofed MgcIdToTry not refused with an error: $o"
msg "Transaction = 602 { Context = - { AuditValue = ROOT } }"
sed -i "s/\[127.0.0.1\]:$MGC_PORT/[127.0.0.3]:$EVIL/" "$WORK/m"
o=$(udp 127.0.0.3 "$EVIL" "$WORK/m")
[ "$o" = dropped ] || die "the stranger named by MgcIdToTry is served: $o"
grep -q 'MgcIdToTry.*refused\|refused.*MgcIdToTry' "$WORK/gw.err" || die "refused redirect not logged"
log "ok: spoofed MgcIdToTry to 127.0.0.3:$EVIL refused with an error; the stranger is not served"

# A configured MGC's IP from another port: not the MGC (iq.mgc pins both).
msg "Transaction = 603 { Context = - { AuditValue = ROOT } }"
o=$(udp 127.0.0.1 $((MGC_PORT + 5)) "$WORK/m")
[ "$o" = dropped ] || die "the MGC's IP from another port is served: $o"
# A reply from another port naming a transaction of ours does nothing
# either (nothing to observe but the drop counter, checked at the end).
msg "Reply = 1 { Context = - { ServiceChange = ROOT { Services { MgcIdToTry = [127.0.0.3]:$EVIL } } } }"
o=$(udp 127.0.0.1 $((MGC_PORT + 5)) "$WORK/m")
[ "$o" = dropped ] || die "a reply from another port answered: $o"
log "ok: the MGC's address from another port is not served"

# --- malformed messages and overflowing values ---------------------------
# A syntax error inside a transaction: answered with an error for it.
msg "Transaction = 610 { Context = 1 { Bogus } }"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -Eq 'Error = 4[0-9][0-9]' <<<"$o" || die "syntax: $o"
# Not H.248 at all: answered with a message-level error.
printf 'GET / HTTP/1.0\r\n\r\n' >"$WORK/m"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -Eq 'Error = [0-9]+' <<<"$o" || die "garbage: $o"
# A truncated message.
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 611 { Context = $ { Add = $ { Media { Stream = 1 {' \
	"$MGC_PORT" >"$WORK/m"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -Eq 'Error = [0-9]+' <<<"$o" || die "truncated: $o"
# A version above ours: 406.
printf 'MEGACO/9 [127.0.0.1]:%s\nTransaction = 612 { Context = - { AuditValue = ROOT } }\n' \
	"$MGC_PORT" >"$WORK/m"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -q 'Error = 406' <<<"$o" || die "version: $o"
# Nesting beyond the decoder's bound (16): refused with an error, not
# recursed into.
python3 - "$MGC_PORT" >"$WORK/m" <<'EOF2'
import sys
sys.stdout.write("MEGACO/3 [127.0.0.1]:%s\nTransaction = 620 { Context = - { Modify = ROOT { Events = 1 { it/ito { mit = %s } } } } }\n"
                 % (sys.argv[1], "{" * 40 + "}" * 40))
EOF2
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -Eq 'Error = [0-9]+' <<<"$o" || die "deep nesting: $o"
# More transactions in one message than the decoder takes (64): an error.
python3 - "$MGC_PORT" >"$WORK/m" <<'EOF2'
import sys
sys.stdout.write("MEGACO/3 [127.0.0.1]:%s\n" % sys.argv[1] +
                 "".join("Transaction = %d { Context = - { AuditValue = ROOT } }\n" % (700 + i) for i in range(80)))
EOF2
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -Eq 'Error = [0-9]+' <<<"$o" || die "too many transactions: $o"
# it/ito mit in units of 10 ms: 429496730 * 10 overflows 32 bits (to 4 ms).
msg "Transaction = 613 { Context = - { Modify = ROOT { Events = 8 { it/ito { mit = 429496730 } } } } }"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -q 'Error = 4' <<<"$o" || die "mit overflow accepted: $o"
# hangterm/thb timerx in seconds: 4294968 * 1000 overflows to 704 ms.
before=$(contexts)
msg "Transaction = 614 { Context = \$ { Add = \$ { Media { Stream = 1 { LocalControl { ipdc/realm = \"core\" } } }, Events = 9 { hangterm/thb { timerx = 4294968 } } } } }"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -q 'Error = 4' <<<"$o" || die "timerx overflow accepted: $o"
[ "$(contexts)" = "$before" ] || die "a refused Add left a context: $(ctl stats)"
log "ok: malformed messages answered with errors; timerx/mit overflows refused"

# --- a reply over 64 KB: 533, and nothing executed stays -----------------
# 256 actions of two Adds each (access with one CHOOSE key, core) fit a request
# under 64 KB; their replies, each Local with its address, port and key,
# in the pretty layout, need well over 64 KB.
before=$(contexts)
python3 - "$MGC_PORT" >"$WORK/m" <<'EOF2'
import sys
add = 'A=${M{O{ipdc/realm="access"},L{\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n}}}'
core = 'A=${M{O{ipdc/realm="core"},L{\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n}}}'
acts = ",".join("C=${%s,%s}" % (add, core) for _ in range(256))
sys.stdout.write("!/3 [127.0.0.1]:%s\nT=615{%s}\n" % (sys.argv[1], acts))
EOF2
[ "$(stat -c %s "$WORK/m")" -lt 65000 ] || die "oversized request too big itself"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m" 3); printf "%s\n" "$o" >"$WORK/big.out"
grep -q 'Error = 533' <<<"$o" || die "oversized reply: no 533: $(head -c 300 <<<"$o")"
[ "$(contexts)" = "$before" ] || die "oversized reply: contexts left behind ($before -> $(contexts))"
log "ok: a reply over 64 KB is answered 533 and the transaction rolled back"

# --- a flood beyond capacity: 510, bounded memory, recovery ---------------
# The reply cache holds 1024 transactions for LONG-TIMER: 1500 distinct
# requests in a burst overflow it. Each is answered (a reply, or 510 once
# the cache is full), none twice, and the gateway's RSS grows by less than
# 32 MB. A TransactionResponseAck for them empties the cache again.
rss0=$(rss_kb)
timeout -k 2 60 python3 - "$MGC_PORT" "$IQ_PORT" >"$WORK/flood" <<'EOF2'
import socket, sys, time, re
mgc, iq = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("127.0.0.1", mgc))
seen = {}; ok = busy = pend = 0
def drain(wait):
    global ok, busy, pend
    end = time.time() + wait
    while True:
        s.settimeout(max(0.001, end - time.time()))
        try:
            m = s.recv(65535).decode(errors="replace")
        except socket.timeout:
            return
        for tid in re.findall(r"(?:Reply|P) = (\d+)", m) + re.findall(r"Pending = (\d+)", m):
            seen[tid] = seen.get(tid, 0) + 1
        if "Pending" in m: pend += 1
        elif "Error = 510" in m: busy += 1
        elif "Reply" in m: ok += 1
for i in range(1500):
    s.sendto(("MEGACO/3 [127.0.0.1]:%d\nTransaction = %d { Context = - { AuditValue = ROOT } }\n"
              % (mgc, 20000 + i)).encode(), ("127.0.0.1", iq))
    if i % 50 == 49: drain(0.02)
drain(2)
twice = sum(1 for v in seen.values() if v > 1)
print("ok=%d busy=%d pending=%d answered=%d twice=%d" % (ok, busy, pend, len(seen), twice))
EOF2
rss1=$(rss_kb)
f=$(cat "$WORK/flood")
[ "$(kv "$f" twice)" = 0 ] || die "flood: a transaction answered twice: $f"
[ "$(kv "$f" busy)" -ge 1 ] || die "flood: no 510 beyond capacity: $f"
[ $(( $(kv "$f" ok) + $(kv "$f" busy) + $(kv "$f" pending) )) -ge 1400 ] || die "flood: unanswered: $f"
[ $((rss1 - rss0)) -lt 32768 ] || die "flood: RSS grew from $rss0 kB to $rss1 kB"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransactionResponseAck { 20000-21499 }\n' "$MGC_PORT" >"$WORK/m"
udp 127.0.0.1 "$MGC_PORT" "$WORK/m" 0.3 >/dev/null
msg "Transaction = 616 { Context = - { AuditValue = ROOT } }"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m"); grep -q 'Reply = 616' <<<"$o" && ! grep -q Error <<<"$o" ||
	die "after the flood and its ack: $o"
log "ok: flood of 1500 transactions: $f; RSS $rss0 -> $rss1 kB; recovered after the ack"

# --- the MGC vanishing: retries, next MGC, re-registration ---------------
# The inactivity timer makes the gateway talk (Notify it/ito after 500 ms
# of silence); the first MGC no longer answers: the Notify is retried,
# fails over to the second MGC, and the gateway registers there
# (ServiceChange Disconnected). The second MGC then switches the timer off
# (imsagw-mgc, not python: this must land within the next retry cycle).
msg "Transaction = 617 { Context = - { Modify = ROOT { Events = 10 { it/ito { mit = 50 } } } } }"
o=$(udp 127.0.0.1 "$MGC_PORT" "$WORK/m" 0.1); grep -q 'Reply = 617' <<<"$o" || die "it/ito: $o"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 618 { Context = - { Modify = ROOT { Events = 11 { } } } }\n' \
	"$MGC2" >"$WORK/off"
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 619 { Context = - { AuditValue = ROOT } }\n' \
	"$MGC2" >"$WORK/audit2"
mgc2() { timeout -k 2 30 "$MGC_BIN" --bind 127.0.0.1:$MGC2 --mg 127.0.0.1:$IQ_PORT "$@"; }
mgc2 register --wait 15000 >"$WORK/reg2" 2>&1 || die "no ServiceChange at the second MGC: $(cat "$WORK/reg2")"
o=$(mgc2 raw "$WORK/off")
grep -q 'method=Disconnected' "$WORK/reg2" || die "re-registration: $(cat "$WORK/reg2")"
grep -q 'Modify = ROOT' <<<"$o" && ! grep -q Error <<<"$o" || die "it/ito off via the second MGC: $o"
# Notifies sent before the failover are still retried, now to the second
# MGC: it answers them (at most 3 s).
mgc2 listen --wait 3000 --count 8 >/dev/null 2>&1
grep -q "failing over to MGC 127.0.0.1:$MGC2" "$WORK/gw.err" || die "no failover logged"
grep -q "registered with MGC 127.0.0.1:$MGC2" "$WORK/gw.err" || die "not registered with the second MGC"
o=$(mgc2 raw "$WORK/audit2")
grep -q 'Reply = 619' <<<"$o" && ! grep -q Error <<<"$o" ||
	die "the second MGC is not served after re-registration: $o"
log "ok: the MGC vanished: Notify retried, failover to 127.0.0.1:$MGC2, ServiceChange Disconnected, registered"

# --- SIGTERM: ServiceChange Forced (to the MGC now in charge) ------------
timeout -k 2 30 "$MGC_BIN" --bind 127.0.0.1:$MGC2 --mg 127.0.0.1:$IQ_PORT register --wait 8000 \
	>"$WORK/down" 2>&1 &
REG=$!
sleep 0.3
gw_stop
wait $REG
grep -q 'method=Forced' "$WORK/down" || die "no ServiceChange Forced on SIGTERM: $(cat "$WORK/down")"
grep -Eq 'iq: .*[1-9][0-9]* dropped \(not an MGC\)' "$WORK/gw.err" || die "no drop count in the stop log"
grep -Eq 'iq.*[1-9][0-9]* redirects? refused' "$WORK/gw.err" || die "no refused-redirect count logged"
log "ok: ServiceChange Forced on SIGTERM; drops and refused redirects counted"
INSTANCE=$INSTANCE_SAVE
[ $FAILED = 0 ] || { log "test_iq_faults: some checks failed"; exit 1; }
echo "test_iq_faults: all checks passed"
