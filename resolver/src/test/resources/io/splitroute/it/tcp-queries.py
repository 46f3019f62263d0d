"""Asks NAMES (comma-separated) for A over TCP at 127.0.0.1:PORT, one connection per query, WORKERS at a time;
prints one line per name: the name, the rcode (-1: no reply, then why) and the answer count. Used by
ShippedHeapNamespaceIT inside its namespace (dnsperf does not read replies of 64 KB over TCP)."""
import socket, struct, sys, threading
port, names, workers = int(sys.argv[1]), sys.argv[2].split(","), int(sys.argv[3])
results, lock = [], threading.Lock()
def query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)
def recv(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("closed")
        data += chunk
    return data
def work(mine):
    for i, name in mine:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
                m = query(name, i & 0xffff)
                s.sendall(struct.pack(">H", len(m)) + m)
                reply = recv(s, struct.unpack(">H", recv(s, 2))[0])
                rcode, ancount = reply[3] & 0xf, struct.unpack(">H", reply[6:8])[0]
                out = (name, rcode, ancount)
        except Exception as e:
            out = (name, -1, str(e))
        with lock:
            results.append(out)
items = list(enumerate(names))
threads = [threading.Thread(target=work, args=(items[w::workers],)) for w in range(workers)]
[t.start() for t in threads]; [t.join() for t in threads]
for name, rcode, ancount in sorted(results):
    print(name, rcode, ancount)
