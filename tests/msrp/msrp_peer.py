#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""msrp_peer.py: an MSRP (RFC 4975) endpoint for the imsagw tests and demo.

Standard library only. One connection per run, over plain TCP (the core
side, TCP/MSRP) or TLS (the UE side, TCP/TLS/MSRP, with a self-signed
certificate and the peer's certificate checked by fingerprint, as TS 33.328
e2ae does: no CA). Either end of the connection: --connect HOST:PORT (the
a=setup:active side) or --listen HOST:PORT (passive; accepts one connection).

What it sends (any mix, in order, each a message of its own):
  --text STR       a text/plain message (repeatable)
  --file PATH      the file, in --chunk byte SEND chunks (default 2048):
                   one Message-ID, Byte-Range start-end/total, "+" on every
                   chunk but the last, "$" on the last
  --random N       N pseudo-random bytes (--seed), sent like a file
Up to --window SENDs are in flight; every SEND must be answered 200 OK, with
To-Path and From-Path swapped (RFC 4975 §7.2), else the run fails.

What it receives, whatever else it does: every SEND is answered 200 OK
(unless its Failure-Report is no/partial), REPORTs are not answered, chunks
are put together by Message-ID and Byte-Range, and each complete message is
printed with its SHA-256. --expect-msgs N ends the run once N messages have
arrived; --expect-sha256 H (repeatable) must be among them.

Every run is bounded: --timeout (whole run) and --idle (no byte either way).
Output: one line per fact, key=value, for scripts to grep:
  listening addr=H port=P
  tls version=TLSv1.3 cipher=... local_fp=AB:.. peer_fp=CD:..  (SHA-256)
  sent msg id=ID bytes=N chunks=C sha256=H
  sent msgs=M chunks=C bytes=N ok=K
  recv msg id=ID bytes=N chunks=C sha256=H
  recv msgs=M chunks=C bytes=N aborted=A
  result ok | result fail reason=...
Exit status: 0 ok, 1 a check failed (wrong response, fingerprint, hash,
count, protocol error), 2 usage, 3 timeout.

Certificates:
  msrp_peer.py mkcert --cert C --key K [--cn NAME]   ECDSA P-256, self-signed
  msrp_peer.py fp --cert C                           its a=fingerprint line
Both print "a=fingerprint:SHA-256 AB:CD:...".
  msrp_peer.py stream --follow F [--node 0|1]
    decodes one direction of `tshark -q -z follow,tcp,raw,A:P,B:Q` output
    as MSRP: the same "recv msg" lines, then
    "stream bytes=N sends=S responses=200:K msgs=M partial=P".

TLS: 1.2 or 1.3 (--tls-max 1.2 to pin 1.2), ECDHE with AES-GCM for 1.2
(SPEC.md §2.5). The peer's certificate is checked against --peer-fp after
the handshake. Python's ssl module cannot ask for a client certificate
without verifying it against a trust store, so a TLS server that is to
request one needs the expected certificate itself (--peer-cert: the only
trust anchor, which accepts exactly that self-signed certificate); a client
given --peer-cert uses it the same way, so a wrong server certificate fails
in the handshake. --peer-fp is checked in every case.

Examples (see selftest.sh):
  msrp_peer.py --listen 127.0.0.1:2855 --expect-msgs 1
  msrp_peer.py --connect 127.0.0.1:2855 --random 1048576 --seed 7
  msrp_peer.py --listen 127.0.0.1:2856 --tls --cert s.pem --key s.key \\
      --peer-cert c.pem --peer-fp "SHA-256 AB:..." --expect-msgs 1
