#!/usr/bin/env bash
# Integration: hostile traffic through the real imsagw binary (default
# config, net_tap ports in namespaces; run with INSTANCE=xx to keep apart
# from other runs). While a legitimate e2ae call streams both ways on the
# one media worker, the UE side sends forged SRTP tags, replays, stale
# indexes, truncated and malformed packets, an oversized frame, IP
# fragments, packets to an unprogrammed port, an ICMP flood, Router
# Advertisements and Redirects; the core side sends RTP whose CSRC count or
# header extension runs past the packet; and a latching plain call is
# probed by sources other than the signalled one. Each is dropped and
# counted under its reason (per flow: `imsagw-ctl term show`; per worker:
# `imsagw-ctl stats`), none is forwarded (the receivers on both sides get
# exactly the legitimate packets, byte for byte), and the legitimate
# streams lose nothing. Issue 11.
set -u
. "$(dirname "$0")/lib.sh"
PEER=$BUILD/tests/integration/srtp_peer
TOOL="python3 $TOP/tests/integration/udp_tool.py"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x "$PEER" ] || die "no $PEER"

# Raw frames (AF_PACKET), so that what a kernel would not build reaches the
# gateway as sent.
cat >"$WORK/hostile.py" <<'PYEOF'
import argparse
import os
import socket
import struct
import time


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ipv4(src, dst, proto, payload, tot=None, ident=0):
    tot = 20 + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, ident, 0, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def udp(sport, dport, payload, ulen=None):
    ulen = 8 + len(payload) if ulen is None else ulen
    return struct.pack("!HHHH", sport, dport, ulen, 0) + payload


def ipv6(src, dst, nh, payload, hlim=255):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def icmp6(src, dst, typ, code, body):
    pseudo = (socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst)
              + struct.pack("!IxxxB", 4 + len(body), 58))
    m = struct.pack("!BBH", typ, code, 0) + body
    c = csum(pseudo + m)
    return m[:2] + struct.pack("!H", c) + m[4:]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode")
    p.add_argument("--iface", required=True)
    p.add_argument("--smac", required=True)
    p.add_argument("--dmac", required=True)
    p.add_argument("--src", default="192.0.2.2")
    p.add_argument("--dst", default="192.0.2.1")
    p.add_argument("--src6", default="fe80::2")
    p.add_argument("--dst6", default="2001:db8:a::1")
    p.add_argument("--sport", type=int, default=5010)
    p.add_argument("--dport", type=int, default=0)
    p.add_argument("--ssrc", type=int, default=1)
    p.add_argument("--seq", type=int, default=5000)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--size", type=int, default=160)
    p.add_argument("--pps", type=float, default=0)
    a = p.parse_args()

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    eth4 = mac(a.dmac) + mac(a.smac) + b"\x08\x00"
    eth6 = mac(a.dmac) + mac(a.smac) + b"\x86\xdd"
    sent = 0
    t0 = time.monotonic()
    for i in range(a.count):
        if a.mode == "forged":
            rtp = struct.pack("!BBHII", 0x80, 0, (a.seq + i) & 0xFFFF, (a.seq + i) * 160, a.ssrc)
            f = eth4 + ipv4(a.src, a.dst, 17, udp(a.sport, a.dport, rtp + os.urandom(160 + 10)))
        elif a.mode == "truncated":
            f = eth4 + ipv4(a.src, a.dst, 17, udp(a.sport, a.dport, b"\x80\x00\x00\x01\0\0\0\0"))
        elif a.mode == "badlen":
            body = udp(a.sport, a.dport, os.urandom(40))
            if i % 2:
                f = eth4 + ipv4(a.src, a.dst, 17, body, tot=20 + len(body) + 100)
            else:
                f = eth4 + ipv4(a.src, a.dst, 17, udp(a.sport, a.dport, os.urandom(40), ulen=400))
        elif a.mode == "oversize":
            n = a.size - 14 - 28
            f = eth4 + ipv4(a.src, a.dst, 17, udp(a.sport, a.dport, os.urandom(n)))
        elif a.mode == "overrun":
            seq = (a.seq + i) & 0xFFFF
            if i % 2:
                rtp = struct.pack("!BBHII", 0x8F, 0, seq, seq * 160, a.ssrc) + os.urandom(20)
            else:
                rtp = (struct.pack("!BBHII", 0x90, 0, seq, seq * 160, a.ssrc)
                       + struct.pack("!HH", 0xBEDE, 0x4000) + os.urandom(20))
            f = eth4 + ipv4(a.src, a.dst, 17, udp(a.sport, a.dport, rtp))
        elif a.mode == "icmp":
            m = struct.pack("!BBHHH", 8, 0, 0, 0x4242, i & 0xFFFF) + b"x" * 32
            m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
            f = eth4 + ipv4(a.src, a.dst, 1, m, ident=i & 0xFFFF)
        elif a.mode == "ra":
            # RFC 4861 §4.2: hop limit, flags, router lifetime 1800 s,
            # reachable, retrans; a prefix information option 2001:db8:bad::/64.
            body = struct.pack("!BBHII", 64, 0, 1800, 0, 0)
            body += struct.pack("!BBBBIII16s", 3, 4, 64, 0xC0, 86400, 14400, 0,
                                socket.inet_pton(socket.AF_INET6, "2001:db8:bad::"))
            dmac6 = b"\x33\x33\x00\x00\x00\x01"
            f = (dmac6 + mac(a.smac) + b"\x86\xdd"
                 + ipv6(a.src6, "ff02::1", 58, icmp6(a.src6, "ff02::1", 134, 0, body)))
        elif a.mode == "redirect":
            body = (b"\0\0\0\0" + socket.inet_pton(socket.AF_INET6, a.src6)
                    + socket.inet_pton(socket.AF_INET6, "2001:db8:c::2"))
            f = eth6 + ipv6(a.src6, a.dst6, 58, icmp6(a.src6, a.dst6, 137, 0, body))
        elif a.mode == "udp":
            f = eth4 + ipv4(a.src, a.dst, 17, udp(a.sport, a.dport, os.urandom(a.size)))
        else:
            raise SystemExit("unknown mode " + a.mode)
        s.send(f)
        sent += 1
        if a.pps > 0:
            wait = t0 + sent / a.pps - time.monotonic()
            if wait > 0:
                time.sleep(wait)
    print("sent=%d" % sent)


