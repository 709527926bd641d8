#!/usr/bin/env python3
"""RTP/RTCP test streams for the integration tests and the demo.

peer: one UDP socket bound to --bind that sends --count deterministic packets
      (RTP, or RTCP sender reports) of seed --seed to --to, paced by
      --interval, and at the same time receives --expect packets, checking
      each byte for byte against what a peer with --expect-seed and
      --expect-size sends, and its source against --sender. Prints one line
      "received=N matched=N wrong_bytes=N wrong_source=N". Exit 0 only when
      matched == --expect and nothing was wrong. --timeout bounds the wait
      for expected packets after the last one is sent. SIGTERM stops the
      sending early; the summary then says how many were sent ("sent=N").
"""
import argparse
import hashlib
import os
import signal
import socket
import struct
import sys
import threading
import time


def endpoint(s):
    host, _, port = s.rpartition(":")
    host = host.strip("[]")
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    return fam, host, int(port)


def packet(kind, seed, i, size):
    body = b""
    block = 0
    while len(body) < size:
        body += hashlib.sha256(b"%d/%d/%d" % (seed, i, block)).digest()
        block += 1
    body = body[:size]
    if kind == "rtcp":
        # RTCP SR: V=2, RC=0, PT=200, length in 32-bit words minus one.
        body = body[: len(body) - len(body) % 4]
        words = (28 + len(body)) // 4 - 1
        return struct.pack("!BBHIIIIII", 0x80, 200, words, seed, i, i * 2, i * 160, i, i * 172) + body
    # RTP: V=2, PT=0 (PCMU), marker on the first packet.
    return struct.pack("!BBHII", 0x80, 0x80 if i == 0 else 0x00, i & 0xFFFF, i * 160, seed) + body


class Receiver(threading.Thread):
    def __init__(self, sock, a, fam):
        super().__init__(daemon=True)
        self.s, self.a = sock, a
        self.want_src = None
        if a.sender:
            _, shost, sport = endpoint(a.sender)
            self.want_src = (socket.inet_pton(fam, shost), sport)
        self.fam = fam
        self.expected = {packet(a.kind, a.expect_seed, i, a.expect_size) for i in range(a.expect)}
        self.received = self.matched = self.wrong_bytes = self.wrong_src = 0

    def run(self):
        seen = set()
        deadline = None
        # Receive while sending; then until the expected packets are in or
        # --timeout has passed, listening a little after the last expected
        # packet so that duplicates and strays are counted too.
        while True:
            if deadline is None and self.a.sent.is_set():
                deadline = time.time() + self.a.timeout
            if deadline is not None and time.time() >= deadline:
                break
            self.s.settimeout(0.3 if deadline is None else max(0.05, min(0.3, deadline - time.time())))
            try:
                data, src = self.s.recvfrom(65536)
            except socket.timeout:
                if self.matched >= self.a.expect and self.a.sent.is_set():
                    break
                continue
            self.received += 1
            if self.want_src and (socket.inet_pton(self.fam, src[0]), src[1]) != self.want_src:
                self.wrong_src += 1
            if data in self.expected and data not in seen:
                seen.add(data)
                self.matched += 1
            else:
                self.wrong_bytes += 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["peer"])
    p.add_argument("--bind", required=True, help="local IP:PORT ([v6]:PORT)")
    p.add_argument("--to", help="destination IP:PORT")
    p.add_argument("--kind", choices=["rtp", "rtcp"], default="rtp")
    p.add_argument("--count", type=int, default=0, help="packets to send")
    p.add_argument("--size", type=int, default=160, help="payload bytes sent")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--expect", type=int, default=0, help="packets to receive")
    p.add_argument("--expect-seed", type=int, default=2)
    p.add_argument("--expect-size", type=int, default=160)
    p.add_argument("--sender", help="the source every received packet must come from")
    p.add_argument("--interval", type=float, default=0.002)
    p.add_argument("--start-delay", type=float, default=0.5)
    p.add_argument("--ready", help="file created once the socket is bound")
    p.add_argument("--wait-ready", help="send only once this file exists (the far "
                   "peer's --ready: on a loaded box a fixed delay is not enough), "
                   "then --start-delay")
    p.add_argument("--timeout", type=float, default=10.0)
    a = p.parse_args()
    if a.count > 1000000 or a.expect > 1000000 or a.timeout > 120:
        sys.exit("bounded: count <= 1e6, timeout <= 120 s")
    fam, host, port = endpoint(a.bind)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((host, port))
    a.sent = threading.Event()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    r = Receiver(s, a, fam)
    r.start()
    if a.ready:
        open(a.ready, "w").close()
    if a.wait_ready:
        limit = time.monotonic() + a.timeout
        while not os.path.exists(a.wait_ready) and time.monotonic() < limit:
            time.sleep(0.01)
    time.sleep(a.start_delay)  # let the far side bind before we send
    sent = 0
    if a.count:
        tfam, thost, tport = endpoint(a.to)
        for i in range(a.count):
            if stop.is_set():
                break
            s.sendto(packet(a.kind, a.seed, i, a.size), (thost, tport))
            sent += 1
            if a.interval:
                time.sleep(a.interval)
    a.sent.set()
    r.join(a.timeout + 1)
    print("received=%d matched=%d wrong_bytes=%d wrong_source=%d sent=%d"
          % (r.received, r.matched, r.wrong_bytes, r.wrong_src, sent))
    ok = r.matched == a.expect and r.wrong_bytes == 0 and r.wrong_src == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
