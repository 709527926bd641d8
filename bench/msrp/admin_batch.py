#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""admin_batch.py: many admin-socket commands over one connection.

imsagw-ctl sends one command per process; setting up 10,000 MSRP contexts
(30,000 commands) that way takes minutes. This client reads command lines
on stdin, keeps up to --window of them in flight on one UNIX connection to
the gateway's admin socket (the gateway answers each line with one line, in
order), and prints each reply on stdout in the order of the commands.

  admin_batch.py --socket PATH [--window 32] [--timeout 10] < commands

Exit status: 0 when every reply starts with "ok", 1 otherwise (the replies
are printed all the same), 2 when the socket fails or a reply takes longer
than --timeout seconds.
"""
import argparse
import socket
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--window", type=int, default=32)
    ap.add_argument("--timeout", type=float, default=10.0)
    a = ap.parse_args()
    cmds = [ln.strip() for ln in sys.stdin if ln.strip()]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    try:
        s.connect(a.socket)
    except OSError as e:
        print("admin_batch: %s: %s" % (a.socket, e), file=sys.stderr)
        return 2
    out = sys.stdout
    sent = done = 0
    bad = 0
    buf = b""
    while done < len(cmds):
        # a line of the gateway's is at most 1023 bytes; the window keeps
        # its replies well inside the socket's buffer
        batch = []
        while sent < len(cmds) and sent - done < a.window:
            batch.append(cmds[sent])
            sent += 1
        if batch:
            s.sendall(("\n".join(batch) + "\n").encode())
        try:
            data = s.recv(65536)
        except socket.timeout:
            print("admin_batch: no reply in %.0f s after %d of %d" % (a.timeout, done, len(cmds)),
                  file=sys.stderr)
            return 2
        if not data:
            print("admin_batch: the gateway closed the connection after %d replies" % done,
                  file=sys.stderr)
            return 2
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.decode(errors="replace")
            if not line.startswith("ok"):
                bad += 1
            out.write(line + "\n")
            done += 1
    out.flush()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
