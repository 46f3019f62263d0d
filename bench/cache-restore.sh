#!/usr/bin/env bash
# cache-restore.sh: what reading a cache file of ENTRIES answers costs splitroute's start, with the restored
# addresses written to a real ipset, inside a network namespace this script creates and removes.
#
# What it does
#   1. Creates a network namespace sr-cache-<random> (lo up) with an ipset (hash:ip timeout 0) and starts
#      knotd in it: zone bench.test with knot's synthrecord module, so a-10-X-Y-Z.bench.test answers
#      A 10.X.Y.Z (TTL 3600): one address per name.
#   2. Fill: starts splitroute (the jar, with the shipped JVM flags from config/jvm.options) with a route for
#      bench.test writing to the set and cache: { persist: FILE }, asks ENTRIES distinct names with dnsperf
#      (each once), and stops it with SIGTERM, which writes the cache file.
#   3. ROUNDS times each, alternating: "restore" starts splitroute on the cache file (the set flushed first),
#      "empty" starts it with persist pointing to a file that does not exist. Each start is timed from the
#      launch to the log line "listening on" and to the first answer (dig every 20 ms); after the first
#      answer the set's entries are counted (restore: ENTRIES, written before listening; empty: 0). The
#      restore's own log lines give the time to read the file and the addresses written.
#   4. Prints a table (medians and each round); raw logs go to bench/out/cache-restore-<UTC timestamp>/.
#
# Usage (root: it creates a network namespace and an ipset; needs ip, nsenter, ipset, knotd, dnsperf, dig,
# a JDK 25)
#   bench/cache-restore.sh                 # ~1-2 minutes
#   ENTRIES=5000 ROUNDS=5 bench/cache-restore.sh
#
# Settings (environment variables, defaults in brackets)
#   ENTRIES [20000]   answers in the cache file;  ROUNDS [3] starts of each kind
#   FILL_QPS [4000]   dnsperf's rate while filling
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 if present]
#   SPLITROUTE_JAR [resolver/target/splitroute.jar; built with ./mvnw -DskipTests package when missing]
#   JVM_FLAGS [the flags of config/jvm.options]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENTRIES="${ENTRIES:-20000}"
ROUNDS="${ROUNDS:-3}"
FILL_QPS="${FILL_QPS:-4000}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"
JVM_FLAGS="${JVM_FLAGS:-$(grep -v '^#' "$ROOT/config/jvm.options" | grep . | tr '\n' ' ')}"
NS="sr-cache-$(printf '%04x%04x' $RANDOM $RANDOM)"
SET="c4-$(printf '%04x' $RANDOM)"
OUT="$ROOT/bench/out/cache-restore-$(date -u +%Y%m%dT%H%M%SZ)"
TMP="$(mktemp -d /tmp/splitroute-cache-bench.XXXXXX)"
STARTED_PIDS=()
NS_CREATED=0

log() { printf '[cache-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# Servers are started as "${IN_NS[@]}" CMD &: nsenter execs CMD, so $! is the server's own PID.
IN_NS=(nsenter --net="/run/netns/$NS" --)
nsx() { "${IN_NS[@]}" "$@"; }
now_ms() { date +%s%3N; }

# Stops one process this script started: TERM, then KILL after 15 s (a stop writes the cache file).
stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  if [ "$NS_CREATED" = 1 ]; then
    nsx ipset destroy "$SET" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || log "WARNING: could not delete netns $NS"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "needs root (creates a network namespace and an ipset inside it)"
for tool in ip nsenter ipset knotd dnsperf dig awk; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install iproute2 ipset knot dnsperf bind9-dnsutils)"
done
[ -x "$JAVA_HOME/bin/java" ] || die "JAVA_HOME ($JAVA_HOME) has no bin/java; set JAVA_HOME to a JDK 25"
if [ ! -f "$SPLITROUTE_JAR" ]; then
  log "building $SPLITROUTE_JAR (./mvnw -q -DskipTests package)"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
fi
mkdir -p "$OUT"

ip netns add "$NS" || die "ip netns add $NS failed"
NS_CREATED=1
nsx ip link set lo up
nsx ipset create "$SET" hash:ip family inet timeout 0 maxelem $((ENTRIES * 2))
entries() { nsx ipset list -t "$SET" | awk -F': ' '/^Number of entries/ { print $2 }'; }

# ---------------------------------------------------------------- upstream: knot, one address per name
KNOT_PORT=5300
PORT=5301
mkdir -p "$TMP/knot"
cat > "$TMP/knot/bench.test.zone" <<'EOF'
$ORIGIN bench.test.
$TTL 3600
@   SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 300
@   NS  ns
ns  A   192.0.2.53
EOF
cat > "$TMP/knot/knot.conf" <<EOF
server:
    rundir: $TMP/knot
    listen: 127.0.0.1@$KNOT_PORT
    background-workers: 1
database:
    storage: $TMP/knot
control:
    listen: $TMP/knot/knot.sock
log:
  - target: stderr
    any: notice
mod-synthrecord:
  - id: fwd
    type: forward
    prefix: a-
    ttl: 3600
    network: 10.0.0.0/8
template:
  - id: default
    storage: $TMP/knot
    file: "%s.zone"
    journal-content: none
    zonefile-sync: -1
zone:
  - domain: bench.test
    module: mod-synthrecord/fwd
