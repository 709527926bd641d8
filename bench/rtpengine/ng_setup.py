#!/usr/bin/env python3
"""Set up N SRTP<->RTP calls on rtpengine through its ng protocol (bencode
over UDP) and write the call file imsagw-srtp-udp reads.

  ng_setup.py --ng 127.0.0.1:22222 --calls N --suite S --out FILE [--delete]

Per call: offer from the UE (RTP/SAVP, a=crypto with a fresh UE key) with
transport-protocol=RTP/AVP for the core side; answer from the core host
(RTP/AVP) with transport-protocol=RTP/SAVP back toward the UE. rtpengine's
offer reply carries the port the core host sends to; its answer reply
carries the port the UE sends to and the key rtpengine sends with.
"""
import argparse
import base64
import os
import re
import socket
import sys


def benc(x):
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, str):
        x = x.encode()
    if isinstance(x, bytes):
        return b"%d:%s" % (len(x), x)
    if isinstance(x, list):
        return b"l" + b"".join(benc(i) for i in x) + b"e"
    if isinstance(x, dict):
        return b"d" + b"".join(benc(k) + benc(v) for k, v in sorted(x.items())) + b"e"
    raise TypeError(type(x))


def bdec(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c == b"l":
        i += 1
        out = []
        while b[i:i + 1] != b"e":
            v, i = bdec(b, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i += 1
        out = {}
        while b[i:i + 1] != b"e":
            k, i = bdec(b, i)
            v, i = bdec(b, i)
            out[k.decode()] = v
        return out, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


class Ng:
    def __init__(self, addr):
        host, port = addr.rsplit(":", 1)
        self.to = (host, int(port))
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(2.0)
        self.n = 0

    def cmd(self, d):
        self.n += 1
        cookie = b"%d_%d" % (os.getpid(), self.n)
        self.s.sendto(cookie + b" " + benc(d), self.to)
        while True:
            data, _ = self.s.recvfrom(65536)
            c, _, body = data.partition(b" ")
            if c == cookie:
                r, _ = bdec(body)
                if r.get("result") != b"ok":
                    raise RuntimeError("ng %s: %r" % (d.get("command"), r))
                return r


KEYLEN = {"AES_CM_128_HMAC_SHA1_80": 30, "AES_CM_128_HMAC_SHA1_32": 30,
          "AEAD_AES_128_GCM": 28, "AEAD_AES_256_GCM": 44}


def sdp(port, proto, crypto=None):
    s = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
         "m=audio %d %s 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" % (port, proto))
    if crypto:
        s += "a=crypto:%s\r\n" % crypto
    return s


def media(sdp_text):
    port = int(re.search(rb"m=audio (\d+)", sdp_text).group(1))
    m = re.search(rb"a=crypto:(\d+) (\S+) inline:(\S+)", sdp_text)
    key = None
    if m:
        key = "%s+%s+inline:%s" % (m.group(1).decode(), m.group(2).decode(),
                                   m.group(3).decode())
    return port, key


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ng", default="127.0.0.1:22222")
    ap.add_argument("--calls", type=int, default=1)
    ap.add_argument("--suite", default="AES_CM_128_HMAC_SHA1_80")
    ap.add_argument("--out")
    ap.add_argument("--base", type=int, default=50000)
    ap.add_argument("--delete", action="store_true")
    a = ap.parse_args()
    ng = Ng(a.ng)
    if a.delete:
        for i in range(a.calls):
            try:
                ng.cmd({"command": "delete", "call-id": "imsagw-bench-%d" % i,
                        "from-tag": "ue%d" % i})
            except (RuntimeError, socket.timeout):
                pass
        return 0
    lines = []
    for i in range(a.calls):
        ue_port, core_port = a.base + 4 * i, a.base + 4 * i + 2
        ue_key = base64.b64encode(os.urandom(KEYLEN[a.suite])).decode()
        ue_crypto = "1 %s inline:%s" % (a.suite, ue_key)
        cid = "imsagw-bench-%d-%d" % (os.getpid(), i)
        r = ng.cmd({"command": "offer", "call-id": cid, "from-tag": "ue%d" % i,
                    "sdp": sdp(ue_port, "RTP/SAVP", ue_crypto),
                    "transport-protocol": "RTP/AVP", "ICE": "remove",
                    "flags": ["no-rtcp-attribute"], "rtcp-mux": ["demux"]})
        peer_core_port, _ = media(r["sdp"])
        r = ng.cmd({"command": "answer", "call-id": cid, "from-tag": "ue%d" % i,
                    "to-tag": "core%d" % i, "sdp": sdp(core_port, "RTP/AVP"),
                    "transport-protocol": "RTP/SAVP", "ICE": "remove",
                    "SDES": ["only-%s" % a.suite], "rtcp-mux": ["demux"]})
        peer_ue_port, peer_key = media(r["sdp"])
        if peer_key is None:
            print("rtpengine answer without a=crypto", file=sys.stderr)
            return 1
        lines.append("%d %d %d %d %s %s\n" % (ue_port, core_port, peer_ue_port, peer_core_port,
                                             ue_crypto.replace(" ", "+", 2), peer_key))
    with open(a.out, "w") as fp:
        fp.writelines(lines)
    os.chmod(a.out, 0o600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