if __name__ == "__main__":
    main()
PYEOF
H="python3 $WORK/hostile.py"

gw_start
in_ue ping -c 2 -W 2 -q 192.0.2.1 >/dev/null || { gw_log; die "ping 192.0.2.1 from ue"; }
in_core ping -c 2 -W 2 -q 198.51.100.1 >/dev/null || die "ping 198.51.100.1 from core"
GW_ACC_MAC=$(ip -n "$UE" neigh show 192.0.2.1 | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p')
GW_CORE_MAC=$(ip -n "$CORE" neigh show 198.51.100.1 | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p')
[ -n "$GW_ACC_MAC" ] && [ -n "$GW_CORE_MAC" ] || die "gateway MACs not learned"
# A second address on the UE link: a stranger next to the UE.
in_ue ip addr add 192.0.2.66/24 dev "$UE_IF"
UEH="in_ue $H --iface $UE_IF --smac $UE_MAC --dmac $GW_ACC_MAC"
COREH="in_core $H --iface $CORE_IF --smac $CORE_MAC --dmac $GW_CORE_MAC"

rand_hex() { openssl rand -hex "$1"; }
hex2b64() { xxd -r -p <<<"$1" | base64 -w0; }
b642hex() { base64 -d <<<"$1" | od -An -v -tx1 | tr -d ' \n'; }
expect_kv() { # reply key value
	[ "$(kv "$1" "$2")" = "$3" ] || die "$2 = $(kv "$1" "$2"), expected $3: $1"
}
delta() { # key before-reply after-reply
	echo $(( $(kv "$3" "$1") - $(kv "$2" "$1") ))
}

# --- call A: e2ae SRTP on the access side, plain RTP on the core side ------
CTX=$(kv "$(ctl context add)" ctx)
UEHEX=$(rand_hex 30)
a=$(ctl term add ctx="$CTX" realm=access remote=192.0.2.2 rport=5004 transport=srtp-e2ae \
	"rxkey=1+AES_CM_128_HMAC_SHA1_80+inline:$(hex2b64 "$UEHEX")" txkey=generate)
case $a in ok*) ;; *) die "term add e2ae: $a" ;; esac
GWHEX=$(b642hex "$(kv "$a" txcrypto | sed 's/.*inline://')")
c=$(ctl term add ctx="$CTX" realm=core remote=198.51.100.2 rport=6004)
case $c in ok*) ;; *) die "term add core: $c" ;; esac
AID=$(kv "$a" id); CID=$(kv "$c" id)
AP=$(kv "$a" port); CP=$(kv "$c" port); CIP=$(kv "$c" local)