"""
import argparse
import hashlib
import os
import random
import secrets
import select
import socket
import ssl
import subprocess
import sys
import time

CRLF = b"\r\n"
MAX_FRAME = 1 << 20       # a frame we would buffer before calling it junk
READ_SIZE = 256 * 1024
EXIT_FAIL, EXIT_USAGE, EXIT_TIMEOUT = 1, 2, 3


class Fail(Exception):
    """A check failed: the run ends with `result fail reason=...`."""

    def __init__(self, reason, code=EXIT_FAIL):
        super().__init__(reason)
        self.reason = reason
        self.code = code


def out(line):
    print(line, flush=True)


# --- certificates -----------------------------------------------------------

def fingerprint_der(der):
    """RFC 8122 a=fingerprint value of a DER certificate (SHA-256)."""
    h = hashlib.sha256(der).hexdigest().upper()
    return "SHA-256 " + ":".join(h[i:i + 2] for i in range(0, len(h), 2))


def fingerprint_file(path):
    with open(path, "r", encoding="ascii") as f:
        return fingerprint_der(ssl.PEM_cert_to_DER_cert(f.read()))


def norm_fp(fp):
    """'SHA-256 AB:CD..', 'sha-256 ab:cd..', 'abcd..' -> 'SHA-256 AB:CD..'."""
    fp = fp.strip()
    if fp.lower().startswith("a=fingerprint:"):
        fp = fp[len("a=fingerprint:"):]
    parts = fp.split()
    if len(parts) == 2:
        if parts[0].upper() != "SHA-256":
            raise Fail("only SHA-256 fingerprints are checked here", EXIT_USAGE)
        fp = parts[1]
    h = fp.replace(":", "").upper()
    if len(h) != 64 or any(c not in "0123456789ABCDEF" for c in h):
        raise Fail("bad fingerprint %r" % fp, EXIT_USAGE)
    return "SHA-256 " + ":".join(h[i:i + 2] for i in range(0, 64, 2))


def mkcert(cert, key, cn, days):
    """A self-signed ECDSA P-256 certificate, as a UE would make one."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", str(days),
                    "-subj", "/CN=" + cn],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.chmod(key, 0o600)


# --- MSRP frames ------------------------------------------------------------

def new_tid():
    """64 random bits (RFC 4975 §7.1 asks for at least that much)."""
    return secrets.token_hex(8)


def frame_send(tid, to_path, from_path, msg_id, start, body, total, ctype, flag):
    end = start + len(body) - 1
    head = ("MSRP %s SEND\r\nTo-Path: %s\r\nFrom-Path: %s\r\nMessage-ID: %s\r\n"
            "Byte-Range: %d-%d/%d\r\nContent-Type: %s\r\n\r\n"
            % (tid, to_path, from_path, msg_id, start, end, total, ctype))
    return head.encode() + body + b"\r\n-------" + tid.encode() + flag + CRLF


def frame_response(tid, req_headers, code=200, comment="OK"):
    """RFC 4975 §7.2: To-Path is the previous hop (the first URI of the
    request's From-Path), From-Path is us (the first URI of its To-Path)."""
    to_path = req_headers["from-path"].split()[0]
    from_path = req_headers["to-path"].split()[0]
    return ("MSRP %s %03d %s\r\nTo-Path: %s\r\nFrom-Path: %s\r\n-------%s$\r\n"
            % (tid, code, comment, to_path, from_path, tid)).encode()


class Frame:
    __slots__ = ("tid", "method", "status", "headers", "body", "flag")


def parse_headers(block):
    """Header lines -> dict (lower-case names) after checking To-Path and
    From-Path come first (RFC 4975 §7.1)."""
    lines = block.split(CRLF) if block else []
    headers, names = {}, []
    for ln in lines:
        name, sep, value = ln.partition(b":")
        if not sep or not name:
            raise Fail("bad header line %r" % ln[:80])
        n = name.decode("ascii", "replace").strip().lower()
        names.append(n)
        headers[n] = value.decode("utf-8", "replace").strip()
    if names[:2] != ["to-path", "from-path"]:
        raise Fail("To-Path/From-Path not the first headers: %r" % names[:2])
    return headers


