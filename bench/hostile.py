#!/usr/bin/env python3
"""Hostile peers for bench/hostile-load.sh: slow TCP clients, malformed messages, admin abuse, and an upstream
that never answers.

Each mode runs for --duration seconds at a bounded rate against (or, blackhole, on) one host:port (the script
runs them inside a network namespace it created, on loopback) and prints one summary line of counts at the
end. Standard library only. Not a test: it asserts nothing.

  hostile.py slow-tcp  --port 53 --source 127.0.1.1 --sources 25 --connections 300 --duration 60
  hostile.py garbage   --port 53 --source 127.0.0.6 --rate 1000 --duration 60
  hostile.py admin     --port 9153 --source 127.0.0.7 --rate 5 --duration 60
  hostile.py blackhole --host 127.0.0.9 --port 53 --duration 600
"""
import argparse
import collections
import os
import random
import selectors
import signal
import socket
import struct
import time


STOPPED = []


def running(end):
    """True until the deadline, or SIGTERM/SIGINT (the script stopping this peer: it still prints its counts)."""
    return not STOPPED and time.monotonic() < end


def query(name, qid):
    """A DNS query for NAME A, RD set, as wire bytes."""
    labels = b"".join(bytes([len(label)]) + label.encode() for label in name.strip(".").split("."))
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\x00" + struct.pack(">HH", 1, 1)


def connect(host, port, source, blocking=True):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.setblocking(blocking)
    if blocking:
        sock.settimeout(3)
        sock.connect((host, port))
    else:
        sock.connect_ex((host, port))
    return sock


def slow_tcp(args):
    """Holds up to --connections TCP connections, each sending one byte of a query a second."""
    frame = query("slow.good.test", 7)
    frame = struct.pack(">H", len(frame)) + frame
    sel = selectors.DefaultSelector()
    conns = {}  # socket -> bytes sent
    counts = collections.Counter()
    end = time.monotonic() + args.duration
    next_tick = time.monotonic()
    while running(end):
        # Reconnect at most 100 a second: a bounded flood, not an unbounded one.
        for _ in range(min(100, args.connections - len(conns))):
            source = args.source if args.sources <= 1 else source_of(args.source, counts["connects"] % args.sources)
            try:
                sock = connect(args.host, args.port, source, blocking=False)
            except OSError:
                counts["connect_errors"] += 1
                break
            sel.register(sock, selectors.EVENT_READ)
            conns[sock] = 0
            counts["connects"] += 1
        if time.monotonic() >= next_tick:
            next_tick += 1
            for sock in list(conns):
                try:
                    sock.send(frame[conns[sock] % len(frame):][:1])
                    conns[sock] += 1
                    counts["bytes"] += 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    close(sel, conns, sock)
                    counts["closed_by_server"] += 1
        for key, _ in sel.select(timeout=0.05):
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                close(sel, conns, sock)
                counts["closed_by_server"] += 1
            else:
                counts["reply_bytes"] += len(data)
    for sock in list(conns):
        close(sel, conns, sock)
    report("slow-tcp", counts)


def source_of(first, n):
    """The n-th address after `first` (127.0.1.1, 127.0.1.2, ...): clients that look like different hosts."""
    a, b, c, d = (int(x) for x in first.split("."))
    value = (a << 24 | b << 16 | c << 8 | d) + n
    return ".".join(str(value >> shift & 255) for shift in (24, 16, 8, 0))


def close(sel, conns, sock):
    sel.unregister(sock)
    conns.pop(sock, None)
    sock.close()


def garbage_datagrams(rng):
    """Malformed or hostile DNS messages, one kind after another."""
    q = query("garbage.good.test", 1)
    kinds = [
        lambda: os.urandom(rng.randint(1, 11)),                           # shorter than a header
        lambda: os.urandom(rng.randint(12, 600)),                         # random bytes
        lambda: q[:2] + b"\x81\x80" + q[4:],                              # a response (QR=1)
        lambda: q[:4] + b"\x00\x05" + q[6:],                              # five questions announced, one there
        lambda: q[:12] + b"\xc0\x0c" + q[-4:],                            # a name that points at itself
        lambda: q[:-4],                                                   # question cut short
        lambda: q[:12] + (b"\x3f" + b"a" * 63) * 5 + b"\x00" + q[-4:],    # a name over 255 bytes
        lambda: q + b"\x00" * 3000,                                       # trailing junk, several KB
        lambda: q[:2] + b"\x28\x00" + q[4:],                              # opcode UPDATE
        lambda: q[:10] + b"\x00\x01" + q[12:] + b"\x00\x00\x29\x10\x00\x00\x00\x00\x00\xff\xff",  # bad OPT rdlen
    ]
    return kinds


def garbage(args):
    """Sends --rate malformed messages a second over UDP, and one in 20 as a TCP frame (some oversized)."""
    rng = random.Random(1)
    kinds = garbage_datagrams(rng)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((args.source, 0))
    udp.setblocking(False)
    counts = collections.Counter()
    end = time.monotonic() + args.duration
    start = time.monotonic()
    sent = 0
    while running(end):
        due = int((time.monotonic() - start) * args.rate)
        for _ in range(min(due - sent, 100)):  # a bounded burst, then the deadline is looked at again
            message = kinds[sent % len(kinds)]()
            if sent % 20 == 19:
                tcp_garbage(args, message, rng, counts)
            else:
                try:
                    udp.sendto(message, (args.host, args.port))
                    counts["udp_sent"] += 1
                except OSError:
                    counts["udp_errors"] += 1
            sent += 1
        counts["behind"] = max(0, due - sent)
        try:
            while True:
                udp.recv(65535)
                counts["udp_replies"] += 1
        except (BlockingIOError, InterruptedError):
            pass
        time.sleep(0.005)
    report("garbage", counts)


