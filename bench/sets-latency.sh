#!/usr/bin/env bash
# sets-latency.sh: what writing each answer's addresses to a kernel set costs a reply, splitroute vs
# dnsmasq's ipset= path, in one run, inside a network namespace this script creates and removes.
#
# What it does
#   1. Creates a network namespace sr-bench-<random> (lo up) and, inside it, two ipsets
#      (`hash:ip timeout 0`, pre-sized: see HASHSIZE/MAXELEM): s4-<rand> for splitroute, d4-<rand> for
#      dnsmasq. Nothing touches the host's sets or network. Everything below runs in it (nsenter --net,
#      which execs, so the PIDs kept are the servers' own), and the trap deletes it on exit.
#   2. Starts knotd on 127.0.0.1 in the namespace as the one shared upstream: zone bench.test with
#      knot's synthrecord module, so a-10-X-Y-Z.bench.test answers A 10.X.Y.Z (TTL 3600). Every name
#      has its own address, so the number of entries in a set proves how many answers were written.
#   3. Starts four servers (same cache size, same upstream, one route for bench.test with `aaaa: drop`):
#        sr-base  splitroute, the route WITHOUT sets          (baseline)
#        sr-sets  splitroute, the same route WITH sets: [s4]  (writes on every answer, cache hits too)
#        dm-base  dnsmasq without ipset=                      (baseline)
#        dm-sets  dnsmasq with ipset=/bench.test/d4-<rand>    (writes on upstream answers only)
#      Warm-up: every hit name twice, then 2 s chunks of new names as fast as it answers until the rate
#      stops improving (splitroute's JIT; at most WARMUP s). Then a CHECK s miss capacity check per
#      server at QPS: when some server cannot sustain QPS misses, the miss phases run at
#      MISS_QPS = half the slowest server's rate (said in the table): a miss costs the server several
#      times a hit's work, and near its capacity a miss phase measures the queue, not the write.
#   4. ROUNDS rounds; each runs, per server in turn (never two at once; base and sets alternate
#      which goes first from round to round), at a fixed rate with per-query times (dnsperf -Q -v):
#        hit   HIT_NAMES cached names repeated, DURATION s at QPS
#        miss  unique never-asked names (-n 1), DURATION s at MISS_QPS
#      Before each phase the server's set is flushed and after it `ipset list -t` is read: the entries
#      show the writes really happened (sr-sets: hit names + misses; dm-sets: misses only).
#      Then the paired phases, on sr-sets and dm-sets only: one dnsperf stream that interleaves names of
#      bench.test (the route with sets) and plain.test (a route without sets, same upstream: knot serves
#      both zones), hits (the hit names in both zones) and misses (new names alternating between the zones).
#      Both halves of a paired phase go through the same process at the same moments, so GC pauses and VM
#      stalls, which dominate the p99 of two separate processes, hit both halves alike: with - without is
#      the latency the set write adds to a reply. (The writes' CPU cost falls on both halves, so the
#      two-server rows above remain the whole-server view.)
#   5. Stops the servers, then runs the JMH SetWriterBenchmark briefly (ipsetBatched, ipsetRestoreCli:
#      raw writer, no DNS) and times `ipset restore -exist` of the same number of elements from the
#      shell (fresh insert and refresh) inside the namespace.
#   6. Prints a table: p50/p90/p99 per phase, added latency = sets - base (pooled over rounds, plus each
#      round's p50/p99 difference and their median), the same for the paired phases (with - without), set entries / answers per round, achieved rates,
#      splitroute's GC pauses and deadline warnings, writer throughput. Raw outputs (dnsperf per phase,
#      server logs and GC logs, configs, JMH output, table.txt) go to bench/out/sets-<UTC timestamp>/.
#
# Usage (root: it creates a network namespace and ipsets; needs ip, ipset, knotd, dnsmasq, dnsperf, dig,
# a JDK 25)
#   bench/sets-latency.sh                          # ~3 minutes
#   QPS=5000 DURATION=5 bench/sets-latency.sh      # another rate, longer phases
#   JMH=0 bench/sets-latency.sh                    # skip the JMH writer benchmark (~45 s)
#   SETS=nft bench/sets-latency.sh                 # nftables sets: splitroute nftset vs dnsmasq --nftset=
#
# Settings (environment variables, defaults in brackets)
#   QPS [10000]          fixed query rate of the hit phases and (if sustained) the miss phases (dnsperf -Q)
#   MISS_QPS [auto]      rate of the miss phases; auto = half the slowest server's rate in the check (which
#                        runs at QPS, so at most QPS/2)
#   DURATION [2]         seconds per measured phase;  ROUNDS [4] rounds (percentiles pool all rounds; short
#                        phases, many rounds: base and sets alternate often, so the machine's load drifts less
#                        between the two)
#   WARMUP [24]          at most this many seconds of warm-up per splitroute server: 2 s chunks of new names
#                        as fast as it answers, until two chunks in a row are not 10% faster than the best
#                        before them (its JIT needs 10-20 s of load on a busy 2-core machine).
#                        dnsmasq gets one 2 s chunk.
#   WARMUP_RATE [12000]  names per second in a warm-up chunk (a chunk ends early when they run out)
#   CHECK [2]            seconds of the miss capacity check at QPS per server (decides MISS_QPS=auto)
#   HIT_NAMES [1000]     names in the cache-hit set (asked as A; AAAA would be dropped by `aaaa: drop`)
#   CLIENTS [4]  OUTSTANDING [200]  THREADS [1]      dnsperf -c / -q / -T  (-t 2: lost after 2 s)
#   CACHE_SIZE [300000]  cache entries, all servers: more than the names of a run, so no server evicts
#                        (dnsmasq slows down a lot with a full cache, which would swamp the set cost)
#   SETS [ipset]         ipset: hash:ip sets, dnsmasq --ipset=;  nft: nftables sets (table inet srb, flags
#                        timeout), splitroute `type: nftset`, dnsmasq --nftset= (the OpenWrt fw4 way)
#   HASHSIZE [262144] MAXELEM [1048576]  of the ipsets: pre-sized, so no resize (rehash) during a phase
#                        (nft: MAXELEM is the set's size)
#   SET_WRITE_DEADLINE [50ms]  splitroute's set-write-deadline
#   JMH [1]              run the JMH writer benchmark (builds ipset-sink test classes + classpath if missing)
#   JMH_BENCH [ipsetBatched|ipsetRestoreCli; SETS=nft: nftBatched|nftCli]   which SetWriterBenchmark methods (add |batchingSingleAdd
#                        for the latency of one add through the batching writer, ~25 s more)
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 if present]
#   SPLITROUTE_JAR [resolver/target/splitroute.jar; built with ./mvnw -DskipTests package when missing]
#   SR_CACHE_SIZE [CACHE_SIZE]  splitroute's cache entries alone (e.g. 20000 to run it with the shipped heap flags;
#                        the hit names, asked more often, stay cached)
#   SPLITROUTE_JAVA_OPTS ["-Xmx512m -XX:+UseSerialGC"]  (heap for a cache of ~300 000 entries)
#   STARTUP_TIMEOUT [30] seconds to wait for a server's first answer
#
# Reading the table
#   All latencies are client-side (dnsperf), in microseconds, lower is better. "added" = sets - base of
#   the same server kind in the same run. dnsmasq writes to its ipset only for upstream answers, so only
#   its miss row has a write in it; its hit row is shown as a control (added should be ~0, i.e. noise).
#   On a shared machine, p99 is dominated by scheduling: compare the per-round differences, not one number.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QPS="${QPS:-10000}"
MISS_QPS="${MISS_QPS:-auto}"
DURATION="${DURATION:-2}"
ROUNDS="${ROUNDS:-4}"
WARMUP="${WARMUP:-24}"
WARMUP_RATE="${WARMUP_RATE:-12000}"
CHECK="${CHECK:-2}"
HIT_NAMES="${HIT_NAMES:-1000}"
CLIENTS="${CLIENTS:-4}"
OUTSTANDING="${OUTSTANDING:-200}"
THREADS="${THREADS:-1}"
CACHE_SIZE="${CACHE_SIZE:-300000}"
SR_CACHE_SIZE="${SR_CACHE_SIZE:-$CACHE_SIZE}"
HASHSIZE="${HASHSIZE:-262144}"
MAXELEM="${MAXELEM:-1048576}"
SET_WRITE_DEADLINE="${SET_WRITE_DEADLINE:-50ms}"
JMH="${JMH:-1}"
SETS="${SETS:-ipset}"
case "$SETS" in ipset | nft) ;; *) echo "SETS must be ipset or nft, not $SETS" >&2; exit 2 ;; esac
# The JMH methods that match the kind of set: the batched writer and the command-line tool it replaces.
if [ "$SETS" = nft ]; then JMH_WRITER=nftBatched JMH_CLI=nftCli; else JMH_WRITER=ipsetBatched JMH_CLI=ipsetRestoreCli; fi
JMH_BENCH="${JMH_BENCH:-$JMH_WRITER|$JMH_CLI}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-30}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME="${JAVA_HOME:-}"
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"
SPLITROUTE_JAVA_OPTS="${SPLITROUTE_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}"

