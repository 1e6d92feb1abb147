#!/usr/bin/env python3
"""Slow and oversized clients against a running `rapport serve`.

    attack.py slow BASE TOKEN PID [--conns N] [--addresses K] [--body-conns N] [--stall-conns N]
                                  [--seconds S] [--interval S] [--probe-max S]
    attack.py oversized BASE TOKEN PID [--mb N] [--rss-slack-mb N]

BASE is http://127.0.0.1:PORT, TOKEN an API token, PID the server's
process (its memory and descriptors are read from /proc).  Each check
prints one line, "ok WHAT" or "FAIL WHAT: why", then the figures; the exit
status is 1 if any failed.  tests/soak/run.sh and tests/api/limits.sh run it.

slow: while N connections send a request's header a byte every INTERVAL
seconds (slowloris), N more send a body a byte at a time, and N more send
most of a megabyte of body and then nothing, all from 127.0.0.1, a client
at another address (127.0.0.2) must get a contact card within --probe-max
seconds, every time; the server's memory must not grow by the bodies it
is sent.  The three kinds come from three addresses (127.0.0.1, .3, .4;
the slowloris from K addresses 127.0.0.10 and up with --addresses): the
connections of one address beyond the server's limit are closed at once.

oversized: a body of --mb MB (honest Content-Length, then chunked without
one), a Content-Length that lies either way, a header of a megabyte, a URL
of a megabyte, and twenty thousand headers: each gets a 4xx answer, or its
connection closed, within a few seconds, the server's peak memory does not
grow by what was sent, and it answers a normal request after each.
"""
import argparse
import json
import os
import resource
import select
import socket
import sys
import time
import urllib.parse

FAILED = []


def check(what, good, why=""):
    print(("ok " + what) if good else ("FAIL %s: %s" % (what, why)), flush=True)
    if not good:
        FAILED.append(what)


def ready(s, timeout, write=False):
    """(readable, writable) of socket s within timeout seconds (poll:
    select cannot watch a descriptor above 1023)."""
    p = select.poll()
    p.register(s, select.POLLIN | (select.POLLOUT if write else 0))
    ev = 0
    for _, e in p.poll(max(0, int(timeout * 1000))):
        ev |= e
    return bool(ev & (select.POLLIN | select.POLLHUP | select.POLLERR)), bool(ev & select.POLLOUT)


def status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def connect(host, port, source=None, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source:
        s.bind((source, 0))
    s.connect((host, port))
    return s


def read_answer(s, deadline):
    """The status of the answer on s (0 if the server closed the
    connection without one, -1 if none came by deadline), and its body."""
    data = b""
    while True:
        left = deadline - time.time()
        if left <= 0:
            return -1, data
        r, _ = ready(s, left)
        if not r:
            return -1, data
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            chunk = b""
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = 0
            for h in head.split(b"\r\n")[1:]:
                k, _, v = h.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v.strip())
            if len(body) >= length:
                break
    if not data.startswith(b"HTTP/1."):
        return 0, data
    return int(data[9:12]), data


def get(base, path, token=None, source=None, timeout=5.0):
    """One GET on a connection of its own: (status, seconds)."""
    u = urllib.parse.urlsplit(base)
    t0 = time.time()
    try:
        s = connect(u.hostname, u.port, source, timeout)
        auth = "Authorization: Bearer %s\r\n" % token if token else ""
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n" % (path, auth)).encode())
        status, _ = read_answer(s, t0 + timeout)
        s.close()
    except OSError:
        status = 0
    return status, time.time() - t0


# ---- slow clients ------------------------------------------------------------

