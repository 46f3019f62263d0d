#!/usr/bin/env bash
# dnsperf-vs-peers.sh: splitroute, dnsmasq and SmartDNS side by side, in one run, on this machine.
#
# What it does
#   1. Generates a knot config and two wildcard zones (*.bench.test and *.plain.test: A 192.0.2.1, AAAA
#      2001:db8::1, TTL 3600) into a temp dir and starts knotd on 127.0.0.1:<free port>: the one fast upstream
#      every server uses.
#   2. Launches each server (splitroute, dnsmasq, SmartDNS) on its own loopback port forwarding to knot (same
#      cache size for all) and times launch to first answer. As root (SETS=1), bench.test is a listed domain on
#      every server with its answers written to an ipset of its own (splitroute: a route with sets; dnsmasq:
#      --ipset=/bench.test/SET; SmartDNS: ipset /bench.test/SET), so every miss pays its set write; plain.test
#      is unlisted. Then it runs each dnsperf phase against one server after the other (never two at once, so
#      they do not compete for the CPU, and a change in the machine's load during the run hits all alike):
#        warm-up  mixed hit and miss names for WARMUP s (JIT warm-up; fills the cache);
#        hit   cache-hit throughput: HIT_NAMES names of plain.test x {A, AAAA}, all cached by the warm-up;
#        miss  cache-miss throughput: unique names q<N>.bench.test, never repeated (dnsperf -n 1), each
#              answer written to the server's ipset (SETS=1);
#        lat-hit / lat-miss   latency at a fixed, modest rate (LAT_QPS) with per-query timings (-v),
#              from which p50/p99 are computed (so they measure the server, not dnsperf's queue);
#      then reads VmRSS and VmHWM (peak) from /proc/PID/status and stops the servers (by PID).
#   3. Prints a table with every server and the splitroute/dnsmasq and splitroute/SmartDNS ratios; raw outputs go to
#      bench/out/<UTC timestamp>/ (dnsperf output per phase, server logs, configs, table.txt).
#
# Usage (from anywhere; needs knotd, dnsmasq, smartdns, dnsperf, dig, a JDK 25 for splitroute; root for sets)
#   bench/dnsperf-vs-peers.sh                        # all three servers, ~3 minutes
#   DURATION=30 bench/dnsperf-vs-peers.sh            # longer throughput phases
#   SERVERS="splitroute dnsmasq" bench/dnsperf-vs-peers.sh   # a subset (ratios to the ones run)
#   SPLITROUTE_JAVA_OPTS="-XX:-TieredStopAtLevel" bench/dnsperf-vs-peers.sh  # flags after the shipped ones
#   TASKSET=1 bench/dnsperf-vs-peers.sh              # every server pinned to CPU 1 (a busy router's one core)
#
# Settings (environment variables, defaults in brackets)
#   DURATION [10]        seconds per throughput phase (hit, miss)
#   LAT_DURATION [5]     seconds per latency phase;  LAT_QPS [500] their fixed query rate (a busy home network)
#   WARMUP [3]           seconds of mixed hit/miss load before measuring (JIT warm-up; same for both)
#   CLIENTS [4]  OUTSTANDING [100]  THREADS [1]      dnsperf -c / -q / -T (bounded concurrency)
#   CACHE_SIZE [20000]   cache entries, both servers (dnsmasq --cache-size, splitroute cache.size)
#   HIT_NAMES [50]       names in the cache-hit set (each asked as A and AAAA)
#   ROUNDS [3]           hit and miss phases are repeated ROUNDS times, alternating servers; the table
#                        shows the median round (a shared machine's load moves single runs a lot)
#   MISS_RATE_CAP [60000]   unique miss names generated per second of DURATION (raise if "ran out of names")
#   SERVERS ["splitroute dnsmasq smartdns"]
#   SETS [1 as root, else 0]   bench.test listed with an ipset on every server (named srb<PID>-*, removed after)
#   TASKSET [unset]      a CPU list: each server runs under taskset -c TASKSET (dnsperf and knot do not)
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 if present]
#   SPLITROUTE_JAR [resolver/target/splitroute.jar; built with ./mvnw -DskipTests package when missing]
#   SPLITROUTE_JAVA_OPTS [""]  flags after the shipped ones (config/jvm.options, read as the launcher does)
#   SPLITROUTE_CMD       replaces the whole splitroute launch (run through bash, exec'd so the PID is the
#                        server's); $CONFIG (the generated YAML), $PORT and $UPSTREAM_PORT are exported
#   STARTUP_TIMEOUT [30] seconds to wait for a first answer before giving up
#
# Reading the table
#   qps rows: higher is better; latency (ms), memory (MiB) and launch rows: lower is better.
#   "CPU µs per query": the server's user + system CPU time during the hit (miss) rounds divided by the
#   queries it answered in them: what one answer costs, less moved by other load than queries/s.
#   ratios = splitroute / dnsmasq and splitroute / SmartDNS: > 1 is better for qps, < 1 for everything else.
#   "lost" counts queries dnsperf gave up on (timeout -t 5 s): a server that drops under load shows here.
#   Both servers share this machine's cores with dnsperf and knot; compare the two columns of ONE run,
#   not numbers across machines or runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10}"
LAT_DURATION="${LAT_DURATION:-5}"
LAT_QPS="${LAT_QPS:-500}"
WARMUP="${WARMUP:-3}"
CLIENTS="${CLIENTS:-4}"
OUTSTANDING="${OUTSTANDING:-100}"
THREADS="${THREADS:-1}"
CACHE_SIZE="${CACHE_SIZE:-20000}"
HIT_NAMES="${HIT_NAMES:-50}"
MISS_RATE_CAP="${MISS_RATE_CAP:-60000}"
ROUNDS="${ROUNDS:-3}"
SERVERS="${SERVERS:-splitroute dnsmasq smartdns}"
SETS="${SETS:-$([ "$(id -u)" = 0 ] && echo 1 || echo 0)}"
TASKSET="${TASKSET:-}"
SET_TAG="srb$$"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-30}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME="${JAVA_HOME:-}"
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"
SPLITROUTE_JAVA_OPTS="${SPLITROUTE_JAVA_OPTS:-}"
SPLITROUTE_CMD="${SPLITROUTE_CMD:-}"