def parse_frame(buf, pos):
    """One frame of buf from pos: (Frame, next pos), or (None, pos) when more
    bytes are needed. Raises Fail on what is not MSRP."""
    avail = len(buf) - pos
    if avail < 5:
        if bytes(buf[pos:]) != b"MSRP "[:avail]:
            raise Fail("not MSRP: %r" % bytes(buf[pos:pos + 16]))
        return None, pos
    if buf[pos:pos + 5] != b"MSRP ":
        raise Fail("not MSRP: %r" % bytes(buf[pos:pos + 16]))
    eol = buf.find(CRLF, pos)
    if eol < 0:
        if avail > 512:
            raise Fail("start line too long")
        return None, pos
    parts = bytes(buf[pos:eol]).split(b" ", 3)
    if len(parts) < 3:
        raise Fail("bad start line %r" % bytes(buf[pos:eol]))
    tid = parts[1]
    endtag = b"\r\n-------" + tid
    f = Frame()
    f.tid = tid.decode("ascii", "replace")
    f.method = f.status = None
    if parts[2].isdigit() and len(parts[2]) == 3:
        f.status = int(parts[2])
    else:
        f.method = parts[2].decode("ascii", "replace")
    # Nothing ends before the first CRLF "-------" tid; the headers end at
    # an empty line before it (a body follows) or at it. (Searching for the
    # empty line only up to there keeps a buffer full of bodiless responses
    # linear.)
    first = buf.find(endtag, eol)
    if first < 0:
        if avail > MAX_FRAME:
            raise Fail("no end-line in %d bytes" % avail)
        return None, pos
    blank = buf.find(b"\r\n\r\n", eol, first + 2)
    if blank >= 0:
        head_end, body_start, search = blank, blank + 4, blank + 2
    else:
        head_end, body_start, search = first, None, first
    # The end-line: CRLF "-------" tid flag CRLF, the first one that is whole
    # (the same string followed by something else is body).
    while True:
        e = buf.find(endtag, search)
        if e < 0 or len(buf) < e + len(endtag) + 3:
            if len(buf) - pos > MAX_FRAME:
                raise Fail("no end-line in %d bytes" % (len(buf) - pos))
            return None, pos
        flag = buf[e + len(endtag):e + len(endtag) + 1]
        if flag in (b"+", b"$", b"#") and buf[e + len(endtag) + 1:e + len(endtag) + 3] == CRLF:
            break
        if body_start is None:
            raise Fail("bad end-line for %s" % f.tid)
        search = e + 1
    f.headers = parse_headers(bytes(buf[eol + 2:head_end]))
    f.flag = flag
    f.body = bytes(buf[body_start:e]) if body_start is not None and e >= body_start else b""
    if f.status is not None and body_start is not None:
        raise Fail("response with a body")
    return f, e + len(endtag) + 3


def byte_range(value, body_len):
    """'start-end/total' -> (start, end, total or None); end may be '*'."""
    rng, _, total = value.partition("/")
    start, _, end = rng.partition("-")
    try:
        start = int(start)
        end = start + body_len - 1 if end == "*" else int(end)
        total = None if total == "*" else int(total)
    except ValueError:
        raise Fail("bad Byte-Range %r" % value)
    if start < 1 or end - start + 1 != body_len:
        raise Fail("Byte-Range %s does not match a body of %d" % (value, body_len))
    return start, end, total


# --- what we send -----------------------------------------------------------

