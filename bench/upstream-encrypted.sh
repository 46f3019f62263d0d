#!/usr/bin/env bash
# upstream-encrypted.sh: cache-miss throughput, latency and CPU of DNS over TLS and DNS over HTTPS next to
# plain UDP, in one run, against the same local server.
#
# What it does
#   1. Makes a throw-away CA and a certificate for bench.test (openssl), and starts unbound on loopback
#      serving the zone bench.test (every name under it: A 192.0.2.1) over UDP, DoT (RFC 7858) and DoH
#      (RFC 8484, HTTP/2), one thread: the one upstream server of all three protocols.
#   2. client mode: runs the load driver io.splitroute.upstream.UpstreamMissLoad (test classes): one
#      upstream at a time, unique names (what a cache miss sends upstream), OUTSTANDING queries in flight,
#      DURATION s per server, ROUNDS rounds taking turns; the client's connections, pools and TLS sessions
#      are the real ones (UdpUpstream, TlsUpstream, HttpsUpstream). Prints per protocol the median round:
#      queries/s, latency p50/p99, the client's CPU µs per query (user + system of the driver's JVM, which
#      holds only the client), unbound's CPU µs per query (which side limits the rate: near 1e6/qps means
#      unbound is saturated), and the encrypted/UDP qps ratio (target: at least 0.5).
#   3. splitroute mode: the whole resolver, dnsperf -> splitroute (the packaged jar, the shipped
#      config/jvm.options) -> unbound. One splitroute serves three routes, each to a group of one server of
#      one protocol (u.bench.test: udp://, t.bench.test: tls://, h.bench.test: https://, with
#      tls: { ca-file } for the bench CA); dnsperf sends unique names (every query a cache miss), the
#      protocols taking turns for ROUNDS rounds. Prints per protocol the median round: miss queries/s,
#      latency p50/p99 (dnsperf's per-query times at that load), splitroute's CPU µs per miss, unbound's,
#      and the ratio to UDP.
#   Raw output in bench/out/<UTC timestamp>-upstream-encrypted/ (stats.txt: the client's connections
#   opened; splitroute-*.txt: dnsperf output; splitroute.log).
#
# Usage (as any user; needs unbound (apt-get install unbound; built with nghttp2 for DoH), openssl, a JDK 25,
# and dnsperf for the splitroute mode)
#   bench/upstream-encrypted.sh                   # both modes, ~3 minutes
#   MODES=splitroute DURATION=20 ROUNDS=5 bench/upstream-encrypted.sh
#
# Settings (environment variables, defaults in brackets)
#   DURATION [8]  seconds per server and round;  WARMUP [5] seconds per server before measuring
#   ROUNDS [3]    rounds;  OUTSTANDING [64] queries in flight
#   PROTOCOLS ["udp tls https"];  MODES ["client splitroute"]
#   CLIENTS [4]    dnsperf -c (splitroute mode; OUTSTANDING is its -q)
#   SPLITROUTE_JAR [resolver/target/splitroute.jar, built by this script]
#   SPLITROUTE_JAVA_OPTS [@config/jvm.options: the shipped flags]
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 if present]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-8}"
WARMUP="${WARMUP:-5}"
ROUNDS="${ROUNDS:-3}"
OUTSTANDING="${OUTSTANDING:-64}"
PROTOCOLS="${PROTOCOLS:-udp tls https}"
MODES="${MODES:-client splitroute}"
CLIENTS="${CLIENTS:-4}"
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"
SPLITROUTE_JAVA_OPTS="${SPLITROUTE_JAVA_OPTS:-@$ROOT/config/jvm.options}"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for tool in unbound openssl; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 2; }
done
if [[ " $MODES " == *" splitroute "* ]]; then
    command -v dnsperf >/dev/null || { echo "needs dnsperf for MODES=splitroute (apt-get install dnsperf)" >&2; exit 2; }
fi