OUT="$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)"
TMP="$(mktemp -d /tmp/splitroute-bench.XXXXXX)"
STARTED_PIDS=()

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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
  local pid s
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  if [ "$SETS" = 1 ]; then
    for s in sr dm sd; do ipset destroy "$SET_TAG-$s" 2>/dev/null || true; done
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in knotd dnsmasq dnsperf dig ss awk; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install knot dnsmasq-base dnsperf bind9-dnsutils iproute2)"
done
# dnsmasq lives in /usr/sbin, which a non-root PATH may lack.
DNSMASQ="$(command -v dnsmasq)"
KNOTD="$(command -v knotd)"

USED_PORTS=" "
# Prints a loopback port free for both UDP and TCP, different from every port picked before.
free_port() {
  local p i
  for i in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 30000 ))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    if [ -z "$(ss -Hlnu "sport = :$p")" ] && [ -z "$(ss -Hlnt "sport = :$p")" ]; then
      USED_PORTS="$USED_PORTS$p "
      echo "$p"
      return 0
    fi
  done
  die "no free loopback port found in 100 tries"
}

# True when the server on port $1 answers NOERROR for a name of the zone (one short UDP try).
answers() {
  dig @127.0.0.1 -p "$1" +time=1 +tries=1 +noall +comments "ready-$RANDOM.bench.test" A 2>/dev/null \
    | grep -q 'status: NOERROR'
}

# ---------------------------------------------------------------- upstream: knot with a wildcard zone
KNOT_PORT="$(free_port)"
mkdir -p "$TMP/knot" "$OUT"
cat > "$TMP/knot/bench.test.zone" <<'EOF'
$ORIGIN bench.test.
$TTL 3600
@   SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 300
@   NS  ns
ns  A   192.0.2.53
*   A   192.0.2.1
*   AAAA 2001:db8::1
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
template:
  - id: default
    storage: $TMP/knot
    file: "%s.zone"
    journal-content: none
    zonefile-sync: -1