def slow(a):
    u = urllib.parse.urlsplit(a.base)
    pid = a.pid
    fds0, rss0 = fds(pid), status_kb(pid, "VmRSS")
    hwm0 = status_kb(pid, "VmHWM")
    socks = []  # [socket, kind, bytes still to send a byte at a time]
    refused = 0
    auth = "Authorization: Bearer %s\r\n" % a.token
    for i in range(a.conns + a.body_conns + a.stall_conns):
        # Each kind from an address of its own, so that none is cut short
        # by the limit of connections from one address that another took.
        source = ("127.0.0.%d" % (10 + i % a.addresses if a.addresses > 1 else 1) if i < a.conns
                  else "127.0.0.3" if i < a.conns + a.body_conns else "127.0.0.4")
        try:
            s = connect(u.hostname, u.port, source)
        except OSError:
            refused += 1
            continue
        s.setblocking(False)
        try:
            if i < a.conns:
                # A request line and the start of a header, never ended.
                s.send(b"GET /api/v1/agenda HTTP/1.1\r\nHost: x\r\n")
                socks.append([s, "header", b"X-Slow: " + b"a" * 100000])
            elif i < a.conns + a.body_conns:
                s.send(("POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\n%sContent-Type: application/json\r\n"
                        "Content-Length: 200000\r\n\r\n" % auth).encode())
                socks.append([s, "body", b"{" + b" " * 199999])
            else:
                # Most of the largest body the server takes, then silence:
                # memory held for as long as the connection lasts.
                n = 1000 * 1000
                s.setblocking(True)
                s.sendall(("POST /api/v1/import/contacts HTTP/1.1\r\nHost: x\r\n%sContent-Type: text/csv\r\n"
                           "Content-Length: %d\r\n\r\n" % (auth, n + 1)).encode() + b"x" * n)
                s.setblocking(False)
                socks.append([s, "stall", b""])
        except OSError:
            refused += 1
            s.close()
    probes, probe_fail, worst, same_ip_ok = 0, 0, 0.0, 0
    fds_peak, rss_peak = fds(pid), status_kb(pid, "VmRSS")
    end = time.time() + a.seconds
    next_drip = time.time() + a.interval
    while time.time() < end:
        st, took = get(a.base, "/api/v1/contacts/1", a.token, source="127.0.0.2", timeout=a.probe_max + 2)
        probes += 1
        worst = max(worst, took)
        if st != 200 or took > a.probe_max:
            probe_fail += 1
        st, _ = get(a.base, "/api/v1/contacts/1", a.token, timeout=2)
        same_ip_ok += st == 200
        fds_peak = max(fds_peak, fds(pid))
        rss_peak = max(rss_peak, status_kb(pid, "VmRSS"))
        if time.time() >= next_drip:
            next_drip += a.interval
            for e in socks:
                if e[2]:
                    try:
                        e[0].send(e[2][:1])
                        e[2] = e[2][1:]
                    except OSError:
                        e[2] = b""
        time.sleep(0.2)
    # The connections the server kept: those not closed by it.
    held = {"header": 0, "body": 0, "stall": 0}
    for s, kind, _ in socks:
        try:
            r, _ = ready(s, 0)
            alive = not r or s.recv(1, socket.MSG_PEEK) != b""
        except OSError:
            alive = False
        held[kind] += alive
        s.close()
    hwm = status_kb(pid, "VmHWM")
    figures = {"attack": a.conns + a.body_conns + a.stall_conns, "refused_at_connect": refused,
               "held": held, "probes": probes, "probe_failures": probe_fail, "probe_max_s": round(worst, 3),
               "same_address_answered": same_ip_ok, "fds_before": fds0, "fds_peak": fds_peak,
               "rss_before_kb": rss0, "rss_peak_kb": rss_peak, "hwm_growth_kb": hwm - hwm0}
    check("a client at another address answered within %.1f s throughout (%d probes, slowest %.3f s)"
          % (a.probe_max, probes, worst), probes > 0 and probe_fail == 0, "%d of %d failed or slow" % (probe_fail, probes))
    stall_mb = held["stall"] * 1.0
    check("memory bounded while %d connections hold a megabyte of body each (peak grew %d MB)"
          % (held["stall"], (hwm - hwm0) // 1024), hwm - hwm0 < a.rss_limit_mb * 1024 or stall_mb == 0,
          "the peak grew by %d kB" % (hwm - hwm0))
    print("figures " + json.dumps(figures), flush=True)


# ---- oversized requests ------------------------------------------------------

def push(base, head, body_chunks, deadline_s=10.0):
    """Send head, then body chunks while the server reads them; stop at its
    answer.  Returns (status, seconds, bytes of body sent)."""
    u = urllib.parse.urlsplit(base)
    t0 = time.time()
    s = connect(u.hostname, u.port)
    sent = 0
    try:
        s.sendall(head)
        s.setblocking(False)
        for chunk in body_chunks:
            view = memoryview(chunk)
            while view:
                r, w = ready(s, t0 + deadline_s - time.time(), write=True)
                if r or time.time() > t0 + deadline_s:
                    raise StopIteration
                if w:
                    try:
                        k = s.send(view)
                    except BlockingIOError:
                        continue
                    sent += k
                    view = view[k:]
    except (StopIteration, OSError):
        pass
    s.setblocking(True)
    try:
        status, _ = read_answer(s, t0 + deadline_s)
    except OSError:
        status = 0
    s.close()
    return status, time.time() - t0, sent


def oversized(a):
    pid, token, mb = a.pid, a.token, a.mb
    hwm0, rss0 = status_kb(pid, "VmHWM"), status_kb(pid, "VmRSS")
    auth = "Authorization: Bearer %s\r\n" % token
    big = mb * 1000 * 1000
    piece = b"[" + b"1," * 32767 + b"1"

    def pieces(total):
        n = 0
        while n < total:
            yield piece[:min(len(piece), total - n)]
            n += len(piece)

    def chunked(total):
        for p in pieces(total):
            yield b"%x\r\n%s\r\n" % (len(p), p)
        yield b"0\r\n\r\n"

    post = "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\n%sContent-Type: application/json\r\n" % auth
    cases = [
        ("a body of %d MB with its Content-Length" % mb, (413,),
         (post + "Content-Length: %d\r\n\r\n" % big).encode(), pieces(big)),
        # Dropped up to eight times the limit to answer 413 at its end,
        # then the connection is closed: never read whole.
        ("a chunked body of %d MB" % mb, (413, 0),
         (post + "Transfer-Encoding: chunked\r\n\r\n").encode(), chunked(big)),
        ("a chunked body of 2 MB", (413,),
         (post + "Transfer-Encoding: chunked\r\n\r\n").encode(), chunked(2000 * 1000)),
        ("a Content-Length of 20 before a megabyte", (400,),
         (post + "Content-Length: 20\r\n\r\n").encode(), pieces(1000 * 1000)),
        ("a Content-Length too large for any number", (400, 413, 0),
         (post + "Content-Length: 999999999999999999999999\r\n\r\n").encode(), []),
        ("a header of a megabyte", (431, 413, 400, 0),
         ("GET /api/v1/contacts/1 HTTP/1.1\r\nHost: x\r\n%sCookie: a=" % auth).encode(),
         [b"b" * 1000000, b"\r\n\r\n"]),
        ("a URL of a megabyte", (414, 431, 413, 400, 0),
         b"GET /api/v1/search?query=", [b"a" * 1000000, (" HTTP/1.1\r\nHost: x\r\n%s\r\n" % auth).encode()]),
        ("twenty thousand headers", (431, 413, 400, 0),
         ("GET /api/v1/contacts/1 HTTP/1.1\r\nHost: x\r\n%s" % auth).encode(),
         [b"".join(b"X-H-%d: v\r\n" % i for i in range(20000)), b"\r\n"]),
    ]
    figures = []
    for what, want, head, body in cases:
        st, took, sent = push(a.base, head, body)
        after, _ = get(a.base, "/api/v1/contacts/1", token)
        figures.append({"case": what, "status": st, "seconds": round(took, 3), "sent_bytes": sent})
        # The server stopped reading long before the end of a big body.
        check("%s: %s in %.2f s (%d bytes sent)" % (what, st or "closed", took, sent),
              st in want and took < a.max_seconds and (sent < big // 2 or mb < 20),
              "wanted %s within %.0f s, not reading it all" % (want, a.max_seconds))
        check("a normal request answered after " + what, after == 200, "answered %s" % after)
    hwm, rss = status_kb(pid, "VmHWM"), status_kb(pid, "VmRSS")
    check("peak memory grew %d kB for %d MB sent (under %d MB)" % (hwm - hwm0, mb, a.rss_slack_mb),
          hwm - hwm0 < a.rss_slack_mb * 1024, "grew %d kB" % (hwm - hwm0))
    print("figures " + json.dumps({"cases": figures, "rss_before_kb": rss0, "rss_after_kb": rss,
                                   "hwm_growth_kb": hwm - hwm0}), flush=True)


def main():
    # Well over a thousand sockets: the soft limit of descriptors up to the hard one.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="what", required=True)
    s = sub.add_parser("slow")
    o = sub.add_parser("oversized")
    for q in (s, o):
        q.add_argument("base")
        q.add_argument("token")
        q.add_argument("pid", type=int)
    s.add_argument("--conns", type=int, default=1000)
    s.add_argument("--addresses", type=int, default=1)
    s.add_argument("--body-conns", type=int, default=100)
    s.add_argument("--stall-conns", type=int, default=100)
    s.add_argument("--seconds", type=float, default=40)
    s.add_argument("--interval", type=float, default=5)
    s.add_argument("--probe-max", type=float, default=1.0)
    s.add_argument("--rss-limit-mb", type=int, default=64)
    o.add_argument("--mb", type=int, default=100)
    o.add_argument("--rss-slack-mb", type=int, default=16)
    o.add_argument("--max-seconds", type=float, default=5)
    a = p.parse_args()
    slow(a) if a.what == "slow" else oversized(a)
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