# --- call B: plain RTP, latching with a source filter -----------------------
# Signalled 192.0.2.2:5999; the UE really sends from 5020 (NAPT), and a
# stranger (192.0.2.66) tries first.
CTXB=$(kv "$(ctl context add)" ctx)
ab=$(ctl term add ctx="$CTXB" realm=access remote=192.0.2.2 rport=5999 latch filter)
case $ab in ok*) ;; *) die "term add latch: $ab" ;; esac
cb=$(ctl term add ctx="$CTXB" realm=core remote=198.51.100.2 rport=6006)
BID=$(kv "$ab" id); BP=$(kv "$ab" port); BCP=$(kv "$cb" port)
log "call A: ue 192.0.2.2:5004 <-> 192.0.2.1:$AP | $CIP:$CP <-> core 198.51.100.2:6004"
log "call B: ue 192.0.2.2:5020 (signalled 5999, latch) <-> 192.0.2.1:$BP | $BCP <-> 6006"

# A media port no call uses (ports are random: avoid the four taken).
FREE=20100
while [ $FREE = "$AP" ] || [ $FREE = $((AP + 1)) ] || [ $FREE = "$BP" ] || [ $FREE = $((BP + 1)) ]; do
	FREE=$((FREE + 2))
done

S0=$(ctl stats)

# Everything the gateway sends on the core link is captured: only the
# legitimate streams may be there.
# ip netns exec, not in_core: $! must be dumpcap itself (a backgrounded
# function is a subshell, which ignores the SIGINT below, and the capture
# would run its whole 150 s).
ip netns exec "$CORE" dumpcap -i "$CORE_IF" -f "udp and src host 198.51.100.1" -a duration:150 \
	-w "$WORK/core.pcap" -q 2>"$WORK/dumpcap.err" &
TS=$!
for _ in $(seq 1 100); do
	grep -q '^Capturing on' "$WORK/dumpcap.err" && break
	sleep 0.1
done
grep -q '^Capturing on' "$WORK/dumpcap.err" || die "dumpcap did not start: $(cat "$WORK/dumpcap.err")"

# Legitimate streams of call A, 500 packets each way at 100 pps (5 s), running
# while the attacks below are sent.
in_core "$PEER" --bind 198.51.100.2:6004 --to "$CIP:$CP" --count 500 --seed 2 --seq0 2000 \
	--interval-us 10000 --expect 500 --expect-seed 1 --expect-seq0 1000 --timeout 10 \
	>"$WORK/c_rtp" &
L1=$!
in_ue "$PEER" --suite AES_CM_128_HMAC_SHA1_80 --tx-key "$UEHEX" --rx-key "$GWHEX" \
	--bind 192.0.2.2:5004 --to 192.0.2.1:"$AP" --count 500 --seed 1 --seq0 1000 \
	--interval-us 10000 --expect 500 --expect-seed 2 --expect-seq0 2000 --timeout 10 \
	>"$WORK/u_rtp" &
L2=$!
sleep 1.5

# Attacks on call A's UE-side flow (from another port of the UE's address:
# call A has no source filter, so each reaches the SRTP checks).
$UEH forged --sport 5010 --dport "$AP" --ssrc 1 --seq 5000 --count 30 >/dev/null ||
	die "hostile forged"
