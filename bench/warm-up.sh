#!/usr/bin/env bash
# warm-up.sh: how soon after launch splitroute answers cache misses at its warm rate, on one core.
#
# What it does
#   1. Starts an upstream on loopback (a dnsmasq answering every name with 192.0.2.1) and splitroute through its
#      launcher (shipped flags, ahead-of-time cache) with gfwlist + dnsmasq-china-list and an ipset for gfwlist,
#      cache CACHE_SIZE, pinned to CPU SERVER_CPU (a router's busy core); the upstream and dnsperf run on
#      LOAD_CPU. A first, unmeasured start writes the compiled rule table and makes the AOT cache.
#   2. Launches it again and, from its first answer on, runs STEPS dnsperf phases of STEP seconds each, every
#      name new (cache misses), as fast as it answers (-c 4 -q 100): queries/s per step, and the server's CPU
#      time per answered query in each step.
#   3. Warm = the median of the last 3 steps. Prints each step, and the time from launch to the end of the
#      first step at >= 80 % of warm. Raw outputs in bench/out/<UTC timestamp>-warmup/.
#
# Usage (as root: the ipset; needs dnsmasq, dnsperf, ipset, python3, taskset; the lists in ../shared/data)
#   bench/warm-up.sh                                 # ~1 minute
#   STEP=3 STEPS=12 bench/warm-up.sh                 # the issue's 3-second steps
#   SPLITROUTE_JAVA_OPTS="-XX:TieredStopAtLevel=4 -XX:ReservedCodeCacheSize=32m" bench/warm-up.sh   # tiered
#
# Settings (environment variables, defaults in brackets)
#   STEP [2] seconds per step;  STEPS [15];  CACHE_SIZE [20000]
#   SERVER_CPU [1]  LOAD_CPU [0]     CPUs for splitroute, and for the upstream and dnsperf
#   DATA [../shared/data]  SPLITROUTE [dist/target/splitroute/bin/splitroute]  SPLITROUTE_JAVA_OPTS [""]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEP="${STEP:-2}"
STEPS="${STEPS:-15}"
CACHE_SIZE="${CACHE_SIZE:-20000}"
SERVER_CPU="${SERVER_CPU:-1}"
LOAD_CPU="${LOAD_CPU:-0}"
# ../shared/data beside the checkout (/work/main), or two levels up from a worktree (/work/wt/NAME).
DATA="${DATA:-$ROOT/../shared/data}"
[ -d "$DATA" ] || [ ! -d "$ROOT/../../shared/data" ] || DATA="$ROOT/../../shared/data"
SPLITROUTE="${SPLITROUTE:-$ROOT/dist/target/splitroute/bin/splitroute}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

OUT="$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)-warmup"
TMP="$(mktemp -d /tmp/splitroute-warmup.XXXXXX)"
SET="srw$$"
STARTED_PIDS=()

log() { printf '[warm-up %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  ipset destroy "$SET" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "needs root (it creates the ipset $SET)"
for tool in dnsmasq dnsperf ipset python3 taskset ss; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
[ -x "$SPLITROUTE" ] || die "$SPLITROUTE not found: run ./mvnw -DskipTests package first"
[ -r "$DATA/gfwlist/gfwlist.txt" ] && [ -r "$DATA/dnsmasq-china-list/accelerated-domains.china.conf" ] \
  || die "lists not found under $DATA (set DATA)"
mkdir -p "$OUT"
cp "$DATA/gfwlist/gfwlist.txt" "$DATA/dnsmasq-china-list/accelerated-domains.china.conf" "$TMP/"

free_port() {
  local p i
  for i in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 30000 ))
    if [ -z "$(ss -Hlnu "sport = :$p")" ] && [ -z "$(ss -Hlnt "sport = :$p")" ]; then echo "$p"; return 0; fi
  done
  die "no free loopback port found in 100 tries"
}

UP_PORT="$(free_port)"
taskset -c "$LOAD_CPU" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
  --listen-address=127.0.0.1 --port="$UP_PORT" --address=/#/192.0.2.1 --local-ttl=300 --cache-size=0 \
  --dns-forward-max=1000 --conf-file=/dev/null --pid-file= --user=root > "$OUT/upstream.log" 2>&1 &