zone:
  - domain: bench.test
  - domain: plain.test
EOF
sed 's/bench\.test\./plain.test./g' "$TMP/knot/bench.test.zone" > "$TMP/knot/plain.test.zone"
cp "$TMP/knot/knot.conf" "$TMP/knot/bench.test.zone" "$OUT/"
"$KNOTD" -c "$TMP/knot/knot.conf" > "$OUT/knot.log" 2>&1 &
KNOT_PID=$!
STARTED_PIDS+=("$KNOT_PID")
for i in $(seq 1 100); do answers "$KNOT_PORT" && break; sleep 0.1; done
answers "$KNOT_PORT" || { tail -20 "$OUT/knot.log" >&2; die "knotd did not answer on 127.0.0.1:$KNOT_PORT"; }
log "knot (pid $KNOT_PID) serves *.bench.test on 127.0.0.1:$KNOT_PORT"

# ---------------------------------------------------------------- query files
miss_count=$(( DURATION * MISS_RATE_CAP ))
lat_count=$(( LAT_DURATION * LAT_QPS * 2 ))
warm_count=$(( WARMUP * MISS_RATE_CAP ))
awk -v n="$HIT_NAMES" 'BEGIN { for (i = 1; i <= n; i++) { print "h" i ".plain.test A"; print "h" i ".plain.test AAAA" } }' \
  > "$TMP/hit.txt"
for r in $(seq 1 "$ROUNDS"); do  # names never repeat, not even across rounds
  awk -v n="$miss_count" -v r="$r" 'BEGIN { for (i = 1; i <= n; i++) print "q" i "-" r ".bench.test A" }' \
    > "$TMP/miss-$r.txt"
done
awk -v n="$lat_count" 'BEGIN { for (i = 1; i <= n; i++) print "l" i ".bench.test A" }' > "$TMP/lat-miss.txt"
# Warm-up: every hit name first (so the hit phase finds them cached), then hit and miss names interleaved.
awk -v n="$warm_count" -v h="$HIT_NAMES" 'BEGIN {
  for (i = 1; i <= h; i++) { print "h" i ".plain.test A"; print "h" i ".plain.test AAAA" }
  for (i = 1; i <= n; i++) { print "w" i ".bench.test A"; print "h" (i % h + 1) ".plain.test A" } }' > "$TMP/warm.txt"

# ---------------------------------------------------------------- servers
launch_splitroute() {
  local port="$1" cfg="$TMP/splitroute.yaml"
  cat > "$cfg" <<EOF
listen: ["127.0.0.1:$port"]
upstreams:
  bench: ["udp://127.0.0.1:$KNOT_PORT"]
routes:
  - { name: other, domains: [example.org], upstream: bench }
default-upstream: bench
cache: { size: $CACHE_SIZE, min-ttl: 0, max-ttl: 86400 }
acl: ["127.0.0.0/8", "::1/128"]
EOF
  if [ "$SETS" = 1 ]; then
    cat >> "$cfg" <<EOF
sets: { bench4: { type: ipset, name: $SET_TAG-sr } }
EOF
    sed -i "s|^  - { name: other, .*|&\n  - { name: listed, domains: [bench.test], upstream: bench, sets: [bench4] }|" "$cfg"
  fi
  cp "$cfg" "$OUT/"
  if [ -n "$SPLITROUTE_CMD" ]; then
    CONFIG="$cfg" PORT="$port" UPSTREAM_PORT="$KNOT_PORT" bash -c "exec $SPLITROUTE_CMD" \
      > "$OUT/splitroute.log" 2>&1 &
  else
    # The shipped flags, as the launcher applies them (without its ahead-of-time cache: see startup-rss.sh).
    # shellcheck disable=SC2086 # SPLITROUTE_JAVA_OPTS and PIN are lists of words
    $PIN "$JAVA_HOME/bin/java" "@$ROOT/config/jvm.options" $SPLITROUTE_JAVA_OPTS --enable-native-access=ALL-UNNAMED \
      -jar "$SPLITROUTE_JAR" run --config "$cfg" > "$OUT/splitroute.log" 2>&1 &
  fi
  SERVER_PID=$!
}