class Outgoing:
    """The messages to send, cut into SEND frames on demand."""

    def __init__(self, args):
        self.items = []  # (label, ctype, bytes or path, size)
        for t in args.text:
            self.items.append(("text", "text/plain", t.encode(), len(t.encode())))
        for p in args.file:
            self.items.append(("file", "application/octet-stream", p, os.path.getsize(p)))
        for i, n in enumerate(args.random):
            data = random.Random(args.seed + i).randbytes(n)
            self.items.append(("random", "application/octet-stream", data, n))
        self.chunk = args.chunk
        self.to_path, self.from_path = args.to_path, args.from_path
        self.gen = self._frames()
        # Every message is at least one chunk (an empty one is one empty SEND).
        self.total_chunks = sum(max(1, -(-it[3] // self.chunk)) for it in self.items)
        self.msgs = []       # (id, bytes, chunks, sha256) once a message is cut
        self.chunks = 0
        self.bytes = 0

    @property
    def done(self):
        return self.chunks == self.total_chunks

    def _frames(self):
        for label, ctype, src, size in self.items:
            msg_id = secrets.token_hex(8)
            h = hashlib.sha256()
            fh = open(src, "rb") if label == "file" else None
            start, n = 1, 0
            try:
                while True:
                    if fh is not None:
                        body = fh.read(self.chunk)
                    else:
                        body = src[start - 1:start - 1 + self.chunk]
                    last = start - 1 + len(body) >= size
                    if not body and start > 1:
                        raise Fail("%s: shorter than %d bytes" % (src, size))
                    # RFC 4975 §7.1: the end-line must not occur in the body.
                    tid = new_tid()
                    while (b"-------" + tid.encode()) in body:
                        tid = new_tid()
                    h.update(body)
                    n += 1
                    self.chunks += 1
                    self.bytes += len(body)
                    if last:
                        self.msgs.append((msg_id, size, n, h.hexdigest()))
                    yield tid, frame_send(tid, self.to_path, self.from_path, msg_id, start,
                                          body, size, ctype, b"$" if last else b"+")
                    start += len(body)
                    if last:
                        break
            finally:
                if fh is not None:
                    fh.close()

    def next(self):
        """(tid, frame) or None when everything is cut."""
        return next(self.gen, None)


# --- what we receive --------------------------------------------------------

class Reassembly:
    """Chunks by Message-ID and Byte-Range (RFC 4975 §7.1; SPEC.md §6.4)."""

    def __init__(self):
        self.parts = {}      # msg id -> {start: body}
        self.done = []       # (id, bytes, chunks, sha256)
        self.aborted = 0
        self.chunks = 0
        self.bytes = 0

    def add(self, f):
        msg_id = f.headers.get("message-id")
        if msg_id is None:
            raise Fail("SEND without Message-ID")
        self.chunks += 1
        self.bytes += len(f.body)
        br = f.headers.get("byte-range")
        start, _, total = byte_range(br, len(f.body)) if br else (1, len(f.body), None)
        parts = self.parts.setdefault(msg_id, {})
        parts[start] = f.body
        if f.flag == b"#":
            del self.parts[msg_id]
            self.aborted += 1
            out("recv abort id=%s" % msg_id)
            return
        if f.flag != b"$":
            return
        # The last chunk: the pieces must cover 1..total without a gap.
        h, at, n = hashlib.sha256(), 1, 0
        for s in sorted(parts):
            if s != at:
                raise Fail("message %s: gap or overlap at byte %d" % (msg_id, at))
            h.update(parts[s])
            at += len(parts[s])
            n += 1
        size = at - 1
        if total is not None and size != total:
            raise Fail("message %s: %d bytes, Byte-Range total %d" % (msg_id, size, total))
        del self.parts[msg_id]
        self.done.append((msg_id, size, n, h.hexdigest()))
        out("recv msg id=%s bytes=%d chunks=%d sha256=%s" % (msg_id, size, n, h.hexdigest()))


# --- the connection ---------------------------------------------------------

def tls_context(args, server):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if args.tls_max == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("ECDHE+AESGCM")
    ctx.options |= ssl.OP_NO_COMPRESSION | ssl.OP_NO_TICKET
    if args.cert:
        ctx.load_cert_chain(args.cert, args.key)
    if not server:
        ctx.check_hostname = False
    if args.peer_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile=args.peer_cert)
    else:
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def wait_io(sock, want_write, deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise Fail("timeout", EXIT_TIMEOUT)
    select.select([sock], [sock] if want_write else [], [], min(left, 0.5))


def handshake(sock, deadline):
    while True:
        try:
            sock.do_handshake()
            return
        except ssl.SSLWantReadError:
            wait_io(sock, False, deadline)
        except ssl.SSLWantWriteError:
            wait_io(sock, True, deadline)
        except (ssl.SSLError, OSError) as e:
            raise Fail("tls handshake: %s" % e)


def host_port(s):
    host, _, port = s.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise Fail("not HOST:PORT: %r" % s, EXIT_USAGE)
    return host.strip("[]"), int(port)


def open_connection(args, deadline):
    if args.connect:
        host, port = host_port(args.connect)
        try:
            sock = socket.create_connection(
                (host, port), timeout=max(0.1, min(args.connect_timeout,
                                                   deadline - time.monotonic())))
        except OSError as e:
            raise Fail("connect %s: %s" % (args.connect, e))
    else:
        host, port = host_port(args.listen)
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        ls = socket.socket(fam, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((host, port))
        ls.listen(1)
        out("listening addr=%s port=%d" % ls.getsockname()[:2])
        ls.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            sock, peer = ls.accept()
        except socket.timeout:
            raise Fail("timeout waiting for a connection", EXIT_TIMEOUT)
        finally:
            ls.close()
        out("accepted from=%s port=%d" % peer[:2])
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setblocking(False)
    if not args.tls:
        return sock
    ctx = tls_context(args, server=bool(args.listen))
    tsock = ctx.wrap_socket(sock, server_side=bool(args.listen), do_handshake_on_connect=False)
    handshake(tsock, deadline)
    der = tsock.getpeercert(binary_form=True)
    peer_fp = fingerprint_der(der) if der else "none"
    local_fp = fingerprint_file(args.cert) if args.cert else "none"
    out("tls version=%s cipher=%s local_fp=%s peer_fp=%s"
        % (tsock.version(), tsock.cipher()[0], local_fp.split()[-1], peer_fp.split()[-1]))
    if args.peer_fp and peer_fp != norm_fp(args.peer_fp):
        raise Fail("fingerprint mismatch: peer %s, expected %s" % (peer_fp, norm_fp(args.peer_fp)))
    return tsock


class Conn:
    """One non-blocking connection: frames out, frames in."""

    def __init__(self, sock):
        self.sock = sock
        self.tls = isinstance(sock, ssl.SSLSocket)
        self.rbuf = bytearray()
        self.wbuf = bytearray()
        self.eof = False
        self.last_io = time.monotonic()

    def read(self):
        """Read what is there. @return False once the peer closed."""
        for _ in range(64):
            try:
                d = self.sock.recv(READ_SIZE)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                return True
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                d = b""
            except ssl.SSLError as e:
                raise Fail("tls: %s" % e)   # e.g. the peer's alert
            except OSError as e:
                raise Fail("recv: %s" % e)
            if not d:
                self.eof = True
                return False
            self.rbuf += d
            self.last_io = time.monotonic()
        return True

    def write(self):
        while self.wbuf:
            try:
                n = self.sock.send(self.wbuf[:READ_SIZE])
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                return
            except ssl.SSLError as e:
                raise Fail("tls: %s" % e)
            except OSError as e:
                raise Fail("send: %s" % e)
            del self.wbuf[:n]
            self.last_io = time.monotonic()

    def close(self):
        try:
            if self.tls:
                self.sock.setblocking(True)
                self.sock.settimeout(1)
                self.sock.unwrap()    # close_notify
            else:
                self.sock.shutdown(socket.SHUT_WR)
        except (OSError, ValueError):
            pass
        self.sock.close()


def run(args):
    deadline = time.monotonic() + args.timeout
    outgoing = Outgoing(args)
    recv = Reassembly()
    pending = set()       # tids of our SENDs awaiting a response
    ok = 0
    conn = Conn(open_connection(args, deadline))
    want_in = args.expect_msgs

    def finished():
        sent_all = outgoing.done and not pending and not conn.wbuf
        got_all = want_in is None or len(recv.done) >= want_in
        return sent_all and got_all and (want_in is not None or outgoing.items)

    while True:
        now = time.monotonic()
        if now > deadline:
            raise Fail("timeout (sent %d ok %d, received %d msgs)"
                       % (outgoing.chunks, ok, len(recv.done)), EXIT_TIMEOUT)
        if now - conn.last_io > args.idle:
            raise Fail("idle for %ss (sent %d ok %d, received %d msgs)"
                       % (args.idle, outgoing.chunks, ok, len(recv.done)), EXIT_TIMEOUT)
        # Keep up to --window SENDs in flight.
        while len(pending) < args.window and len(conn.wbuf) < READ_SIZE:
            nxt = outgoing.next()
            if nxt is None:
                break
            pending.add(nxt[0])
            conn.wbuf += nxt[1]
        conn.write()
        if finished():
            break
        readable = conn.tls and conn.sock.pending() > 0
        if not readable:
            r, w, _ = select.select([conn.sock], [conn.sock] if conn.wbuf else [], [],
                                    min(0.5, max(0.0, deadline - time.monotonic())))
            readable = bool(r)
        if readable:
            conn.read()
        pos = 0
        while True:
            f, pos = parse_frame(conn.rbuf, pos)
            if f is None:
                break
            if f.status is not None:
                if f.tid not in pending:
                    raise Fail("response to a transaction we did not send: %s" % f.tid)
                pending.discard(f.tid)
                if f.status != 200:
                    raise Fail("SEND %s answered %d" % (f.tid, f.status))
                to_p, from_p = f.headers["to-path"], f.headers["from-path"]
                if to_p != outgoing.from_path.split()[0] or from_p != outgoing.to_path.split()[0]:
                    raise Fail("response paths not swapped: To-Path %s From-Path %s"
                               % (to_p, from_p))
                ok += 1
            elif f.method == "SEND":
                recv.add(f)
                fr = f.headers.get("failure-report", "yes").lower()
                if fr not in ("no", "partial"):
                    conn.wbuf += frame_response(f.tid, f.headers)
            elif f.method != "REPORT":
                conn.wbuf += frame_response(f.tid, f.headers, 501, "Unknown method")
        if pos:
            del conn.rbuf[:pos]
        if conn.eof:
            conn.write()
            if conn.rbuf:
                raise Fail("peer closed in the middle of a frame (%d bytes)" % len(conn.rbuf))
            if pending or not outgoing.done or (want_in is not None and len(recv.done) < want_in):
                raise Fail("peer closed early (sent %d ok %d, received %d msgs)"
                           % (outgoing.chunks, ok, len(recv.done)))
            break
    conn.close()

    for msg_id, size, n, digest in outgoing.msgs:
        out("sent msg id=%s bytes=%d chunks=%d sha256=%s" % (msg_id, size, n, digest))
    if outgoing.items:
        out("sent msgs=%d chunks=%d bytes=%d ok=%d"
            % (len(outgoing.msgs), outgoing.chunks, outgoing.bytes, ok))
    out("recv msgs=%d chunks=%d bytes=%d aborted=%d"
        % (len(recv.done), recv.chunks, recv.bytes, recv.aborted))
    if ok != outgoing.chunks:
        raise Fail("%d SENDs, %d answered 200" % (outgoing.chunks, ok))
    if want_in is not None and len(recv.done) != want_in:
        raise Fail("received %d messages, expected %d" % (len(recv.done), want_in))
    got = {d[3] for d in recv.done}
    for h in args.expect_sha256:
        if h.lower() not in got:
            raise Fail("no message with sha256 %s" % h)


def follow_bytes(path, node):
    """One direction of `tshark -q -z follow,tcp,raw,...` output: node 0's
    data lines start with a hex digit, node 1's with a tab."""
    data = bytearray()
    with open(path, "r", encoding="ascii", errors="replace") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if ln.startswith("="):
                continue
            is1 = ln.startswith("\t")
            h = ln.strip()
            if not h or (node == 1) != is1 or any(c not in "0123456789abcdefABCDEF" for c in h):
                continue
            data += bytes.fromhex(h)
    return data


def stream(path, node):
    """Decode a captured MSRP byte stream: every frame must parse (nothing
    between frames), SEND chunks are put together as the receiver would."""
    buf = follow_bytes(path, node)
    recv, pos, sends, resp = Reassembly(), 0, 0, {}
    while pos < len(buf):
        f, nxt = parse_frame(buf, pos)
        if f is None:
            raise Fail("stream ends inside a frame at byte %d of %d" % (pos, len(buf)))
        pos = nxt
        if f.method == "SEND":
            sends += 1
            recv.add(f)
        elif f.status is not None:
            resp[f.status] = resp.get(f.status, 0) + 1
    out("stream bytes=%d sends=%d responses=%s msgs=%d partial=%d"
        % (len(buf), sends, ",".join("%d:%d" % kv for kv in sorted(resp.items())) or "-",
           len(recv.done), len(recv.parts)))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "stream":
        p = argparse.ArgumentParser(prog="msrp_peer.py stream",
                                    description="decode one direction of a tshark "
                                    "follow,tcp,raw dump as MSRP")
        p.add_argument("--follow", required=True)
        p.add_argument("--node", type=int, choices=(0, 1), default=0)
        a = p.parse_args(sys.argv[2:])
        try:
            stream(a.follow, a.node)
        except Fail as e:
            out("result fail reason=%s" % e.reason.replace(" ", "_"))
            return e.code
        out("result ok")
        return 0
    if len(sys.argv) > 1 and sys.argv[1] in ("mkcert", "fp"):
        p = argparse.ArgumentParser(prog="msrp_peer.py " + sys.argv[1])
        p.add_argument("--cert", required=True)
        if sys.argv[1] == "mkcert":
            p.add_argument("--key", required=True)
            p.add_argument("--cn", default="msrp-peer")
            p.add_argument("--days", type=int, default=30)
        a = p.parse_args(sys.argv[2:])
        if sys.argv[1] == "mkcert":
            mkcert(a.cert, a.key, a.cn, a.days)
        out("a=fingerprint:" + fingerprint_file(a.cert))
        return 0

    p = argparse.ArgumentParser(description="MSRP test endpoint (RFC 4975).")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--connect", metavar="HOST:PORT")
    g.add_argument("--listen", metavar="HOST:PORT")
    p.add_argument("--tls", action="store_true", help="TLS (the UE side)")
    p.add_argument("--cert", help="our certificate (PEM)")
    p.add_argument("--key", help="its private key (PEM)")
    p.add_argument("--peer-fp", help="the peer's a=fingerprint (SHA-256)")
    p.add_argument("--peer-cert", help="the peer's certificate: the only trust anchor")
    p.add_argument("--tls-max", choices=("1.2", "1.3"), default="1.3")
    p.add_argument("--text", action="append", default=[])
    p.add_argument("--file", action="append", default=[])
    p.add_argument("--random", action="append", type=int, default=[], metavar="BYTES")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk", type=int, default=2048)
    p.add_argument("--window", type=int, default=32, help="SENDs in flight")
    p.add_argument("--to-path", default="msrp://peer.invalid:2855/peer-sess;tcp")
    p.add_argument("--from-path", default=None)
    p.add_argument("--expect-msgs", type=int)
    p.add_argument("--expect-sha256", action="append", default=[])
    p.add_argument("--timeout", type=float, default=60.0, help="whole run (s)")
    p.add_argument("--idle", type=float, default=15.0, help="no byte either way (s)")
    p.add_argument("--connect-timeout", type=float, default=5.0)
    args = p.parse_args()
    if args.tls and bool(args.cert) != bool(args.key):
        p.error("--cert and --key go together")
    if args.tls and args.listen and not args.cert:
        p.error("a TLS server needs --cert and --key")
    if args.chunk < 1 or args.window < 1:
        p.error("--chunk and --window must be positive")
    if args.from_path is None:
        args.from_path = "%s://self.invalid:2855/%s;tcp" % ("msrps" if args.tls else "msrp",
                                                            secrets.token_hex(6))
    try:
        run(args)
    except Fail as e:
        out("result fail reason=%s" % e.reason.replace(" ", "_"))
        return e.code
    out("result ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
