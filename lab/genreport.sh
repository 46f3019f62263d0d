#!/usr/bin/env bash
# genreport.sh: ISC's DNS compliance tester (genreport, the DNS Flag Day tool) in recursive mode against
# splitroute and dnsmasq, each forwarding to the same authoritative server, fresh and warm cache.
#
# What it does
#   1. Creates a network namespace sr-gr-<random> (removed on exit) with lo up holding
#      documentation addresses: knot 192.0.2.53, splitroute 198.51.100.53, dnsmasq 198.51.100.54.
#   2. Starts knotd on 192.0.2.53:53 with one DNSSEC-signed zone per test, t<N>.conformance.test (SOA, NS,
#      A, AAAA), so each test asks a name no other test asked: its first run is a cache miss.
#   3. Starts splitroute (resolver/target/splitroute.jar) and dnsmasq, both forwarding to knot, both
#      listening on port 53 of their own address inside the namespace.
#   4. For each server and each test of genreport's EDNS and FULL groups (genreport -L):
#        fresh  genreport -R -i TEST against the test's own zone (nothing cached for it yet);
#        warm   the same again (the answer is now cached).
#   5. Prints a table (tests passed / failed per server and pass), then each failed test with genreport's
#      tags (e.g. "aa" = AA set, "z" = Z echoed, "soa" = SOA where none belongs, "timeout" = no reply).
#      Raw output per test: lab/out/genreport-<UTC timestamp>/.
#
# Building genreport (outside this repository; ISC's DNS-Compliance-Testing, plain C):
#   apt-get install build-essential autoconf automake pkg-config libssl-dev
#   git clone <ISC DNS-Compliance-Testing repository> /work/tools/genreport/src && cd /work/tools/genreport/src
#   autoreconf -fi && ./configure LIBS=-lresolv && make      # -lresolv: glibc keeps ns_get16 & co. there
#   -> ./genreport  (point GENREPORT at it)
#
# Usage (as root: namespaces; needs knotd, dnsmasq, iproute2, a JDK 25)
#   GENREPORT=/work/tools/genreport/src/genreport lab/genreport.sh
#   SERVERS=dnsmasq GENREPORT=... lab/genreport.sh            # one server only
#   TESTS="edns1 zflag" GENREPORT=... lab/genreport.sh        # some tests only
#
# Settings (environment variables, defaults in brackets)
#   GENREPORT            path of the genreport binary (required)
#   SERVERS ["splitroute dnsmasq"]
#   TESTS                genreport test names [every test of the EDNS and FULL groups]
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 if present]
#   SPLITROUTE_JAR [resolver/target/splitroute.jar; built with ./mvnw -DskipTests package when missing]
#   STARTUP_TIMEOUT [30] seconds to wait for each server's first answer
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GENREPORT="${GENREPORT:-}"
SERVERS="${SERVERS:-splitroute dnsmasq}"
TESTS="${TESTS:-}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-30}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"

KNOT_ADDR=192.0.2.53
declare -A ADDR=([splitroute]=198.51.100.53 [dnsmasq]=198.51.100.54)
ZONE_SUFFIX=conformance.test

log() { printf '[genreport %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ -n "$GENREPORT" ] || die "set GENREPORT to the genreport binary (how to build it: see the top of $0)"
[ -x "$GENREPORT" ] || die "GENREPORT=$GENREPORT is not executable"
[ "$(id -u)" = 0 ] || die "needs root (it creates a network namespace)"
for tool in ip knotd dnsmasq dig; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install iproute2 knot dnsmasq-base bind9-dnsutils)"
done
for s in $SERVERS; do
  [ -n "${ADDR[$s]:-}" ] || die "unknown server '$s' in SERVERS (splitroute, dnsmasq)"
done

NS="sr-gr-$$-$RANDOM"
OUT="$ROOT/lab/out/genreport-$(date -u +%Y%m%dT%H%M%SZ)"
TMP="$(mktemp -d /tmp/splitroute-genreport.XXXXXX)"
STARTED_PIDS=()

# Stops one process this script started: TERM, then KILL after 5 s.
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ip netns exec "$NS" "$@"; }

# ---------------------------------------------------------------- tests and zones
if [ -z "$TESTS" ]; then
  TESTS="$("$GENREPORT" -L | awk '$2 == "EDNS" || $2 == "FULL" { print $1 }' | tr '\n' ' ')"