RAND="$(printf '%04x%04x' $RANDOM $RANDOM)"
NS="sr-bench-$RAND"
SET_SR="s4-$RAND"
SET_DM="d4-$RAND"
OUT="$ROOT/bench/out/sets-$(date -u +%Y%m%dT%H%M%SZ)"
TMP="$(mktemp -d /tmp/splitroute-sets-bench.XXXXXX)"
STARTED_PIDS=()
NS_CREATED=0

log() { printf '[sets-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# Runs a command in the namespace. Servers are started as "${IN_NS[@]}" CMD & instead (not through a
# function, which would put a subshell between): nsenter execs CMD, so $! is the server's own PID.
IN_NS=(nsenter --net="/run/netns/$NS" --)
nsx() { "${IN_NS[@]}" "$@"; }
# Dies unless PID $1 runs program $2 (so stop_pid signals the server, not a wrapper).
check_pid() {
  sleep 0.2
  [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(readlink -f "$2")" ] \
    || die "pid $1 is $(readlink "/proc/$1/exe" 2>/dev/null || echo gone), not $2"
}

# Stops one process this script started: TERM, then KILL after 5 s.
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  if [ "$NS_CREATED" = 1 ]; then
    # The sets live in the namespace and go with it; destroy them first anyway (tidy, and visible errors).
    if [ "$SETS" = nft ]; then
      nsx nft delete table inet srb 2>/dev/null || true
    else
      nsx ipset destroy "$SET_SR" 2>/dev/null || true
      nsx ipset destroy "$SET_DM" 2>/dev/null || true
    fi
    ip netns del "$NS" 2>/dev/null || log "WARNING: could not delete netns $NS"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "needs root (creates a network namespace and ipsets inside it)"
for tool in ip nsenter ipset nft knotd dnsmasq dnsperf dig awk; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install iproute2 ipset nftables knot dnsmasq-base dnsperf bind9-dnsutils)"
done
DNSMASQ="$(command -v dnsmasq)"
KNOTD="$(command -v knotd)"
[ -x "$JAVA_HOME/bin/java" ] || die "JAVA_HOME ($JAVA_HOME) has no bin/java; set JAVA_HOME to a JDK 25"
if [ ! -f "$SPLITROUTE_JAR" ]; then
  log "building $SPLITROUTE_JAR (./mvnw -q -DskipTests package)"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
fi
mkdir -p "$OUT"

# ---------------------------------------------------------------- namespace and sets
ip netns add "$NS" || die "ip netns add $NS failed"
NS_CREATED=1
nsx ip link set lo up
if [ "$SETS" = nft ]; then
  nsx nft add table inet srb
  for s in "$SET_SR" "$SET_DM"; do
    nsx nft add set inet srb "$s" "{ type ipv4_addr; flags timeout; size $MAXELEM; }"
  done
  log "netns $NS with nftables sets inet srb $SET_SR (splitroute) and $SET_DM (dnsmasq); output in $OUT"
  # Number of elements of set $1 (each is one address; dnsmasq's carry no timeout, splitroute's do).
  entries() { nsx nft list set inet srb "$1" | { grep -oE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' || true; } | wc -l; }
  flush_set() { nsx nft flush set inet srb "$1"; }
else
  for s in "$SET_SR" "$SET_DM"; do
    nsx ipset create "$s" hash:ip family inet timeout 0 hashsize "$HASHSIZE" maxelem "$MAXELEM"
  done
  log "netns $NS with ipsets $SET_SR (splitroute) and $SET_DM (dnsmasq); output in $OUT"
  # Number of entries of ipset $1 in the namespace.
  entries() { nsx ipset list -t "$1" | awk -F': ' '/^Number of entries/ { print $2 }'; }
  flush_set() { nsx ipset flush "$1"; }
fi

# True when the server on port $1 answers NOERROR for a name of the zone (one short UDP try).
answers() {
  nsx dig @127.0.0.1 -p "$1" +time=1 +tries=1 +noall +comments "a-10-255-255-254.bench.test" A 2>/dev/null \
    | grep -q 'status: NOERROR'
}

# ---------------------------------------------------------------- upstream: knot, one address per name
# The namespace is ours: nothing else listens in it, so fixed ports are free.
KNOT_PORT=5300
declare -A PORT=([sr-base]=5301 [sr-sets]=5302 [dm-base]=5303 [dm-sets]=5304)
mkdir -p "$TMP/knot"
cat > "$TMP/knot/bench.test.zone" <<'EOF'
$ORIGIN bench.test.
$TTL 3600
@   SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 300
@   NS  ns
ns  A   192.0.2.53
EOF
# plain.test: the same synthesised names, for the route without sets of the paired phases.
sed 's/bench\.test\./plain.test./g' "$TMP/knot/bench.test.zone" > "$TMP/knot/plain.test.zone"
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
  - domain: plain.test
    module: mod-synthrecord/fwd
EOF
cp "$TMP/knot/knot.conf" "$TMP/knot/bench.test.zone" "$OUT/"
"${IN_NS[@]}" "$KNOTD" -c "$TMP/knot/knot.conf" > "$OUT/knot.log" 2>&1 &
KNOT_PID=$!
STARTED_PIDS+=("$KNOT_PID")
check_pid "$KNOT_PID" "$KNOTD"
for i in $(seq 1 100); do answers "$KNOT_PORT" && break; sleep 0.1; done
answers "$KNOT_PORT" || { tail -20 "$OUT/knot.log" >&2; die "knotd did not answer on 127.0.0.1:$KNOT_PORT in $NS"; }
log "knot (pid $KNOT_PID) answers a-10-X-Y-Z.bench.test with A 10.X.Y.Z"

# ---------------------------------------------------------------- query files
# Each file gets its own block of addresses (counter -> 10.X.Y.Z), so no name is asked twice across the run
# (except the hit names, on purpose). Block 0: hit names; then warm-up, then one block per round.
NEXT_ADDR=1
# names FILE COUNT: COUNT new names into FILE.
names() {
  awk -v first="$NEXT_ADDR" -v n="$2" 'BEGIN { for (i = first; i < first + n; i++)
    printf "a-10-%d-%d-%d.bench.test A\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' > "$1"
  NEXT_ADDR=$(( NEXT_ADDR + $2 ))
  (( NEXT_ADDR < 16000000 )) || die "out of addresses in 10.0.0.0/8; lower QPS, DURATION or ROUNDS"
}
names "$TMP/hit.txt" "$HIT_NAMES"
# Paired phases: the hit names in bench.test (route with sets) and the same names in plain.test (route
# without), interleaved; and per round unique names alternating between the two zones.
awk '{ print; n = $1; sub(/bench\.test$/, "plain.test", n); print n, $2 }' "$TMP/hit.txt" > "$TMP/pairhit.txt"
pair_names() {  # FILE COUNT: COUNT new names, every second one in plain.test
  names "$1.tmp" "$2"
  awk 'NR % 2 == 0 { sub(/bench\.test /, "plain.test ") } { print }' "$1.tmp" > "$1"; rm -f "$1.tmp"
}
# Misses may run below QPS, never above: QPS * time names are always enough (+10% for dnsperf's burst).
for s in sr-base sr-sets dm-base dm-sets; do
  names "$TMP/check-$s.txt" $(( QPS * CHECK * 11 / 10 ))
done
for r in $(seq 1 "$ROUNDS"); do
  for s in sr-base sr-sets dm-base dm-sets; do
    names "$TMP/miss-$s-$r.txt" $(( QPS * DURATION * 11 / 10 ))
  done
  for s in sr-sets dm-sets; do
    pair_names "$TMP/pairmiss-$s-$r.txt" $(( QPS * DURATION * 11 / 10 ))
  done
done

# ---------------------------------------------------------------- servers
splitroute_config() {  # name port with_sets
  local cfg="$TMP/$1.yaml" sets_yaml="" route_sets=""
  if [ "$3" = 1 ]; then
    sets_yaml="sets:
  s4: $(if [ "$SETS" = nft ]; then echo "{ type: nftset, table: \"inet srb\", name: $SET_SR, family: inet }"; else echo "{ type: ipset, name: $SET_SR, family: inet }"; fi)"
    route_sets=", sets: [s4]"
  fi
  cat > "$cfg" <<EOF
listen: ["127.0.0.1:$2"]
upstreams:
  bench: ["udp://127.0.0.1:$KNOT_PORT"]
$sets_yaml
routes:
  - { name: tunnel, domains: [bench.test], upstream: bench$route_sets, aaaa: drop }
  - { name: plain, domains: [plain.test], upstream: bench, aaaa: drop }
default-upstream: bench
set-write-deadline: $SET_WRITE_DEADLINE
cache: { size: $SR_CACHE_SIZE, min-ttl: 0, max-ttl: 86400 }
admin: { listen: "127.0.0.1:$(( $2 + 1000 ))" }
acl: ["127.0.0.0/8", "::1/128"]
EOF
  cp "$cfg" "$OUT/"
  echo "$cfg"
}

launch() {  # server
  local s="$1" port="${PORT[$1]}" cfg
  case "$s" in
    sr-base | sr-sets)
      cfg="$(splitroute_config "$s" "$port" "$([ "$s" = sr-sets ] && echo 1 || echo 0)")"
      # shellcheck disable=SC2086 # SPLITROUTE_JAVA_OPTS is a list of flags
      "${IN_NS[@]}" "$JAVA_HOME/bin/java" $SPLITROUTE_JAVA_OPTS "-Xlog:gc:file=$OUT/$s-gc.log" -jar "$SPLITROUTE_JAR" run --config "$cfg" \
        > "$OUT/$s.log" 2>&1 &
      ;;
    dm-base | dm-sets)
      local extra=()
      if [ "$s" = dm-sets ] && [ "$SETS" = nft ]; then
        extra=(--nftset="/bench.test/4#inet#srb#$SET_DM")
      elif [ "$s" = dm-sets ]; then
        extra=(--ipset="/bench.test/$SET_DM")
      fi
      # Same shape as splitroute's: one upstream, bench.test routed to it (the sets variant adds ipset=).
      # --dns-forward-max: the default 150 queries in flight drops misses at this rate.
      "${IN_NS[@]}" "$DNSMASQ" --keep-in-foreground --log-facility=- --conf-file=/dev/null --no-resolv --no-hosts \
        --pid-file= --user=root --bind-interfaces --listen-address=127.0.0.1 --port="$port" \
        --server="/bench.test/127.0.0.1#$KNOT_PORT" --server="/plain.test/127.0.0.1#$KNOT_PORT" \
        --server="127.0.0.1#$KNOT_PORT" \
        --cache-size="$CACHE_SIZE" --dns-forward-max=1000 "${extra[@]}" > "$OUT/$s.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
}

declare -A PID R
SERVERS=(sr-base sr-sets dm-base dm-sets)
for s in "${SERVERS[@]}"; do  # one at a time: a JVM starting beside another skews nothing we measure, but is slow
  launch "$s"
  STARTED_PIDS+=("$SERVER_PID")
  case "$s" in sr-*) check_pid "$SERVER_PID" "$JAVA_HOME/bin/java" ;; *) check_pid "$SERVER_PID" "$DNSMASQ" ;; esac
  ok=0
  for i in $(seq 1 $(( STARTUP_TIMEOUT * 20 ))); do
    if answers "${PORT[$s]}"; then ok=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  [ "$ok" = 1 ] || { tail -30 "$OUT/$s.log" >&2; die "$s (pid $SERVER_PID) did not answer on 127.0.0.1:${PORT[$s]}"; }
  PID[$s]=$SERVER_PID
  log "$s (pid $SERVER_PID) answers on 127.0.0.1:${PORT[$s]} in $NS"