STARTED_PIDS+=("$!")
ipset create "$SET" hash:ip timeout 300 -exist
PORT="$(free_port)"
cat > "$TMP/splitroute.yaml" <<EOF
listen: ["127.0.0.1:$PORT"]
admin: { listen: "127.0.0.1:$(free_port)" }
upstreams: { clean: ["udp://127.0.0.1:$UP_PORT"], isp: ["udp://127.0.0.1:$UP_PORT"] }
lists:
  gfwlist: { file: $TMP/gfwlist.txt, format: gfwlist }
  china: { file: $TMP/accelerated-domains.china.conf, format: dnsmasq }
sets: { gfw4: { type: ipset, name: $SET } }
routes:
  - { name: tunnel, lists: [gfwlist], upstream: clean, sets: [gfw4] }
  - { name: domestic, lists: [china], upstream: isp }
default-upstream: isp
cache: { size: $CACHE_SIZE }
EOF
cp "$TMP/splitroute.yaml" "$OUT/"
for k in $(seq 1 "$STEPS"); do
  awk -v k="$k" 'BEGIN { for (i = 1; i <= 200000; i++) print "n" i ".step" k ".test A" }' > "$TMP/step-$k.txt"
done

# Starts splitroute pinned to SERVER_CPU; waits for its first answer; sets SR_PID and LAUNCH_MS.
launch() {
  local t0 i
  t0=$(date +%s%N)
  SPLITROUTE_AOT_DIR="$TMP/aot" taskset -c "$SERVER_CPU" "$SPLITROUTE" run --config "$TMP/splitroute.yaml" \
    > "$OUT/splitroute-$1.log" 2>&1 &
  SR_PID=$!
  STARTED_PIDS+=("$SR_PID")
  for i in $(seq 1 6000); do
    if dig @127.0.0.1 -p "$PORT" +time=1 +tries=1 +short "ready$i.example.org" A 2>/dev/null | grep -q .; then break; fi
    kill -0 "$SR_PID" 2>/dev/null || die "splitroute exited (see $OUT/splitroute-$1.log)"
    sleep 0.01
  done
  LAUNCH_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

log "first start: compiled rule table, AOT cache"
launch first
stop_pid "$SR_PID"
for i in $(seq 1 240); do compgen -G "$TMP/aot/splitroute-*.aot" > /dev/null && break; sleep 0.5; done
launch measured
log "answered $LAUNCH_MS ms after launch; $STEPS steps of $STEP s of misses"
declare -a QPS CPU
for k in $(seq 1 "$STEPS"); do
  t0=$(cpu_ticks "$SR_PID")
  taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p "$PORT" -d "$TMP/step-$k.txt" -l "$STEP" -c 4 -q 100 -n 1 \
    > "$OUT/step-$k.txt" 2>&1 || true
  t1=$(cpu_ticks "$SR_PID")
  q=$(awk '/Queries completed:/ { print $3 }' "$OUT/step-$k.txt")
  QPS[$k]=$(awk '/Queries per second:/ { printf "%.0f", $4 }' "$OUT/step-$k.txt")
  CPU[$k]=$(awk -v t=$((t1 - t0)) -v q="$q" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", q ? t * 1e6 / hz / q : 0 }')
done
warm=$(printf '%s\n' "${QPS[@]: -3}" | sort -g | awk 'NR == 2')
{
  echo "splitroute warm-up on CPU $SERVER_CPU, $(date -u '+%Y-%m-%d %H:%M UTC'), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "gfwlist + china list, ipset, cache $CACHE_SIZE; flags: $(grep -v '^#' "$ROOT/config/jvm.options" | xargs) ${SPLITROUTE_JAVA_OPTS:-}"
  echo "launch to first answer: $LAUNCH_MS ms"
  reached=""
  for k in $(seq 1 "$STEPS"); do
    at=$(( LAUNCH_MS + k * STEP * 1000 ))
    mark=""
    if [ -z "$reached" ] && [ "${QPS[$k]}" -ge $(( warm * 8 / 10 )) ]; then reached=$at; mark="  <- 80 % of warm"; fi
    printf 'step %2d (to %6d ms after launch): %7s misses/s, %5s µs CPU per miss%s\n' "$k" "$at" "${QPS[$k]}" "${CPU[$k]}" "$mark"
  done
  echo "warm (median of the last 3 steps): $warm misses/s; launch to 80 % of warm: ${reached:-not reached} ms"
  echo "raw output: $OUT"
} | tee "$OUT/table.txt"
