#!/usr/bin/env bash
# reload-under-load.sh: how long a reload of big lists takes, how much heap it needs on top, and whether any
# query fails while the rule table is swapped (target: none).
#
# What it does
#   1. Starts dnsmasq on 127.0.0.1:<free port> answering every name with 192.0.2.1, TTL 0 (--address=/#/,
#      --local-ttl=0): the upstream. TTL 0 means splitroute caches nothing, so every query is routed by
#      the table that is being swapped and forwarded.
#   2. Starts splitroute on another loopback port with two lists: gfwlist (route tunnel) and
#      accelerated-domains.china.conf (route domestic), both from ../shared/data (or GFWLIST= / CHINA=).
#   3. baseline: dnsperf at a fixed rate (QPS) for BASELINE s without reloads.
#      reloads:  the same load while RELOADS reloads are made, one after the other: between two reloads
#      the gfwlist copy is swapped between the full list and the list without its last 200 rules, so every
#      reload really changes the table; each reload is SIGHUP, then waiting for its "reloaded ... in N ms"
#      log line. dnsperf is then stopped (SIGINT; queries in flight at that moment count as "interrupted",
#      not as failed).
#   4. Prints reload time (min / median / max, from splitroute's log), the live heap (after full GCs in
#      -Xlog:gc: one forced with jcmd before and after the reloads, the largest during them; the difference
#      is the peak extra heap a reload keeps alive), RSS, the full-GC pauses during the reloads, and failed
#      queries = lost + answers other than NOERROR.
#      Raw outputs go to bench/out/reload-<UTC timestamp>/.
#
# Usage:  bench/reload-under-load.sh                 # ~1-2 minutes; builds the jar if missing
#         QPS=5000 RELOADS=50 bench/reload-under-load.sh
# Settings (environment, defaults in brackets): QPS [2000], RELOADS [20], BASELINE [10] s,
#   CLIENTS [4], OUTSTANDING [100], SPLITROUTE_JAVA_OPTS ["-Xmx256m -XX:+UseSerialGC"],
#   SPLITROUTE_JAR [resolver/target/splitroute.jar], JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64],
#   GFWLIST, CHINA (list files; defaults under ../shared/data).
# Traffic stays on 127.0.0.1. Only the processes this script started are stopped (by PID, also on failure).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QPS="${QPS:-2000}"
RELOADS="${RELOADS:-20}"
BASELINE="${BASELINE:-10}"
CLIENTS="${CLIENTS:-4}"
OUTSTANDING="${OUTSTANDING:-100}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME="${JAVA_HOME:-}"
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"
SPLITROUTE_JAVA_OPTS="${SPLITROUTE_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
DATA="$ROOT/../shared/data"
GFWLIST="${GFWLIST:-$DATA/gfwlist/gfwlist.decoded.txt}"
CHINA="${CHINA:-$DATA/dnsmasq-china-list/accelerated-domains.china.conf}"

OUT="$ROOT/bench/out/reload-$(date -u +%Y%m%dT%H%M%SZ)"
TMP="$(mktemp -d /tmp/splitroute-reload.XXXXXX)"
STARTED_PIDS=()

log() { printf '[reload %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in dnsmasq dnsperf dig ss awk; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install dnsmasq-base dnsperf bind9-dnsutils iproute2)"
done
[ -r "$GFWLIST" ] || die "no gfwlist at $GFWLIST (set GFWLIST=)"
[ -r "$CHINA" ] || die "no china list at $CHINA (set CHINA=)"
if [ ! -r "$SPLITROUTE_JAR" ]; then
  log "building $SPLITROUTE_JAR"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests -pl lists,ipset-sink,resolver package) || die "build failed"
fi
mkdir -p "$OUT"

USED_PORTS=" "
free_port() {
  local p i
  for i in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 30000 ))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    if [ -z "$(ss -Hlnu "sport = :$p")" ] && [ -z "$(ss -Hlnt "sport = :$p")" ]; then
      USED_PORTS="$USED_PORTS$p "; echo "$p"; return 0
    fi
  done
  die "no free loopback port found in 100 tries"
}
answers() {
  dig @127.0.0.1 -p "$1" +time=1 +tries=1 +noall +comments "ready.example" A 2>/dev/null | grep -q 'status: NOERROR'
}

# ---------------------------------------------------------------- upstream: dnsmasq, every name -> 192.0.2.1
UP_PORT="$(free_port)"
"$(command -v dnsmasq)" --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
  --listen-address=127.0.0.1 --bind-interfaces --port="$UP_PORT" --address=/#/192.0.2.1 --local-ttl=0 \
  --cache-size=0 --user="$(id -un)" --pid-file="$TMP/dnsmasq.pid" > "$OUT/dnsmasq.log" 2>&1 &