done

# Runs dnsperf (in the namespace) against server $2 with file $3 and extra flags; output in $OUT/$1.txt.
perf() {
  local name="$1" s="$2" file="$3"; shift 3
  nsx dnsperf -s 127.0.0.1 -p "${PORT[$s]}" -d "$file" -c "$CLIENTS" -T "$THREADS" -q "$OUTSTANDING" -t 2 "$@" \
    > "$OUT/$name.txt" 2>&1 || { tail -5 "$OUT/$name.txt" >&2; die "dnsperf $name failed"; }
}
# Value after "$2" on dnsperf's summary in $OUT/$1.txt (first number).
summary() { awk -v k="$2" 'index($0, k) { sub(".*" k "[ \t]*", ""); print $1 + 0; exit }' "$OUT/$1.txt"; }
# Saves the per-query latencies of dnsperf -v output $OUT/$1.txt (lines "> RCODE name type secs"), in
# whole µs, sorted, as $TMP/lat-$1 (sorted once per phase, so the table only merges).
save_latencies() { awk '$1 == ">" { printf "%d\n", $NF * 1000000 + 0.5 }' "$OUT/$1.txt" | sort -n > "$TMP/lat-$1"; }
# For a paired phase: the same, split by zone into $TMP/lat-$1.sets (bench.test, route with sets) and
# $TMP/lat-$1.plain (plain.test, route without).
save_pair_latencies() {
  awk -v out="$TMP/lat-$1" '$1 == ">" { f = out ($3 ~ /plain\.test\.?$/ ? ".plain" : ".sets"); printf "%d\n", $NF * 1000000 + 0.5 > f }' "$OUT/$1.txt"
  sort -n -o "$TMP/lat-$1.sets" "$TMP/lat-$1.sets"; sort -n -o "$TMP/lat-$1.plain" "$TMP/lat-$1.plain"
}
# The sorted latencies of the phases named, merged.
latencies() { local f files=(); for f in "$@"; do files+=("$TMP/lat-$f"); done; sort -m -n "${files[@]}"; }
# "p50 p90 p99 count" in µs of the sorted numbers on stdin.
pct() {
  awk '{ v[NR] = $1 } END { if (NR == 0) { print "- - - 0"; exit }
    i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i90 = int(NR * 0.90); if (i90 < 1) i90 = 1
    i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
    printf "%.0f %.0f %.0f %d\n", v[i50], v[i90], v[i99], NR }'
}
set_of() { case "$1" in sr-sets) echo "$SET_SR" ;; dm-sets) echo "$SET_DM" ;; *) echo "" ;; esac; }