def tcp_garbage(args, message, rng, counts):
    """One connection, one frame (some announcing 64 KB and sending less), closed without reading."""
    try:
        sock = connect(args.host, args.port, args.source)
        length = len(message) if rng.random() < 0.7 else 0xFFFF
        sock.sendall(struct.pack(">H", length) + message)
        sock.close()
        counts["tcp_sent"] += 1
    except OSError:
        counts["tcp_errors"] += 1


def admin(args):
    """Abuses the admin listener --rate times a second, one kind after another, and keeps slow connections."""
    host = f"{args.host}:{args.port}"
    huge = 200 << 20
    kinds = {
        "huge_body": f"POST /reload HTTP/1.1\r\nHost: {host}\r\nContent-Length: {huge}\r\n\r\n",
        "foreign_host": "GET /metrics HTTP/1.1\r\nHost: rebind.attacker.example\r\nConnection: close\r\n\r\n",
        "foreign_origin": f"POST /reload HTTP/1.1\r\nHost: {host}\r\nOrigin: http://attacker.example\r\n"
                          "Content-Length: 0\r\nConnection: close\r\n\r\n",
        "get_reload": f"GET /reload HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "header_bomb": f"GET /metrics HTTP/1.1\r\nHost: {host}\r\nX-Pad: {'p' * 65536}\r\n\r\n",
        "chunked_flood": f"POST /querylog?enabled=true HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n",
    }
    counts = collections.Counter()
    slow = []
    end = time.monotonic() + args.duration
    names = list(kinds)
    i = 0
    while running(end):
        kind = names[i % len(names)]
        i += 1
        try:
            sock = connect(args.host, args.port, args.source)
            sock.settimeout(2)
            sock.sendall(kinds[kind].encode())
            if kind == "huge_body":
                sent = stream(sock, b"x" * 65536, 4 << 20)      # at most 4 MB: the server should stop far sooner
                counts["huge_body_bytes_taken"] += sent
            elif kind == "chunked_flood":
                stream(sock, b"1000\r\n" + b"x" * 4096 + b"\r\n", 4 << 20)
            counts[kind + "_" + status(sock)] += 1
            sock.close()
        except OSError:
            counts[kind + "_error"] += 1
        # Slowloris: keep up to 20 connections that never finish their headers.
        if len(slow) < 20:
            try:
                s = connect(args.host, args.port, args.source)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: ")
                slow.append(s)
                counts["slow_opened"] += 1
            except OSError:
                counts["slow_error"] += 1
        slow = [s for s in slow if alive(s, counts)]
        time.sleep(1.0 / args.rate)
    for s in slow:
        s.close()
    report("admin", counts)


def stream(sock, chunk, limit):
    sent = 0
    try:
        while sent < limit:
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    return sent


def status(sock):
    try:
        data = sock.recv(64)
        return data[9:12].decode() if data.startswith(b"HTTP/1.") else "closed"
    except OSError:
        return "no_answer"


def alive(sock, counts):
    sock.setblocking(False)
    try:
        if sock.recv(1) == b"":
            counts["slow_closed_by_server"] += 1
            sock.close()
            return False
    except (BlockingIOError, InterruptedError):
        return True
    except OSError:
        counts["slow_closed_by_server"] += 1
        sock.close()
        return False
    finally:
        if sock.fileno() >= 0:
            sock.setblocking(True)
    return True


def blackhole(args):
    """Listens on UDP and TCP and reads every query without ever answering: the upstream behind a dead route."""
    counts = collections.Counter()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((args.host, args.port))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((args.host, args.port))
    tcp.listen(128)
    sel = selectors.DefaultSelector()
    sel.register(udp, selectors.EVENT_READ)
    sel.register(tcp, selectors.EVENT_READ)
    held = []
    end = time.monotonic() + args.duration
    while running(end):
        for key, _ in sel.select(timeout=0.5):
            if key.fileobj is udp:
                udp.recv(65535)
                counts["udp_queries"] += 1
            elif key.fileobj is tcp:
                conn, _ = tcp.accept()
                counts["tcp_connections"] += 1
                held.append(conn)
                if len(held) > 500:
                    held.pop(0).close()
    report("blackhole", counts)


def report(mode, counts):
    print(mode + ": " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["slow-tcp", "garbage", "admin", "blackhole"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--source", default="127.0.0.1", help="local address to send from")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--rate", type=float, default=100, help="messages (garbage) or requests (admin) a second")
    parser.add_argument("--connections", type=int, default=300, help="slow TCP connections held")
    parser.add_argument("--sources", type=int, default=1, help="slow TCP: spread over this many addresses")
    args = parser.parse_args()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: STOPPED.append(True))
    {"slow-tcp": slow_tcp, "garbage": garbage, "admin": admin, "blackhole": blackhole}[args.mode](args)


if __name__ == "__main__":
    main()