launch_dnsmasq() {
  local port="$1"
  local sets=()
  [ "$SETS" = 1 ] && sets=(--server="/bench.test/127.0.0.1#$KNOT_PORT" --ipset="/bench.test/$SET_TAG-dm")
  # Same shape as splitroute's config: one default upstream, one domain routed (to the same upstream).
  # shellcheck disable=SC2086 # PIN is a list of words
  $PIN "$DNSMASQ" --keep-in-foreground --log-facility=- --conf-file=/dev/null --no-resolv --no-hosts \
    --pid-file= --user="$(id -un)" --bind-interfaces --listen-address=127.0.0.1 --port="$port" \
    --server="127.0.0.1#$KNOT_PORT" --server="/example.org/127.0.0.1#$KNOT_PORT" "${sets[@]}" \
    --cache-size="$CACHE_SIZE" > "$OUT/dnsmasq.log" 2>&1 &
  SERVER_PID=$!
}

launch_smartdns() {
  local port="$1" cfg="$TMP/smartdns.conf"
  # Like dnsmasq: one upstream, the same cache size, no prefetch, no serving of expired answers, and no speed
  # check (which would ping or connect to every answered address).
  cat > "$cfg" <<EOF
bind 127.0.0.1:$port
bind-tcp 127.0.0.1:$port
server 127.0.0.1:$KNOT_PORT
server 127.0.0.1:$KNOT_PORT -group other -exclude-default-group
cache-size $CACHE_SIZE
speed-check-mode none
dualstack-ip-selection no
prefetch-domain no
serve-expired no
log-level error
nameserver /example.org/other
EOF
  [ "$SETS" = 1 ] && echo "ipset /bench.test/$SET_TAG-sd" >> "$cfg"
  cp "$cfg" "$OUT/"
  # shellcheck disable=SC2086 # PIN is a list of words
  $PIN "$SMARTDNS" -f -c "$cfg" -p - > "$OUT/smartdns.log" 2>&1 &
  SERVER_PID=$!
}

PIN=""
[ -n "$TASKSET" ] && PIN="taskset -c $TASKSET"
SMARTDNS=""
if [[ " $SERVERS " == *" smartdns "* ]]; then
  SMARTDNS="$(command -v smartdns)" || die "smartdns not found (apt-get install smartdns)"
fi
if [ "$SETS" = 1 ]; then
  command -v ipset >/dev/null || die "ipset not found (apt-get install ipset), or run with SETS=0"
  for s in sr dm sd; do ipset create "$SET_TAG-$s" hash:ip timeout 0 maxelem 4000000 -exist; done
fi

if [[ " $SERVERS " == *" splitroute "* ]] && [ -z "$SPLITROUTE_CMD" ]; then
  [ -x "$JAVA_HOME/bin/java" ] || die "JAVA_HOME ($JAVA_HOME) has no bin/java; set JAVA_HOME to a JDK 25"
  if [ ! -f "$SPLITROUTE_JAR" ]; then
    log "building $SPLITROUTE_JAR (./mvnw -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
  fi
fi

declare -A R  # R[server.metric] = value

# Runs dnsperf against port $2 with file $3 and extra flags; saves output as $OUT/$1.txt.
perf() {
  local name="$1" port="$2" file="$3"; shift 3
  dnsperf -s 127.0.0.1 -p "$port" -d "$file" -c "$CLIENTS" -T "$THREADS" "$@" > "$OUT/$name.txt" 2>&1 \
    || { tail -5 "$OUT/$name.txt" >&2; die "dnsperf $name failed"; }
}
# Value after "$2" on dnsperf's summary in $OUT/$1.txt (first number).
summary() { awk -v k="$2" 'index($0, k) { sub(".*" k "[ \t]*", ""); print $1 + 0; exit }' "$OUT/$1.txt"; }
# p50 and p99 in ms of the per-query latencies in $OUT/$1.txt (dnsperf -v lines "> RCODE name type secs").
percentiles() {
  awk '$1 == ">" { print $NF }' "$OUT/$1.txt" | sort -g | awk '
    { v[NR] = $1 }
    END { if (NR == 0) { print "n/a n/a"; exit }
          i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
          printf "%.3f %.3f\n", v[i50] * 1000, v[i99] * 1000 }'
}