# ---------------------------------------------------------------- warm-up and capacity check
for s in "${SERVERS[@]}"; do
  # Caches the hit names (and writes them to the set); twice, so a query lost the first time is not
  # left to be a miss (and a write, for dnsmasq) in the hit phase.
  perf "$s-warmup-hits" "$s" "$TMP/pairhit.txt" -n 2
  best=0 rates="" chunk=0 flat=0 max_chunks=$(( WARMUP / 2 ))
  case "$s" in dm-*) max_chunks=1 ;; esac
  while (( chunk < max_chunks )); do
    chunk=$(( chunk + 1 ))
    names "$TMP/warm-$s-$chunk.txt" $(( WARMUP_RATE * 2 ))
    perf "$s-warmup-$chunk" "$s" "$TMP/warm-$s-$chunk.txt" -n 1 -l 2
    rate=$(summary "$s-warmup-$chunk" "Queries per second:")
    rates="$rates $(printf '%.0f' "$rate")"
    # Warm when two chunks in a row are not 10% faster than the best before them.
    if awk -v r="$rate" -v b="$best" 'BEGIN { exit !(r < b * 1.1) }'; then flat=$(( flat + 1 )); else flat=0; fi
    if (( chunk >= 3 && flat >= 2 )); then break; fi
    best=$(awk -v r="$rate" -v b="$best" 'BEGIN { print (r > b ? r : b) }')
  done
  R[$s.warm]="${rates# }"
  log "$s: warm-up misses/s per 2 s chunk:$rates"