OUT="$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)-upstream-encrypted"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
UNBOUND_PID=""
SPLITROUTE_PID=""
stop_pid() {
    if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
        kill "$1"
        wait "$1" 2>/dev/null || true
    fi
}
cleanup() {
    stop_pid "$SPLITROUTE_PID"
    stop_pid "$UNBOUND_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
UDP_PORT="$(free_port)"; DOT_PORT="$(free_port)"; DOH_PORT="$(free_port)"; SR_PORT="$(free_port)"

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

# The jar and the test classes, in one invocation: the reactor hands lists/ and ipset-sink/ over as
# target/classes (nothing installed).
cd "$ROOT"
GOALS=(-q -pl resolver -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
       -Dmdep.includeScope=test)
./mvnw -o "${GOALS[@]}" > "$OUT/build.log" 2>&1 || ./mvnw "${GOALS[@]}" >> "$OUT/build.log" 2>&1 \
    || { echo "build failed: see $OUT/build.log" >&2; exit 1; }
if [[ " $MODES " == *" client "* ]]; then
    # 2. client mode: the load driver, on the test class path
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

    # the table: median round per protocol
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
fi

# 3. splitroute mode: dnsperf -> splitroute -> unbound, one route (and group) per protocol
if [[ " $MODES " == *" splitroute "* ]]; then
    [[ -f "$SPLITROUTE_JAR" ]] || { echo "missing $SPLITROUTE_JAR" >&2; exit 1; }
    cat > "$WORK/splitroute.yaml" <<CONF
listen: ["127.0.0.1:$SR_PORT"]
admin: off
tls: { ca-file: "$WORK/ca.pem" }
upstreams:
  udp:   ["udp://127.0.0.1:$UDP_PORT"]
  tls:   ["tls://bench.test:$DOT_PORT@127.0.0.1"]
  https: ["https://bench.test:$DOH_PORT/dns-query@127.0.0.1"]
routes:
  - { name: udp,   domains: [u.bench.test], upstream: udp }
  - { name: tls,   domains: [t.bench.test], upstream: tls }
  - { name: https, domains: [h.bench.test], upstream: https }
default-upstream: udp
upstream-timeout: 5s
acl: ["127.0.0.0/8"]
CONF
    cp "$WORK/splitroute.yaml" "$OUT/"
    # shellcheck disable=SC2086 # SPLITROUTE_JAVA_OPTS is a list of flags
    "$JAVA" $SPLITROUTE_JAVA_OPTS -jar "$SPLITROUTE_JAR" run --config "$WORK/splitroute.yaml" \
        > "$OUT/splitroute.log" 2>&1 &
    SPLITROUTE_PID=$!
    for _ in $(seq 300); do
        dig +short +time=1 +tries=1 @127.0.0.1 -p "$SR_PORT" ready.u.bench.test >/dev/null 2>&1 && break
        kill -0 "$SPLITROUTE_PID" 2>/dev/null || { tail -20 "$OUT/splitroute.log" >&2; exit 1; }
        sleep 0.1
    done
    cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
    label() { case "$1" in udp) echo u ;; tls) echo t ;; https) echo h ;; esac; }
    names() { # $1 protocol, $2 tag, $3 seconds: unique names, never repeated (30 000 a second at most)
        awk -v n="$(( $3 * 30000 ))" -v t="$2" -v l="$(label "$1")" \
            'BEGIN { for (i = 1; i <= n; i++) print "q" i "-" t "." l ".bench.test A" }'
    }
    perf() { # $1 protocol, $2 tag, $3 seconds: one dnsperf run; CPU ticks of both servers beside it
        local f="$WORK/names-$1-$2.txt" sr un
        names "$1" "$2" "$3" > "$f"
        sr=$(cpu_ticks "$SPLITROUTE_PID"); un=$(cpu_ticks "$UNBOUND_PID")
        dnsperf -s 127.0.0.1 -p "$SR_PORT" -d "$f" -c "$CLIENTS" -q "$OUTSTANDING" -l "$3" -n 1 -t 5 -v \
            > "$OUT/splitroute-$1-$2.txt" 2>&1
        echo "$(( $(cpu_ticks "$SPLITROUTE_PID") - sr )) $(( $(cpu_ticks "$UNBOUND_PID") - un ))" \
            > "$OUT/splitroute-$1-$2.cpu"
        rm -f "$f"
    }
    for p in $PROTOCOLS; do perf "$p" warmup "$WARMUP"; done # JIT, connections, TLS sessions
    for r in $(seq "$ROUNDS"); do
        for p in $PROTOCOLS; do perf "$p" "$r" "$DURATION"; done
    done
    # shellcheck disable=SC2086 # PROTOCOLS is a list
    python3 - "$OUT" "$(getconf CLK_TCK)" "$ROUNDS" $PROTOCOLS <<'PY' | tee "$OUT/splitroute-table.txt"
import re, statistics, sys
out, hz, rounds, protocols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
rows = {}
for p in protocols:
    for r in range(1, rounds + 1):
        text = open(f"{out}/splitroute-{p}-{r}.txt").read()
        qps = float(re.search(r"Queries per second:\s+([\d.]+)", text).group(1))
        done = int(re.search(r"Queries completed:\s+(\d+)", text).group(1))
        lost = int(re.search(r"Queries lost:\s+(\d+)", text).group(1))
        servfail = len(re.findall(r"^> SERVFAIL ", text, re.M))
        times = sorted(float(line.split()[-1]) for line in text.splitlines() if line.startswith("> NOERROR "))
        pct = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000 if times else float("nan")
        sr, un = (int(x) for x in open(f"{out}/splitroute-{p}-{r}.cpu").read().split())
        per = lambda ticks: ticks * 1e6 / hz / done if done else float("nan")
        rows.setdefault(p, []).append((qps, pct(0.5), pct(0.99), per(sr), per(un), lost + servfail))
udp = statistics.median(x[0] for x in rows["udp"]) if "udp" in rows else None
print("through splitroute (dnsperf -> splitroute -> unbound), every query a cache miss; median of rounds")
print(f"{'upstream':8} {'miss q/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'CPU µs/q':>9} {'unbound':>8} {'failed':>6} {'vs udp':>7}")
for p, rs in rows.items():
    med = lambda i: statistics.median(x[i] for x in rs)
    ratio = f"{med(0) / udp:.2f}" if udp else "-"
    print(f"{p:8} {med(0):9.0f} {med(1):7.2f} {med(2):7.2f} {med(3):9.1f} {med(4):8.1f} {sum(x[5] for x in rs):6d} {ratio:>7}")
PY
fi
echo "raw output: $OUT"