STARTED_PIDS+=("$!")
for i in $(seq 1 50); do answers "$UP_PORT" && break; sleep 0.1; done
answers "$UP_PORT" || die "dnsmasq did not answer on 127.0.0.1:$UP_PORT"

# ---------------------------------------------------------------- lists, config, queries
cp "$GFWLIST" "$TMP/gfwlist.full"
head -n -200 "$GFWLIST" > "$TMP/gfwlist.short"
cp "$TMP/gfwlist.full" "$TMP/gfwlist.txt"
cp "$CHINA" "$TMP/china.conf"
PORT="$(free_port)"
cat > "$TMP/splitroute.yaml" <<EOF
listen: ["127.0.0.1:$PORT"]
upstreams: { clean: ["udp://127.0.0.1:$UP_PORT"], isp: ["udp://127.0.0.1:$UP_PORT"] }
lists:
  gfwlist: { file: gfwlist.txt, format: gfwlist }
  china: { file: china.conf, format: dnsmasq }
routes:
  - { name: tunnel, lists: [gfwlist], upstream: clean }
  - { name: domestic, lists: [china], upstream: isp }
default-upstream: isp
acl: ["127.0.0.0/8"]
EOF
cp "$TMP/splitroute.yaml" "$OUT/"
# Names from both lists (www.<listed domain>) and unlisted ones, shuffled: every route is exercised.
# (awk, not head, takes the first lines: head would end the pipe early and pipefail would stop the script.)
{
  awk '/^\|\|[a-z0-9.-]+$/ && n < 3000 { n++; print "www." substr($0, 3) }' "$GFWLIST"
  awk -F/ '/^server=/ && NR % 37 == 0 && n < 3000 { n++; print "www." $2 }' "$CHINA"
  awk 'BEGIN { for (i = 1; i <= 3000; i++) print "n" i ".unlisted.example" }'
} | awk '{ print $0 " A" }' | shuf --random-source="$GFWLIST" > "$TMP/queries.txt"

# ---------------------------------------------------------------- splitroute
# shellcheck disable=SC2086 # SPLITROUTE_JAVA_OPTS is a list of flags
"$JAVA_HOME/bin/java" $SPLITROUTE_JAVA_OPTS -Xlog:gc:file="$OUT/gc.log":uptime -jar "$SPLITROUTE_JAR" \
  run --config "$TMP/splitroute.yaml" > "$OUT/splitroute.log" 2>&1 &
SR_PID=$!
STARTED_PIDS+=("$SR_PID")
for i in $(seq 1 600); do answers "$PORT" && break; kill -0 "$SR_PID" || break; sleep 0.1; done
answers "$PORT" || { tail -20 "$OUT/splitroute.log" >&2; die "splitroute did not answer on 127.0.0.1:$PORT"; }
log "splitroute (pid $SR_PID) on 127.0.0.1:$PORT, upstream dnsmasq on 127.0.0.1:$UP_PORT"

dnsperf_args=(-s 127.0.0.1 -p "$PORT" -d "$TMP/queries.txt" -Q "$QPS" -c "$CLIENTS" -q "$OUTSTANDING" -t 5)
uptime_s() { awk '{ print $1 }' /proc/uptime; }
jvm_uptime_now() { # seconds since the JVM started, the clock of -Xlog:gc uptime
  echo "$(uptime_s) $(awk '{ print $22 }' "/proc/$SR_PID/stat") $(getconf CLK_TCK)" | awk '{ printf "%.3f", $1 - $2 / $3 }'
}

log "baseline: $BASELINE s at $QPS queries/s"
dnsperf "${dnsperf_args[@]}" -l "$BASELINE" > "$OUT/dnsperf-baseline.txt" 2>&1
"$JAVA_HOME/bin/jcmd" "$SR_PID" GC.run > /dev/null # a full GC: its after-value is the live heap before reloads
RSS_BEFORE=$(awk '/VmRSS/ { print $2 }' "/proc/$SR_PID/status")
HWM_BEFORE=$(awk '/VmHWM/ { print $2 }' "/proc/$SR_PID/status")
RELOAD_START=$(jvm_uptime_now)

log "reloads: $RELOADS under the same load"
dnsperf "${dnsperf_args[@]}" -l 3600 > "$OUT/dnsperf-reloads.txt" 2>&1 &
DP_PID=$!
STARTED_PIDS+=("$DP_PID")
sleep 2
for r in $(seq 1 "$RELOADS"); do
  if [ $((r % 2)) -eq 1 ]; then cp "$TMP/gfwlist.short" "$TMP/gfwlist.txt"; else cp "$TMP/gfwlist.full" "$TMP/gfwlist.txt"; fi
  before=$(grep -c 'reloaded ' "$OUT/splitroute.log" || true)
  kill -HUP "$SR_PID"
  for i in $(seq 1 600); do
    [ "$(grep -c 'reloaded \|reload rejected' "$OUT/splitroute.log" || true)" -gt "$before" ] && break
    sleep 0.1
  done
  grep -q 'reload rejected' "$OUT/splitroute.log" && die "a reload was rejected: see $OUT/splitroute.log"
  sleep 0.5