done
# Capacity: CHECK s of new names at QPS per server, warm (a cold JVM's first seconds say nothing).
for s in "${SERVERS[@]}"; do
  log "$s: miss capacity check (${CHECK}s of new names at $QPS/s)"
  perf "$s-check" "$s" "$TMP/check-$s.txt" -n 1 -l "$CHECK" -Q "$QPS"
  R[$s.check_qps]=$(summary "$s-check" "Queries per second:")
done
if [ "$MISS_QPS" = auto ]; then
  slowest=$(for s in "${SERVERS[@]}"; do echo "${R[$s.check_qps]}"; done | sort -g | head -1)
  MISS_QPS=$(awk -v a="$slowest" 'BEGIN { v = int(a * 0.5 / 500) * 500; print (v < 500 ? 500 : v) }')
  MISS_NOTE="misses at $MISS_QPS q/s: half the slowest server's $(printf '%.0f' "$slowest") q/s of misses in the ${CHECK}s check at $QPS q/s (same rate for all, so the queue stays short)"
else
  MISS_NOTE="misses at $MISS_QPS q/s (MISS_QPS set)"
fi
log "$MISS_NOTE"
# dnsmasq with a full cache slows down a lot (and stopped answering misses in a 6 x 6 s run): say so early.
names_dm=$(( HIT_NAMES * 2 + WARMUP_RATE * 2 + QPS * CHECK * 11 / 10 + ROUNDS * MISS_QPS * DURATION * 2 ))
if (( names_dm > CACHE_SIZE )); then
  log "WARNING: dm-sets will be asked ~$names_dm names, more than CACHE_SIZE=$CACHE_SIZE: its cache fills and its last rounds measure that; raise CACHE_SIZE"
fi

# ---------------------------------------------------------------- measured rounds
# Runs phase $1 (hit|miss) of round $2 on server $3: flush its set, dnsperf, read the set's entries.
measure() {
  local p="$1" r="$2" s="$3" st file rate flags=()
  st="$(set_of "$s")"
  if [ -n "$st" ]; then flush_set "$st"; fi
  if [ "$s" = sr-sets ]; then write_buckets > "$TMP/$s-$p-$r.before"; fi
  case "$p" in
    hit) file="$TMP/hit.txt" rate=$QPS ;;
    miss) file="$TMP/miss-$s-$r.txt" rate=$MISS_QPS flags=(-n 1) ;;
    pairhit) file="$TMP/pairhit.txt" rate=$QPS ;;
    pairmiss) file="$TMP/pairmiss-$s-$r.txt" rate=$MISS_QPS flags=(-n 1) ;;
  esac
  log "round $r: $s $p at $rate q/s for ${DURATION}s"
  perf "$s-$p-$r" "$s" "$file" -l "$DURATION" -Q "$rate" -v "${flags[@]}"
  case "$p" in pair*) save_pair_latencies "$s-$p-$r" ;; *) save_latencies "$s-$p-$r" ;; esac
  R[$s.$p.$r.entries]=$(if [ -n "$st" ]; then entries "$st"; else echo -; fi)
  R[$s.$p.$r.qps]=$(summary "$s-$p-$r" "Queries per second:")
  R[$s.$p.$r.done]=$(summary "$s-$p-$r" "Queries completed:")
  R[$s.$p.$r.lost]=$(summary "$s-$p-$r" "Queries lost:")
  if [ "$s" = sr-sets ]; then
    write_buckets | join "$TMP/$s-$p-$r.before" - | awk '{ print $1, $3 - $2 }' > "$OUT/$s-$p-$r.writes"
  fi
}
# sr-sets's histogram of how long a reply waited for its set write (dns.set.write.latency), from its
# /metrics: "upper-bound-seconds cumulative-count" lines, sorted for join.
write_buckets() {
  nsx curl -sf "http://127.0.0.1:$(( ${PORT[sr-sets]} + 1000 ))/metrics" \
    | awk -F'le="' '/^dns_set_write_latency_seconds_bucket/ { split($2, a, "\""); n = split($0, f, " "); print a[1], f[n] + 0 }' \
    | sort -k1,1
}
# "p50 p99 within-200µs%" from the summed bucket deltas of phases $@ ($OUT/NAME.writes): the bucket
# upper bounds (µs) holding the 50th and 99th percentile write, and the share written within 200 µs.
write_pct() {
  local f
  for f in "$@"; do cat "$OUT/$f.writes"; done | awk '{ c[$1] += $2 } END {
    n = 0; for (b in c) { bs[++n] = b } 
    # sort the bounds numerically (+Inf last)
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (val(bs[j]) < val(bs[i])) { t = bs[i]; bs[i] = bs[j]; bs[j] = t }
    total = c[bs[n]]; if (total == 0) { print "- - -"; exit }
    p50 = p99 = "-"
    for (i = 1; i <= n; i++) {
      if (p50 == "-" && c[bs[i]] >= total * 0.50) p50 = us(bs[i])
      if (p99 == "-" && c[bs[i]] >= total * 0.99) p99 = us(bs[i])
      if (val(bs[i]) == 0.0002) w = c[bs[i]]
    }
    printf "%s %s %.2f%%\n", p50, p99, 100 * w / total }
    function val(b) { return b == "+Inf" ? 1e9 : b + 0 }
    function us(b) { return b == "+Inf" ? ">100000" : "<=" sprintf("%.0f", b * 1e6) }'
}
for r in $(seq 1 "$ROUNDS"); do
  for p in hit miss; do
    # base and sets alternate which goes first, so a load change within a round does not favour one.
    if (( r % 2 )); then order=(sr-base sr-sets dm-base dm-sets); else order=(sr-sets sr-base dm-sets dm-base); fi
    for s in "${order[@]}"; do measure "$p" "$r" "$s"; done
  done
  # Paired: one server, answers on the route with sets interleaved with answers on the route without.
  for p in pairhit pairmiss; do
    if (( r % 2 )); then order=(sr-sets dm-sets); else order=(dm-sets sr-sets); fi
    for s in "${order[@]}"; do measure "$p" "$r" "$s"; done
  done