# Replays: the UE's own first 20 packets again, byte for byte (same key,
# SSRC and sequence); stale: authentic packets far left of the window.
in_ue "$PEER" --suite AES_CM_128_HMAC_SHA1_80 --tx-key "$UEHEX" --bind 192.0.2.2:5011 \
	--to 192.0.2.1:"$AP" --count 20 --seed 1 --seq0 1000 --interval-us 1000 --timeout 1 \
	>/dev/null
in_ue "$PEER" --suite AES_CM_128_HMAC_SHA1_80 --tx-key "$UEHEX" --bind 192.0.2.2:5012 \
	--to 192.0.2.1:"$AP" --count 20 --seed 1 --seq0 1 --interval-us 1000 --timeout 1 \
	>/dev/null
$UEH truncated --sport 5013 --dport "$AP" --count 10 >/dev/null || die "hostile truncated"
$UEH badlen --sport 5014 --dport "$AP" --count 20 >/dev/null || die "hostile badlen"
# A frame above the link MTU, all of it claimed by its IP and UDP lengths.
in_ue ip link set "$UE_IF" mtu 4000
$UEH oversize --sport 5015 --dport "$AP" --size 3000 --count 5 >/dev/null || die "hostile oversize"
in_ue ip link set "$UE_IF" mtu 1500
# IP fragments: the kernel of the UE splits 3000-byte datagrams in three.
in_ue python3 -c '
import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("192.0.2.2",5016))
for i in range(5): s.sendto(b"F"*3000,("192.0.2.1",int(sys.argv[1])))' "$AP"
# Unknown flow.
$UEH udp --sport 5017 --dport "$FREE" --count 30 >/dev/null || die "hostile udp"
# Core side: RTP whose CSRC list or extension runs past the packet, into
# the flow that protects toward the UE.
$COREH overrun --src 198.51.100.2 --dst "$CIP" --sport 6010 --dport "$CP" --ssrc 2 --seq 2100 \
	--count 20 >/dev/null || die "hostile overrun"
# Exception path: an ICMP flood (policed), RAs and Redirects (refused).
T0=$(date +%s%N)
$UEH icmp --count 3000 --pps 20000 >/dev/null || die "hostile icmp"
T1=$(date +%s%N)
$UEH ra --count 10 >/dev/null || die "hostile ra"
$UEH redirect --count 5 >/dev/null || die "hostile redirect"

fail=0
wait $L1 || fail=1
wait $L2 || fail=1
log "  ue->core rtp:  $(cat "$WORK/c_rtp")"
log "  core->ue srtp: $(cat "$WORK/u_rtp")"
[ $fail = 0 ] || { ctl term show ctx="$CTX" id="$AID" >&2; ctl stats >&2; die "legitimate streams lost or got packets"; }
grep -q '^sent=500 received=500 matched=500 wrong=0 unprotect_fail=0$' "$WORK/c_rtp" ||
	die "core received more or other than the UE's stream: $(cat "$WORK/c_rtp")"
grep -q '^sent=500 received=500 matched=500 wrong=0 unprotect_fail=0$' "$WORK/u_rtp" ||
	die "UE received more or other than the core's stream: $(cat "$WORK/u_rtp")"

s=$(ctl term show ctx="$CTX" id="$AID")
expect_kv "$s" rtp_in_pkts 500
expect_kv "$s" rtp_in_drop_auth 30
expect_kv "$s" rtp_in_drop_replay 40
expect_kv "$s" rtp_in_drop_xform 10
expect_kv "$s" rtp_out_pkts 500
log "ok: call A: 30 forged tags (auth), 20 replays + 20 stale indexes (replay), 10 truncated" \
	"(xform) dropped and counted; 500 + 500 legitimate packets byte-exact"
s=$(ctl term show ctx="$CTX" id="$CID")
expect_kv "$s" rtp_in_pkts 500
expect_kv "$s" rtp_in_drop_xform 20
log "ok: call A: 20 core-side RTP with overrunning CSRC/extension lengths dropped (xform)"

# --- call B: latching only to the signalled address, only after N ---------
in_core $TOOL peer --bind 198.51.100.2:6006 --expect 50 --expect-seed 5 --timeout 6 \
	>"$WORK/b_core" &