fi
read -r -a TEST_LIST <<< "$TESTS"
[ ${#TEST_LIST[@]} -gt 0 ] || die "no tests selected"
mkdir -p "$OUT" "$TMP/knot"

zone_of() { echo "t$1.$ZONE_SUFFIX"; }  # test index -> its zone

conf="$TMP/knot/knot.conf"
cat > "$conf" <<EOF
server:
    rundir: $TMP/knot
    listen: $KNOT_ADDR@53
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: $TMP/knot
log:
  - target: stderr
    any: notice
policy:
  - id: ecdsa
    algorithm: ecdsap256sha256
template:
  - id: default
    storage: $TMP/knot
    file: "%s.zone"
    journal-content: none
    zonefile-sync: -1
    dnssec-signing: on
    dnssec-policy: ecdsa
zone:
EOF
for i in "${!TEST_LIST[@]}"; do
  z="$(zone_of "$i")"
  echo "  - domain: $z" >> "$conf"
  cat > "$TMP/knot/$z.zone" <<EOF
\$ORIGIN $z.
\$TTL 3600
@    SOA  ns.$z. hostmaster.$z. 1 3600 600 86400 300
@    NS   ns
ns   A    $KNOT_ADDR
@    A    192.0.2.1
@    AAAA 2001:db8::1
www  A    192.0.2.2
EOF
done
cp "$conf" "$OUT/"

# ---------------------------------------------------------------- namespace and servers
ip netns add "$NS"
in_ns ip link set lo up
for a in "$KNOT_ADDR" "${ADDR[splitroute]}" "${ADDR[dnsmasq]}"; do in_ns ip addr add "$a/32" dev lo; done
log "namespace $NS; output in $OUT"

# True when the server at $1 answers NOERROR for the first test's zone (one short UDP try).
answers() {
  in_ns dig @"$1" +time=1 +tries=1 +noall +comments "$(zone_of 0)" SOA 2>/dev/null | grep -q 'status: NOERROR'
}
# Waits for the server at $1 (pid $2, name $3) to answer.
await() {
  local i
  for i in $(seq 1 $(( STARTUP_TIMEOUT * 10 ))); do
    answers "$1" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  tail -30 "$OUT/$3.log" >&2
  die "$3 (pid $2) did not answer on $1:53 within ${STARTUP_TIMEOUT}s"
}

in_ns knotd -c "$conf" > "$OUT/knot.log" 2>&1 &
STARTED_PIDS+=($!)
await "$KNOT_ADDR" $! knot
log "knot $(knotd -V | awk '{print $NF}') (pid ${STARTED_PIDS[-1]}) serves ${#TEST_LIST[@]} signed zones on $KNOT_ADDR"

start_splitroute() {
  local cfg="$OUT/splitroute.yaml"
  cat > "$cfg" <<EOF
listen: ["${ADDR[splitroute]}:53"]
upstreams:
  auth: ["udp://$KNOT_ADDR:53"]
default-upstream: auth
acl: ["192.0.2.0/24", "198.51.100.0/24", "127.0.0.0/8"]
admin: off
EOF
  [ -x "$JAVA_HOME/bin/java" ] || die "JAVA_HOME ($JAVA_HOME) has no bin/java; set JAVA_HOME to a JDK 25"
  if [ ! -f "$SPLITROUTE_JAR" ]; then
    log "building $SPLITROUTE_JAR (./mvnw -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
  fi
  in_ns "$JAVA_HOME/bin/java" -Xmx128m -XX:+UseSerialGC -jar "$SPLITROUTE_JAR" run --config "$cfg" \
    > "$OUT/splitroute.log" 2>&1 &
  SERVER_PID=$!
}
start_dnsmasq() {
  in_ns dnsmasq --keep-in-foreground --log-facility=- --conf-file=/dev/null --no-resolv --no-hosts \
    --pid-file= --user=root --bind-interfaces --listen-address="${ADDR[dnsmasq]}" --port=53 \
    --server="$KNOT_ADDR" > "$OUT/dnsmasq.log" 2>&1 &
  SERVER_PID=$!
}

# ---------------------------------------------------------------- runs
declare -A PASS FAIL FAILED   # [server.pass] -> count / "test=tags ..." list
for s in $SERVERS; do
  "start_$s"
  STARTED_PIDS+=("$SERVER_PID")
  await "${ADDR[$s]}" "$SERVER_PID" "$s"
  log "$s (pid $SERVER_PID) answers on ${ADDR[$s]}"
  for pass in fresh warm; do
    PASS[$s.$pass]=0 FAIL[$s.$pass]=0 FAILED[$s.$pass]=""
    for i in "${!TEST_LIST[@]}"; do
      t="${TEST_LIST[$i]}" z="$(zone_of "$i")"
      raw="$OUT/$s-$pass-$t.txt"
      echo "$z. ns.$z. ${ADDR[$s]}" | in_ns "$GENREPORT" -R -i "$t" > "$raw" 2>&1 || true
      # A report line reads "zone. @ns (addr): test=tag,tag ..."; pick this test's tags.
      tags="$(tr ' ' '\n' < "$raw" | awk -F= -v t="$t" '$1 == t { print $2; exit }')"
      if [[ ",$tags," == *,ok,* ]]; then  # "ok" may come with notes: nsid, expire, cookie, subnet
        PASS[$s.$pass]=$(( PASS[$s.$pass] + 1 ))
      else
        FAIL[$s.$pass]=$(( FAIL[$s.$pass] + 1 ))
        FAILED[$s.$pass]+=" $t=${tags:-no-report}"
      fi
    done
  done
  stop_pid "$SERVER_PID"
done

# ---------------------------------------------------------------- table
{
  echo "genreport -R, $(date -u '+%Y-%m-%d %H:%M UTC'): ${#TEST_LIST[@]} tests (EDNS and FULL groups);" \
    "upstream knot $(knotd -V | awk '{print $NF}') with signed zones"
  echo
  printf '%-12s %-6s %7s %7s\n' server cache passed failed
  for s in $SERVERS; do
    for pass in fresh warm; do
      printf '%-12s %-6s %7s %7s\n' "$s" "$pass" "${PASS[$s.$pass]}" "${FAIL[$s.$pass]}"
    done
  done
  for s in $SERVERS; do
    for pass in fresh warm; do
      [ -n "${FAILED[$s.$pass]}" ] || continue
      echo
      if [ "$pass" = warm ] && [ "${FAILED[$s.warm]}" = "${FAILED[$s.fresh]}" ]; then
        echo "$s, warm cache: the same failures as fresh"
        continue
      fi
      echo "$s, $pass cache, failed:"
      tr ' ' '\n' <<< "${FAILED[$s.$pass]}" | sed '/^$/d; s/^/  /'
    done
  done
  echo
  echo "raw output: $OUT"
} | tee "$OUT/table.txt"