done

for s in "${SERVERS[@]}"; do
  R[$s.rss]=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/${PID[$s]}/status" 2>/dev/null || echo -)
done
for s in "${SERVERS[@]}"; do stop_pid "${PID[$s]}"; done
# splitroute counts a missed deadline or a failed write with a (throttled) warning in its log.
R[sr.deadline_warn]=$(grep -c 'did not acknowledge within the deadline' "$OUT/sr-sets.log" || true)
R[sr.error_warn]=$(grep 'SetWriteStage: set s4: ' "$OUT/sr-sets.log" | grep -vc 'within the deadline' || true)
R[dm.errors]=$(grep -ci "$SETS" "$OUT/dm-sets.log" || true)

# ---------------------------------------------------------------- raw writer throughput
# ipset restore of the same number of elements as one JMH batch, from the shell, in the namespace:
# into an empty set (insert) and again (refresh, -exist), process start included.
RESTORE_N=10000
RSET="r4-$RAND"
R[restore.insert]=- R[restore.refresh]=- R[restore.entries]=-
if [ "$SETS" = ipset ]; then
  awk -v n="$RESTORE_N" -v s="$RSET" 'BEGIN { for (i = 1; i <= n; i++)
    printf "add %s 10.200.%d.%d timeout 3600\n", s, int(i / 256), i % 256 }' > "$TMP/restore.txt"
  nsx ipset create "$RSET" hash:ip family inet timeout 0 hashsize 16384
  t0=$(date +%s%N); nsx ipset restore -exist < "$TMP/restore.txt"; t1=$(date +%s%N)
  nsx ipset restore -exist < "$TMP/restore.txt"; t2=$(date +%s%N)
  R[restore.insert]=$(awk -v n="$RESTORE_N" -v ns=$(( t1 - t0 )) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
  R[restore.refresh]=$(awk -v n="$RESTORE_N" -v ns=$(( t2 - t1 )) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
  R[restore.entries]=$(entries "$RSET")
  nsx ipset destroy "$RSET"
fi

JMH_NOTE="not run (JMH=0)"
if [ "$JMH" = 1 ]; then
  CP_FILE="$ROOT/ipset-sink/target/cp.txt"
  if [ ! -f "$CP_FILE" ] || [ ! -d "$ROOT/ipset-sink/target/test-classes" ]; then
    log "building ipset-sink test classes and classpath for JMH"
    (cd "$ROOT" && ./mvnw -q -B -pl ipset-sink test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test) > "$OUT/jmh-build.log" 2>&1 \
      || die "JMH build failed (see $OUT/jmh-build.log)"
  fi
  log "JMH SetWriterBenchmark.($JMH_BENCH) -f 1 -wi 1 -w 2s -i 3 -r 2s"
  # The benchmark creates and removes its own namespace. JMH refuses to start while another JMH run
  # holds /tmp/jmh.lock: wait up to 2 minutes for it rather than ignoring the lock.
  for try in $(seq 1 12); do
    (cd "$ROOT" && "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
      -cp "ipset-sink/target/test-classes:ipset-sink/target/classes:$(cat "$CP_FILE")" org.openjdk.jmh.Main \
      'SetWriterBenchmark.('"$JMH_BENCH"')$' -f 1 -wi 1 -w 2s -i 3 -r 2s \
      -rf json -rff "$OUT/jmh.json") > "$OUT/jmh.txt" 2>&1 && break
    grep -qi 'lock' "$OUT/jmh.txt" || break
    log "another JMH run holds /tmp/jmh.lock; waiting 10 s"; sleep 10
  done
  if [ -s "$OUT/jmh.json" ] && command -v jq >/dev/null; then
    jmh() { jq -r --arg b "$1" --arg k "$2" '.[] | select(.benchmark | endswith("." + $b))
      | if $k == "score" then .primaryMetric.score else .primaryMetric.scorePercentiles[$k] end
      | . * 10 | round / 10' "$OUT/jmh.json"; }
    jmh_rng() { jq -r --arg b "$1" '.[] | select(.benchmark | endswith("." + $b))
      | .primaryMetric.rawData[0] | map(round) | join(", ")' "$OUT/jmh.json"; }
    R[jmh.batched]=$(jmh "$JMH_WRITER" score); R[jmh.batched_it]=$(jmh_rng "$JMH_WRITER")
    R[jmh.restore]=$(jmh "$JMH_CLI" score)
    R[jmh.single50]=$(jmh batchingSingleAdd 50.0); R[jmh.single99]=$(jmh batchingSingleAdd 99.0)
    JMH_NOTE="ran"
  else
    JMH_NOTE="FAILED, see $OUT/jmh.txt"
  fi
fi

# ---------------------------------------------------------------- table
rounds_list() { local s="$1" p="$2" r; for r in $(seq 1 "$ROUNDS"); do echo "$s-$p-$r"; done; }
# "N pauses, max X ms, total Y ms" from splitroute's GC log.
gc_pauses() { awk '/Pause/ { v = $NF; sub(/ms$/, "", v); v += 0; n++; t += v; if (v > m) m = v }
  END { printf "%d pauses, max %.1f ms, total %.0f ms", n, m, t }' "$OUT/$1-gc.log" 2>/dev/null || echo "-"; }
median() { printf '%s\n' "$@" | grep -E '^[-+]?[0-9]' | sort -g | awk '{ v[NR] = $1 } END {
  if (NR == 0) print "-"; else if (NR % 2) printf "%+.0f", v[(NR + 1) / 2]; else printf "%+.0f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
num() { awk -v v="$1" 'BEGIN { if (v ~ /^-?[0-9.]+$/) printf "%.0f", v; else printf "%s", v }'; }
diff_() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) print "-"; else printf "%+.0f", a - b }'; }
# The row label of server kind $1 (sr|dm) and phase $2 (hit|miss).
row_label() {
  if [ "$1/$2" = dm/hit ]; then echo "dnsmasq hit (no write)"; else echo "$([ "$1" = sr ] && echo splitroute || echo dnsmasq) $2"; fi
}
# Prints a table row labelled $1: pooled p50/p90/p99 of the phases named in $2 (without the write) and $3
# (with it; space-separated names) and the differences; leaves the two p99s in ROW_B99 and ROW_S99.
pooled_row() {
  local b50 b90 b99 s50 s90 s99
  read -r b50 b90 b99 _ < <(latencies $2 | pct)
  read -r s50 s90 s99 _ < <(latencies $3 | pct)
  printf "$fmt" "$1" "$b50" "$s50" "$(diff_ "$s50" "$b50")" "$b90" "$s90" "$(diff_ "$s90" "$b90")" \
    "$b99" "$s99" "$(diff_ "$s99" "$b99")"
  ROW_B99=$b99 ROW_S99=$s99
}
# "d50 d99": p50 and p99 of phase $2 (with the write) minus those of phase $1 (without).
round_diff() {
  local b50 b99 s50 s99
  read -r b50 _ b99 _ < <(latencies "$1" | pct)
  read -r s50 _ s99 _ < <(latencies "$2" | pct)
  echo "$(diff_ "$s50" "$b50") $(diff_ "$s99" "$b99")"
}
{
  echo "kernel-set write cost per reply ($SETS sets), splitroute vs dnsmasq --$SETS$([ "$SETS" = nft ] && echo set)=, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r)"
  echo "in netns $NS; upstream knot $("$KNOTD" -V | awk '{print $NF}') (synthrecord, one address per name); dnsperf -c $CLIENTS -q $OUTSTANDING -T $THREADS -v;" \
    "$ROUNDS rounds x ${DURATION}s per phase; cache $CACHE_SIZE (splitroute $SR_CACHE_SIZE); sets $(if [ "$SETS" = nft ]; then echo "nft inet srb, flags timeout, size $MAXELEM"; else echo "hash:ip timeout 0 hashsize $HASHSIZE"; fi)"
  echo "splitroute: java $SPLITROUTE_JAVA_OPTS -jar $(basename "$SPLITROUTE_JAR"), set-write-deadline $SET_WRITE_DEADLINE;  dnsmasq: $("$DNSMASQ" -v | head -1 | awk '{print $3}')"
  echo "hits at $QPS q/s; $MISS_NOTE"
  echo
  echo "latency per query in µs (client side, dnsperf -v, all rounds pooled); added = sets - base"
  fmt='%-23s %7s %7s %7s   %7s %7s %7s   %8s %8s %8s\n'
  printf "$fmt" phase base-p50 sets-p50 added base-p90 sets-p90 added base-p99 sets-p99 added
  rounds_text=""
  for kind in sr dm; do
    for p in hit miss; do
      label="$(row_label "$kind" "$p")"
      pooled_row "$label" "$(rounds_list "$kind-base" "$p")" "$(rounds_list "$kind-sets" "$p")"
      R[$kind.$p.b99]=$ROW_B99; R[$kind.$p.s99]=$ROW_S99
      line="$(printf '  %-23s' "$label")" d50s="" d99s=""
      for r in $(seq 1 "$ROUNDS"); do
        read -r d50 d99 < <(round_diff "$kind-base-$p-$r" "$kind-sets-$p-$r")
        d50s="$d50s $d50" d99s="$d99s $d99"
        # "!": base or sets fell 3% short of the phase's rate in this round (a load spike or a queue)
        mark=""
        if [ "$p" = hit ]; then target=$QPS; else target=$MISS_QPS; fi
        for x in base sets; do
          if awk -v a="${R[$kind-$x.$p.$r.qps]}" -v t="$target" 'BEGIN { exit !(a < t * 0.97) }'; then mark="!"; fi
        done
        line="$line $d50/$d99$mark (${R[$kind-sets.$p.$r.entries]}/${R[$kind-sets.$p.$r.done]})"
      done
      line="$line  median $(median $d50s)/$(median $d99s)"
      rounds_text="$rounds_text$line"$'\n'
    done
  done
  echo
  echo "per round: added p50/p99 in µs, ! = a server fell >3% short of the rate (entries in the set after the phase / answers):"
  printf '%s' "$rounds_text"
  echo
  echo "paired, one server at a time: its answers on the route WITH sets (bench.test) vs on a route WITHOUT (plain.test),"
  echo "interleaved in one dnsperf stream at the same total rate, so both halves share every GC pause and VM stall;"
  echo "added = with - without (all rounds pooled; per round p50/p99 and their median). Set writes' CPU cost falls on both halves."
  printf "$fmt" phase plain-p50 sets-p50 added plain-p90 sets-p90 added plain-p99 sets-p99 added
  pair_rounds=""
  for kind in sr dm; do
    for p in hit miss; do
      pairs=(); for r in $(seq 1 "$ROUNDS"); do pairs+=("$kind-sets-pair$p-$r"); done
      label="$(row_label "$kind" "$p")"
      pooled_row "$label" "${pairs[*]/%/.plain}" "${pairs[*]/%/.sets}"
      R[$kind.pair$p.added99]=$(diff_ "$ROW_S99" "$ROW_B99")
      line="$(printf '  %-23s' "$label")" d50s="" d99s=""
      for r in $(seq 1 "$ROUNDS"); do
        read -r d50 d99 < <(round_diff "$kind-sets-pair$p-$r.plain" "$kind-sets-pair$p-$r.sets")
        d50s="$d50s $d50" d99s="$d99s $d99"
        line="$line $d50/$d99 (${R[$kind-sets.pair$p.$r.entries]}/${R[$kind-sets.pair$p.$r.done]})"
      done
      R[$kind.pair$p.median99]=$(median $d99s)
      pair_rounds="$pair_rounds$line  median $(median $d50s)/$(median $d99s)"$'\n'
    done
  done
  echo "per round: added p50/p99 in µs (entries in the set after the phase / answers of both halves):"
  printf '%s' "$pair_rounds"
  echo
  echo "achieved q/s per round (target hit $QPS, miss $MISS_QPS) and lost queries:"
  for s in "${SERVERS[@]}"; do
    line="" lost=0
    ps=(hit miss); case "$s" in *-sets) ps+=(pairhit pairmiss) ;; esac
    for p in "${ps[@]}"; do
      line="$line $p"
      for r in $(seq 1 "$ROUNDS"); do line="$line $(num "${R[$s.$p.$r.qps]}")"; lost=$(( lost + ${R[$s.$p.$r.lost]%.*} )); done
    done
    printf '  %-8s%s; lost %d; check misses %s q/s; peak RSS %s MiB; warm-up misses/s: %s\n' "$s" "$line" "$lost" \
      "$(num "${R[$s.check_qps]}")" "${R[$s.rss]}" "${R[$s.warm]}"
  done
  echo "GC pauses (whole run, from -Xlog:gc): sr-base $(gc_pauses sr-base); sr-sets $(gc_pauses sr-sets)"
  echo
  echo "server side: how long sr-sets held a reply for its set write (dns.set.write.latency, add to kernel ack;"
  echo "histogram bucket bounds in µs, all rounds), and the share of writes acknowledged within 200 µs:"
  for p in hit miss; do
    read -r w50 w99 w200 < <(write_pct $(rounds_list sr-sets "$p"))
    R[sr.$p.w99]=$w99; R[sr.$p.w200]=$w200
    printf '  splitroute %-5s p50 %s  p99 %s  within 200 µs: %s\n' "$p" "$w50" "$w99" "$w200"
  done
  echo "splitroute log: deadline-missed warnings ${R[sr.deadline_warn]}, set-error warnings ${R[sr.error_warn]} (throttled: 1/min per set);  dnsmasq log lines about $SETS: ${R[dm.errors]}"
  echo
  echo "raw writer throughput (no DNS), elements/s, higher is better:"
  echo "  JMH SetWriterBenchmark ($JMH_NOTE):"
  printf '    %-16s (netlink, 10 000 per call, refresh)   %10s  (iterations: %s)\n' "$JMH_WRITER" "$(num "${R[jmh.batched]:--}")" "${R[jmh.batched_it]:--}"
  printf '    %-16s (the command-line tool, same 10 000)   %10s  -> writer/tool = %s\n' "$JMH_CLI" "$(num "${R[jmh.restore]:--}")" \
    "$(awk -v a="${R[jmh.batched]:-}" -v b="${R[jmh.restore]:-}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1fx", a / b; else print "-" }')"
  if [ -n "${R[jmh.single50]:-}" ]; then
    printf '    batchingSingleAdd (1 element, hand-off + ack) p50 %s µs, p99 %s µs\n' "${R[jmh.single50]}" "${R[jmh.single99]}"
  fi
  if [ "$SETS" = ipset ]; then
    printf '  shell: ipset restore -exist of %d elements (process start included): insert %s, refresh %s (set then held %s)\n' \
      "$RESTORE_N" "${R[restore.insert]}" "${R[restore.refresh]}" "${R[restore.entries]}"
  fi
  echo
  sr_ok=$(awk -v a="${R[sr.miss.s99]}" -v b="${R[sr.miss.b99]}" -v c="${R[sr.hit.s99]}" -v d="${R[sr.hit.b99]}" 'BEGIN {
    if (a !~ /^[0-9]/ || c !~ /^[0-9]/) { print "-"; exit }
    printf "hit %+.0f µs, miss %+.0f µs: %s", c - d, a - b, (c - d < 200 && a - b < 200) ? "under 200 µs" : "NOT under 200 µs" }')
  pair_ok=$(awk -v h="${R[sr.pairhit.added99]}" -v m="${R[sr.pairmiss.added99]}" 'BEGIN {
    if (h !~ /^[-+]?[0-9]/ || m !~ /^[-+]?[0-9]/) { print "-"; exit }
    printf "hit %+d µs, miss %+d µs: %s", h, m, (h < 200 && m < 200) ? "under 200 µs" : "NOT under 200 µs" }')
  echo "targets: added p99 < 200 µs at $QPS answers/s -> paired (same server, with - without sets): splitroute $pair_ok" \
    "(per-round medians hit ${R[sr.pairhit.median99]}, miss ${R[sr.pairmiss.median99]});"
  echo "  two servers (sets - base): splitroute $sr_ok (misses at $MISS_QPS/s);" \
    "server side: write p99 hit ${R[sr.hit.w99]} µs, miss ${R[sr.miss.w99]} µs;" \
    "writer >= 500 000 elements/s batched -> $(num "${R[jmh.batched]:--}")"
  echo "raw output: $OUT"
} | tee "$OUT/table.txt"
