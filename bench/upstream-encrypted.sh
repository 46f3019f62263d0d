#!/usr/bin/env bash
# upstream-encrypted.sh: cache-miss throughput, latency and CPU of DNS over TLS and DNS over HTTPS next to
# plain UDP, in one run, against the same local server.
#
# What it does
#   1. Makes a throw-away CA and a certificate for bench.test (openssl), and starts unbound on loopback
#      serving the zone bench.test (every name under it: A 192.0.2.1) over UDP, DoT (RFC 7858) and DoH
#      (RFC 8484, HTTP/2), one thread: the one upstream server of all three protocols.
#   2. Runs the load driver io.splitroute.upstream.UpstreamMissLoad (test classes): one upstream at a time,
#      unique names (what a cache miss sends upstream), OUTSTANDING queries in flight, DURATION s per
#      server, ROUNDS rounds taking turns; the client's connections, pools and TLS sessions are the real
#      ones (UdpUpstream, TlsUpstream, HttpsUpstream).
#   3. Prints per protocol the median round: queries/s, latency p50/p99, the client's CPU µs per query
#      (user + system of the driver's JVM, which holds only the client), unbound's CPU µs per query (which
#      side limits the rate: near 1e6/qps means unbound is saturated), and the encrypted/UDP qps ratio
#      (target: at least 0.5). Raw output in bench/out/<UTC timestamp>/ (stats.txt: connections opened).
#
# What it does not measure yet: the whole resolver (dnsperf -> splitroute -> encrypted upstream), which
# needs the config keys for tls options (ca-file) in the running server; with them, the same unbound setup
# serves that run too.
#
# Usage (as any user; needs unbound (apt-get install unbound; built with nghttp2 for DoH), openssl, a JDK 25)
#   bench/upstream-encrypted.sh                   # ~1 minute
#   DURATION=20 ROUNDS=5 bench/upstream-encrypted.sh
#
# Settings (environment variables, defaults in brackets)
#   DURATION [8]  seconds per server and round;  WARMUP [5] seconds per server before measuring
#   ROUNDS [3]    rounds;  OUTSTANDING [64] queries in flight
#   PROTOCOLS ["udp tls https"]
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 if present]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-8}"
WARMUP="${WARMUP:-5}"
ROUNDS="${ROUNDS:-3}"
OUTSTANDING="${OUTSTANDING:-64}"
PROTOCOLS="${PROTOCOLS:-udp tls https}"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for tool in unbound openssl; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 2; }
done

OUT="$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)-upstream-encrypted"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
UNBOUND_PID=""
cleanup() {
    if [[ -n "$UNBOUND_PID" ]] && kill -0 "$UNBOUND_PID" 2>/dev/null; then
        kill "$UNBOUND_PID"
        wait "$UNBOUND_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
UDP_PORT="$(free_port)"; DOT_PORT="$(free_port)"; DOH_PORT="$(free_port)"

# 1. CA, server certificate, unbound
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
    -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=bench.test" \
    -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:bench.test\nextendedKeyUsage=serverAuth\n' > "$WORK/ext.cnf"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
    -extfile "$WORK/ext.cnf" -out "$WORK/server.pem" 2>/dev/null
cat > "$WORK/unbound.conf" <<CONF
server:
  interface: 127.0.0.1@$UDP_PORT
  interface: 127.0.0.1@$DOT_PORT
  interface: 127.0.0.1@$DOH_PORT
  port: $UDP_PORT
  tls-port: $DOT_PORT
  https-port: $DOH_PORT
  tls-service-key: "$WORK/server.key"
  tls-service-pem: "$WORK/server.pem"
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: ""
  use-syslog: no
  logfile: "$OUT/unbound.log"
  verbosity: 0
  num-threads: 1
  access-control: 127.0.0.0/8 allow
  incoming-num-tcp: 256
  http-max-streams: 128
  module-config: "iterator"
  local-zone: "bench.test." redirect
  local-data: "bench.test. 3600 IN A 192.0.2.1"
CONF
cp "$WORK/unbound.conf" "$OUT/"
unbound -d -c "$WORK/unbound.conf" &
UNBOUND_PID=$!
for _ in $(seq 50); do
    if command -v dig >/dev/null && dig +short +time=1 +tries=1 @127.0.0.1 -p "$UDP_PORT" a.bench.test >/dev/null 2>&1; then
        break
    fi
    sleep 0.2
done

# 2. the load driver, on the test class path
cd "$ROOT"
# One invocation: the reactor hands lists/ and ipset-sink/ over as target/classes (nothing installed).
CP_GOALS=(-q -pl resolver -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
          -Dmdep.includeScope=test)
./mvnw -o "${CP_GOALS[@]}" > "$OUT/build.log" 2>&1 || ./mvnw "${CP_GOALS[@]}" >> "$OUT/build.log" 2>&1 \
    || { echo "build failed: see $OUT/build.log" >&2; exit 1; }
CP="$ROOT/resolver/target/test-classes:$ROOT/resolver/target/classes:$(cat "$WORK/cp.txt")"
URIS=()
for p in $PROTOCOLS; do
    case "$p" in
        udp) URIS+=("udp://127.0.0.1:$UDP_PORT") ;;
        tls) URIS+=("tls://bench.test:$DOT_PORT@127.0.0.1") ;;
        https) URIS+=("https://bench.test:$DOH_PORT/dns-query@127.0.0.1") ;;
        *) echo "unknown protocol $p" >&2; exit 2 ;;
    esac
done
"$JAVA" --enable-native-access=ALL-UNNAMED -Xmx256m -Dserver.pid="$UNBOUND_PID" -cp "$CP" \
    io.splitroute.upstream.UpstreamMissLoad \
    "$WORK/ca.pem" "$DURATION" "$WARMUP" "$OUTSTANDING" "$ROUNDS" "${URIS[@]}" 2> "$OUT/stats.txt" \
    | tee "$OUT/rounds.txt"

# 3. the table: median round per protocol
python3 - "$OUT/rounds.txt" <<'PY' | tee "$OUT/table.txt"
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    r, uri, qps, p50, p99, cpu, failed, server = line.split()
    rows.setdefault(uri.split(":")[0], []).append((float(qps), float(p50), float(p99), float(cpu), int(failed),
                                                   float(server)))
udp = statistics.median(q for q, *_ in rows["udp"]) if "udp" in rows else None
print(f"{'upstream':8} {'miss q/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'CPU µs/q':>9} {'unbound':>8} {'failed':>6} {'vs udp':>7}")
for proto, rs in rows.items():
    med = lambda i: statistics.median(x[i] for x in rs)
    ratio = f"{med(0) / udp:.2f}" if udp else "-"
    print(f"{proto:8} {med(0):9.0f} {med(1):7.2f} {med(2):7.2f} {med(3):9.1f} {med(5):8.1f} {sum(x[4] for x in rs):6d} {ratio:>7}")
PY
echo "raw output: $OUT"