EOF
"${IN_NS[@]}" "$(command -v knotd)" -c "$TMP/knot/knot.conf" > "$OUT/knot.log" 2>&1 &
STARTED_PIDS+=("$!")
for _ in $(seq 1 50); do
  nsx dig @127.0.0.1 -p "$KNOT_PORT" +time=1 +tries=1 +short a-10-0-0-1.bench.test A 2>/dev/null | grep -q 10.0.0.1 && break
  sleep 0.1
done

# The config of a start; $1: the cache file.
config() {
  cat <<EOF
listen: ["127.0.0.1:$PORT"]
upstreams: { knot: ["udp://127.0.0.1:$KNOT_PORT"] }
sets: { s4: { type: ipset, name: $SET } }
routes: [{ name: bench, domains: [bench.test], upstream: knot, sets: [s4], aaaa: drop }]
default-upstream: knot
admin: off
cache: { size: $((ENTRIES + 1000)), max-bytes: 64m, persist: "$1" }
EOF
}

# Starts splitroute on config $1 with its log in $2; sets SR_PID and LAUNCH_MS.
launch() {
  LAUNCH_MS="$(now_ms)"
  # shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
  "${IN_NS[@]}" "$JAVA_HOME/bin/java" $JVM_FLAGS -jar "$SPLITROUTE_JAR" run --config "$1" > "$2" 2>&1 &
  SR_PID=$!
  STARTED_PIDS+=("$SR_PID")
}

# Milliseconds from LAUNCH_MS to the first answer of the server (dig every 20 ms, at most 60 s).
first_answer_ms() {
  local deadline=$(( $(now_ms) + 60000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if nsx dig @127.0.0.1 -p "$PORT" +time=1 +tries=1 +short a-10-255-255-254.bench.test A 2>/dev/null | grep -q 10.255; then
      echo $(( $(now_ms) - LAUNCH_MS ))
      return
    fi
    sleep 0.02
  done
  die "no answer within 60 s; see $OUT"
}

# Milliseconds from LAUNCH_MS to the "listening on" line of log $1 (its HH:MM:SS.mmm, today's date, UTC or local as the log).
listening_ms() {
  local stamp
  stamp="$(grep -m1 'listening on' "$1" | awk '{print $1}')"
  [ -n "$stamp" ] || { echo "?"; return; }
  echo $(( $(date -d "$(date +%F) $stamp" +%s%3N) - LAUNCH_MS ))
}

# ---------------------------------------------------------------- fill
config "$TMP/cache.bin" > "$TMP/fill.yaml"
launch "$TMP/fill.yaml" "$OUT/fill.log"
first_answer_ms > /dev/null
awk -v n="$ENTRIES" 'BEGIN { for (i = 0; i < n; i++) printf "a-10-%d-%d-%d.bench.test A\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' > "$TMP/names.txt"
log "filling: $ENTRIES names at $FILL_QPS q/s"
nsx dnsperf -s 127.0.0.1 -p "$PORT" -d "$TMP/names.txt" -n 1 -Q "$FILL_QPS" -t 5 > "$OUT/fill-dnsperf.txt" 2>&1 || true
grep -E 'Queries (completed|lost)' "$OUT/fill-dnsperf.txt" >&2 || true
stop_pid "$SR_PID"
grep 'answers saved' "$OUT/fill.log" >&2 || die "no cache file written; see $OUT/fill.log"
cp "$TMP/cache.bin" "$TMP/cache.saved"
FILE_BYTES="$(stat -c %s "$TMP/cache.saved")"

# ---------------------------------------------------------------- timed starts
config "$TMP/cache.bin" > "$TMP/restore.yaml"
config "$TMP/none.bin" > "$TMP/empty.yaml"
ROWS=()
for r in $(seq 1 "$ROUNDS"); do
  for kind in restore empty; do
    nsx ipset flush "$SET"
    cp "$TMP/cache.saved" "$TMP/cache.bin"
    rm -f "$TMP/none.bin"
    launch "$TMP/$kind.yaml" "$OUT/$kind-$r.log"
    answer="$(first_answer_ms)"
    in_set="$(entries)"
    listen="$(listening_ms "$OUT/$kind-$r.log")"
    read_ms="$(grep -oE 'restored from .* in [0-9]+ ms' "$OUT/$kind-$r.log" | grep -oE '[0-9]+ ms$' | tr -d ' ms' || true)"
    stop_pid "$SR_PID"
    ROWS+=("$kind $r $listen $answer ${read_ms:--} $in_set")
    log "$kind round $r: listening after $listen ms, first answer after $answer ms, file read in ${read_ms:--} ms, $in_set in the set"
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }
{
  echo "cache file: $ENTRIES answers, $FILE_BYTES bytes; JVM flags: $JVM_FLAGS"
  printf '%-8s %-6s %-18s %-20s %-16s %s\n' start round "launch->listening" "launch->1st answer" "file read+parse" "set entries at 1st answer"
  for row in "${ROWS[@]}"; do
    # shellcheck disable=SC2086 # the row's fields
    printf '%-8s %-6s %-18s %-20s %-16s %s\n' $row
  done
  for kind in restore empty; do
    printf '%-8s %-6s %-18s %-20s\n' "$kind" median \
      "$(printf '%s\n' "${ROWS[@]}" | awk -v k="$kind" '$1 == k { print $3 }' | median) ms" \
      "$(printf '%s\n' "${ROWS[@]}" | awk -v k="$kind" '$1 == k { print $4 }' | median) ms"
  done
} | tee "$OUT/table.txt"