done
sleep 2
kill -INT "$DP_PID"
wait "$DP_PID" 2>/dev/null || true
RELOAD_END=$(jvm_uptime_now)
"$JAVA_HOME/bin/jcmd" "$SR_PID" GC.run > /dev/null
RSS_AFTER=$(awk '/VmRSS/ { print $2 }' "/proc/$SR_PID/status")
HWM_AFTER=$(awk '/VmHWM/ { print $2 }' "/proc/$SR_PID/status")

# ---------------------------------------------------------------- numbers
stat_line() { grep -m1 "$2" "$1" | awk -F: '{ print $2 }' | awk '{ print $1 }'; }
failed() { # lost + every response code other than NOERROR
  local lost codes
  lost=$(stat_line "$1" 'Queries lost:')
  codes=$(grep -A1 'Response codes:' "$1" | tr ',' '\n' | grep -v NOERROR | grep -o '[A-Z]\+ [0-9]\+' | awk '{ s += $2 } END { print s + 0 }')
  echo $(( ${lost:-0} + codes ))
}
TIMES=$(grep -o 'reloaded .* in [0-9]* ms' "$OUT/splitroute.log" | awk '{ print $(NF-1) }')
# Heap after each GC (MiB), from "[12.3s] GC(4) Pause Full (System.gc()) 45M->20M(123M) 3ms":
#   live before/after = the full GCs asked for with jcmd just before and just after the reloads;
#   peak live during reloads = the largest after-value of a FULL GC during them (young GCs leave old-gen
#   garbage, so their after-values overstate what is live; their max is printed as an upper bound).
GC=$(sed -n 's/^\[\([0-9.]*\)s\].*Pause \([A-Za-z]*\).* [0-9]*M->\([0-9]*\)M(.*/\1 \2 \3/p' "$OUT/gc.log")
in_reloads() { echo "$GC" | awk -v a="$RELOAD_START" -v b="$RELOAD_END" -v k="$1" '$1 >= a && $1 < b && $2 ~ k { print $3 }' | sort -n | tail -1; }
LIVE_BEFORE=$(echo "$GC" | awk -v t="$RELOAD_START" '$1 < t && $2 == "Full" { v = $3 } END { print v }')
LIVE_AFTER=$(echo "$GC" | awk '$2 == "Full" { v = $3 } END { print v }')
PEAK_FULL=$(in_reloads Full)
PEAK_ANY=$(in_reloads .)
{
  echo "reload under load: $(wc -l < "$TMP/gfwlist.full") gfwlist lines + $(wc -l < "$TMP/china.conf") china lines, $QPS queries/s, $RELOADS reloads, $SPLITROUTE_JAVA_OPTS"
  echo "$TIMES" | sort -n | awk '{ a[NR] = $1 } END { printf "reload time (ms): min %d  median %d  max %d  (%d reloads)\n", a[1], a[int((NR + 1) / 2)], a[NR], NR }'
  echo "live heap (MiB): before reloads ${LIVE_BEFORE:-n/a}, peak during reloads ${PEAK_FULL:-n/a} (after a full GC; no full GC: n/a), after ${LIVE_AFTER:-n/a}; upper bound (after any GC) ${PEAK_ANY:-n/a}"
  echo "full GCs during reloads: $(echo "$GC" | awk -v a="$RELOAD_START" -v b="$RELOAD_END" '$1 >= a && $1 < b && $2 == "Full"' | wc -l), longest pause $(sed -n 's/^\[\([0-9.]*\)s\].*Pause Full.* \([0-9.]*\)ms$/\1 \2/p' "$OUT/gc.log" | awk -v a="$RELOAD_START" -v b="$RELOAD_END" '$1 >= a && $1 < b { if ($2 > m) m = $2 } END { printf "%.0f ms", m }')"
  echo "RSS (MiB): before reloads $((RSS_BEFORE / 1024)) (peak $((HWM_BEFORE / 1024))), after $((RSS_AFTER / 1024)) (peak $((HWM_AFTER / 1024)))"
  echo "baseline: $(stat_line "$OUT/dnsperf-baseline.txt" 'Queries completed:') completed, $(failed "$OUT/dnsperf-baseline.txt") failed"
  echo "reloads:  $(stat_line "$OUT/dnsperf-reloads.txt" 'Queries completed:') completed, $(failed "$OUT/dnsperf-reloads.txt") failed, $(stat_line "$OUT/dnsperf-reloads.txt" 'Queries interrupted:') in flight at the stop"
} | tee "$OUT/summary.txt"