declare -A PORT PID  # per server

# Launches server $1 on a free port and times launch to first answer.
start_server() {
  local s="$1" port t0 t1 ok=0 i
  port="$(free_port)"
  t0=$(date +%s%N)
  "launch_$s" "$port"
  STARTED_PIDS+=("$SERVER_PID")
  for i in $(seq 1 $(( STARTUP_TIMEOUT * 20 ))); do
    if answers "$port"; then ok=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  t1=$(date +%s%N)
  if [ "$ok" != 1 ]; then
    tail -30 "$OUT/$s.log" >&2
    die "$s (pid $SERVER_PID) did not answer on 127.0.0.1:$port within ${STARTUP_TIMEOUT}s"
  fi
  PORT[$s]=$port
  PID[$s]=$SERVER_PID
  R[$s.start_ms]=$(( (t1 - t0) / 1000000 ))
  log "$s (pid $SERVER_PID) answered on 127.0.0.1:$port after ${R[$s.start_ms]} ms"
}

# Runs phase $1 against every server in turn (so a change in the machine's load hits both alike).
# Also keeps the CPU time (user + system clock ticks from /proc/PID/stat) the server used during it.
phase() {
  local name="$1" s t0; shift
  for s in $SERVERS; do
    log "$s: $name"
    t0=$(cpu_ticks "${PID[$s]}")
    perf "$s-$name" "${PORT[$s]}" "$@"
    echo $(( $(cpu_ticks "${PID[$s]}") - t0 )) > "$OUT/$s-$name.cpu"
  done
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# CPU microseconds per answered query over phases $2.. of server $1 (ticks / queries completed).
cpu_per_query() {
  local s="$1" ticks=0 queries=0 p; shift
  for p in "$@"; do
    ticks=$(( ticks + $(cat "$OUT/$s-$p.cpu") ))
    queries=$(( queries + $(summary "$s-$p" "Queries completed:") ))
  done
  awk -v t="$ticks" -v q="$queries" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (q == 0) print "n/a"; else printf "%.1f\n", t * 1e6 / hz / q }'
}

for s in $SERVERS; do
  case "$s" in splitroute | dnsmasq | smartdns) ;; *) die "unknown server '$s' in SERVERS" ;; esac
done
log "output in $OUT"
# One server at a time: a JVM starting beside a busy dnsmasq would skew both launch times.
for s in $SERVERS; do start_server "$s"; done
phase warmup "$TMP/warm.txt" -q "$OUTSTANDING" -l "$WARMUP" -n 1
for r in $(seq 1 "$ROUNDS"); do
  phase "hit-$r" "$TMP/hit.txt" -q "$OUTSTANDING" -l "$DURATION"
  phase "miss-$r" "$TMP/miss-$r.txt" -q "$OUTSTANDING" -l "$DURATION" -n 1