R=$!
sleep 0.5
$UEH udp --src 192.0.2.66 --sport 5020 --dport "$BP" --count 10 >/dev/null
in_ue $TOOL peer --bind 192.0.2.2:5020 --to 192.0.2.1:"$BP" --count 50 --seed 5 --timeout 1 \
	>/dev/null
$UEH udp --src 192.0.2.66 --sport 5020 --dport "$BP" --count 10 >/dev/null
$UEH udp --src 192.0.2.2 --sport 5021 --dport "$BP" --count 10 >/dev/null
wait $R || { ctl term show ctx="$CTXB" id="$BID" >&2; ctl stats >&2
	die "call B: core did not get exactly the UE's 50: $(cat "$WORK/b_core")"; }
grep -q '^received=50 matched=50 ' "$WORK/b_core" || die "call B core: $(cat "$WORK/b_core")"
s=$(ctl term show ctx="$CTXB" id="$BID")
expect_kv "$s" rtp_in_pkts 50
expect_kv "$s" rtp_in_drop_src_filter 30
# A Modify that keeps the remote keeps the latch and shows it.
i=$(ctl term modify ctx="$CTXB" id="$BID" remote=192.0.2.2 rport=5999 latch filter)
[ "$(kv "$i" latched)" = 1 ] && [ "$(kv "$i" rport)" = 5020 ] && [ "$(kv "$i" remote)" = 192.0.2.2 ] ||
	die "call B latched elsewhere than 192.0.2.2:5020: $i"
log "ok: call B: latched to the UE's 192.0.2.2:5020 (signalled 5999), not to the stranger" \
	"that sent first; 30 packets from other sources dropped (src_filter)"

sleep 0.5
kill -TERM "$TS" 2>/dev/null
wait "$TS" || true
n=$(tshark -r "$WORK/core.pcap" 2>/dev/null | wc -l)
[ "$n" = 550 ] || die "the gateway sent $n UDP packets on the core link, expected 500 + 50"
log "ok: the gateway sent exactly the 550 legitimate UDP packets on the core link"

S1=$(ctl stats)
d_bad=$(delta drop_bad "$S0" "$S1")
d_nf=$(delta drop_no_flow "$S0" "$S1")
d_pol=$(delta drop_exc_policed "$S0" "$S1")
d_nd=$(delta drop_nd "$S0" "$S1")
d_exc=$(delta to_exc "$S0" "$S1")
log "  worker: bad +$d_bad no_flow +$d_nf exc_policed +$d_pol nd +$d_nd to_exc +$d_exc"
[ "$d_bad" -ge 20 ] || die "drop_bad +$d_bad, expected at least the 20 bad lengths"
[ "$d_nf" = 30 ] || die "drop_no_flow +$d_nf, expected 30"
# ports.access.exception_rate 2000/s, burst 200 (the defaults): of 3000
# echo requests sent over T, at most 200 + 2000 T may pass (and the few
# packets of the other exception traffic above).
allowed=$(( 200 + 2000 * (T1 - T0) / 1000000000 + 1 ))
log "  ICMP flood: 3000 sent in $(( (T1 - T0) / 1000000 )) ms, at most $allowed may pass"
[ "$d_pol" -ge $((3000 - allowed - 50)) ] ||
	die "drop_exc_policed +$d_pol: the ICMP flood was not policed"
[ "$d_nd" -ge 15 ] || die "drop_nd +$d_nd, expected the 10 RAs and 5 Redirects"
[ "$d_exc" -ge 15 ] || die "to_exc +$d_exc: the fragments did not reach the kernel"
[ -z "$(ip -n "$DPNS" -6 route show default)" ] || die "an RA from the access side set a default route"
ip -n "$DPNS" -6 addr show | grep -q 2001:db8:bad && die "an RA from the access side configured an address"
log "ok: worker counters: bad lengths (bad), unknown flow (no_flow), ICMP flood (exc_policed)," \
	"RA/Redirect (nd); fragments went to the kernel, not forwarded"

gw_stop
echo "test_hostile: all checks passed"