done
phase lat-hit "$TMP/hit.txt" -q "$OUTSTANDING" -l "$LAT_DURATION" -Q "$LAT_QPS" -v
phase lat-miss "$TMP/lat-miss.txt" -q "$OUTSTANDING" -l "$LAT_DURATION" -Q "$LAT_QPS" -n 1 -v
for s in $SERVERS; do
  for p in hit miss; do
    qps=() lost=0
    for r in $(seq 1 "$ROUNDS"); do
      qps+=("$(summary "$s-$p-$r" "Queries per second:")")
      lost=$(( lost + $(summary "$s-$p-$r" "Queries lost:") ))
      if [ "$p" = miss ] && grep -q 'end of file' "$OUT/$s-$p-$r.txt"; then
        log "WARNING: $s miss round $r ran out of names before ${DURATION}s; raise MISS_RATE_CAP"
      fi
    done
    R[$s.${p}_qps]=$(printf '%s\n' "${qps[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    R[$s.${p}_rounds]=$(printf '%.0f ' "${qps[@]}")
    R[$s.${p}_lost]=$lost
    R[$s.${p}_cpu]=$(cpu_per_query "$s" $(for r in $(seq 1 "$ROUNDS"); do echo "$p-$r"; done))
  done
  read -r "R[$s.lat_hit_p50]" "R[$s.lat_hit_p99]" < <(percentiles "$s-lat-hit")
  read -r "R[$s.lat_miss_p50]" "R[$s.lat_miss_p99]" < <(percentiles "$s-lat-miss")
  R[$s.rss]=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/${PID[$s]}/status")
  R[$s.hwm]=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/${PID[$s]}/status")
  stop_pid "${PID[$s]}"
done

# ---------------------------------------------------------------- table
rows=(
  "hit_qps|cache-hit queries/s (median)|higher"
  "hit_lost|  lost queries (hit, all)|lower"
  "miss_qps|cache-miss queries/s (median)|higher"
  "miss_lost|  lost queries (miss, all)|lower"
  "hit_cpu|CPU µs per hit query|lower"
  "miss_cpu|CPU µs per miss query|lower"
  "lat_hit_p50|hit latency p50 (ms)|lower"
  "lat_hit_p99|hit latency p99 (ms)|lower"
  "lat_miss_p50|miss latency p50 (ms)|lower"
  "lat_miss_p99|miss latency p99 (ms)|lower"
  "rss|RSS after load (MiB)|lower"
  "hwm|peak RSS VmHWM (MiB)|lower"
  "start_ms|launch to first answer (ms)|lower"
)
round() { awk -v v="$1" 'BEGIN { if (v ~ /^[0-9.]+$/) printf "%.0f\n", v; else print v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
  if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) { print "-"; exit }
  r = a / b; printf (r < 0.1 ? "%.3f" : "%.2f"), r }'; }
{
  echo "splitroute vs dnsmasq and SmartDNS, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "dnsperf -c $CLIENTS -q $OUTSTANDING -T $THREADS; hit/miss ${DURATION}s each x $ROUNDS rounds; latency at $LAT_QPS q/s for ${LAT_DURATION}s;" \
    "cache $CACHE_SIZE; upstream knot $("$KNOTD" -V | awk '{print $NF}'); sets: $([ "$SETS" = 1 ] && echo "misses written to an ipset" || echo none)" \
    "${TASKSET:+; servers pinned to CPU $TASKSET}"
  [[ " $SERVERS " == *" splitroute "* ]] && echo "splitroute: ${SPLITROUTE_CMD:-java @config/jvm.options $SPLITROUTE_JAVA_OPTS -jar $(basename "$SPLITROUTE_JAR")}"
  [[ " $SERVERS " == *" dnsmasq "* ]] && echo "dnsmasq: $("$DNSMASQ" -v | head -1)"
  [[ " $SERVERS " == *" smartdns "* ]] && echo "smartdns: $("$SMARTDNS" -v 2>&1 | head -1)"
  echo
  printf '%-30s %12s %12s %12s %8s %8s  %s\n' metric splitroute dnsmasq smartdns "sr/dm" "sr/sd" better
  for row in "${rows[@]}"; do
    IFS='|' read -r key label better <<< "$row"
    a="${R[splitroute.$key]:--}"; b="${R[dnsmasq.$key]:--}"; c="${R[smartdns.$key]:--}"
    rb=$(ratio "$a" "$b"); rc=$(ratio "$a" "$c")
    if [ "${key%_qps}" != "$key" ]; then a=$(round "$a"); b=$(round "$b"); c=$(round "$c"); fi
    printf '%-30s %12s %12s %12s %8s %8s  %s\n' "$label" "$a" "$b" "$c" "$rb" "$rc" "$better"
  done
  echo
  for s in $SERVERS; do
    echo "$s rounds, queries/s: hit ${R[$s.hit_rounds]}| miss ${R[$s.miss_rounds]}"
  done
  echo "ratios = splitroute / dnsmasq (sr/dm) and splitroute / SmartDNS (sr/sd); raw output: $OUT"
} | tee "$OUT/table.txt"
