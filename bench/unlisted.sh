#!/usr/bin/env bash
# unlisted.sh: what a name on no list costs a cache miss (two upstream queries, a verdict) next to a listed
# name (one query), in one run; and the verdict cache's hit rate on a day of queries from a popularity ranking.
#
# What it does
#   1. Starts two knot servers on loopback, "isp" and "clean", each with three wildcard zones:
#        listed.test  A 192.0.2.1 on both            (the route `listed`: one query to clean)
#        foreign.test isp: A 203.0.113.66 (poison), clean: A 192.0.2.10   (unlisted, judged foreign)
#        home.test    A 198.51.100.7 on both          (unlisted, judged domestic: the cidr list says so)
#   2. Starts splitroute (the packaged jar) with `unlisted: { domestic: isp, trusted: clean,
#      domestic-ips: [home] }` (home = 198.51.100.0/24) and a route for listed.test, and runs dnsperf with
#      unique names (every query a cache miss) in three phases, ROUNDS times, taking turns:
#        listed    l<N>.listed.test   one query to clean per miss
#        foreign   f<N>.foreign.test  both asked; the domestic answer is foreign: the trusted one is served
#        domestic  d<N>.home.test     both asked; the domestic answer is served as soon as it is in
#      Each phase: queries/s (dnsperf), CPU µs per miss (splitroute's user+system CPU / answers), and the
#      upstream queries per miss and verdicts, read from splitroute's /metrics before and after.
#   3. Runs io.splitroute.unlisted.VerdictCacheReplay (test classes): HOURS of visits at RATE per second drawn
#      by Zipf over the ranking (read from RANKING at run time), every name on no list, a name under the china
#      list (CHINA) domestic, answers with TTL; prints the verdict cache's hit rate on the unlisted stage's
#      misses and the upstream queries it saves, against the same stream without it.
#   Raw output in bench/out/<UTC timestamp>-unlisted/ (dnsperf per phase, metrics, splitroute log, config).
#
# Usage (as any user; needs knotd, dnsperf, dig, curl, a JDK 25)
#   bench/unlisted.sh                               # ~2 minutes
#   DURATION=20 ROUNDS=5 bench/unlisted.sh
#   REPLAY=0 bench/unlisted.sh                      # the dnsperf part only
#
# Settings (environment variables, defaults in brackets)
#   DURATION [8]        seconds per phase and round;  WARMUP [10] seconds of all three kinds before measuring
#   ROUNDS [3]          rounds; the table shows the median round
#   CLIENTS [4]  OUTSTANDING [100]   dnsperf -c / -q
#   MISS_RATE_CAP [40000]            unique names generated per second of DURATION
#   CACHE_SIZE [20000]  splitroute cache.size
#   SPLITROUTE_JAR [resolver/target/splitroute.jar; built when missing]
#   SPLITROUTE_JAVA_OPTS ["-Xmx128m -XX:+UseSerialGC"]
#   REPLAY [1]  DATA [../shared/data]  RANKING [$DATA/popular-domains/umbrella-top-100k.txt]
#   CHINA [$DATA/dnsmasq-china-list/accelerated-domains.china.conf]
#   HOURS [24]  RATE [2] visits/s  TTL [300]  ZIPF [1.0]  VERDICTS [10000]
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 if present]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-8}"
WARMUP="${WARMUP:-10}"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-4}"
OUTSTANDING="${OUTSTANDING:-100}"
MISS_RATE_CAP="${MISS_RATE_CAP:-40000}"
CACHE_SIZE="${CACHE_SIZE:-20000}"
REPLAY="${REPLAY:-1}"
DATA="${DATA:-$ROOT/../shared/data}"
RANKING="${RANKING:-$DATA/popular-domains/umbrella-top-100k.txt}"
CHINA="${CHINA:-$DATA/dnsmasq-china-list/accelerated-domains.china.conf}"
HOURS="${HOURS:-24}"
RATE="${RATE:-2}"
TTL="${TTL:-300}"
ZIPF="${ZIPF:-1.0}"
VERDICTS="${VERDICTS:-10000}"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"
SPLITROUTE_JAVA_OPTS="${SPLITROUTE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}"

OUT="$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)-unlisted"
WORK="$(mktemp -d /tmp/splitroute-unlisted.XXXXXX)"
STARTED_PIDS=()
log() { printf '[unlisted %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Stops one process this script started: TERM, then KILL after 5 s.
stop_pid() {
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in knotd dnsperf dig curl awk python3; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install knot dnsperf bind9-dnsutils curl)"
done
KNOTD="$(command -v knotd)"
mkdir -p "$OUT"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
answers() {  # true when the server on port $1 answers NOERROR for $2
    dig @127.0.0.1 -p "$1" +time=1 +tries=1 +noall +comments "$2" A 2>/dev/null | grep -q 'status: NOERROR'
}

# ---------------------------------------------------------------- two knot servers
# start_knot NAME FOREIGN-ADDRESS: zones listed.test, foreign.test (FOREIGN-ADDRESS) and home.test; sets
# KNOT_PORT (not echoed: a command substitution would run it in a subshell and lose the PID).
start_knot() {
    local name="$1" foreign="$2" port dir zone
    port="$(free_port)"
    dir="$WORK/knot-$name"
    mkdir -p "$dir"
    for zone in listed.test:192.0.2.1 foreign.test:"$foreign" home.test:198.51.100.7; do
        cat > "$dir/${zone%%:*}.zone" <<EOF
\$ORIGIN ${zone%%:*}.
\$TTL 3600
@   SOA ns hostmaster 1 3600 600 86400 300
@   NS  ns
ns  A   192.0.2.53
*   A   ${zone#*:}
EOF
    done
    cat > "$dir/knot.conf" <<EOF
server:
    rundir: $dir
    listen: 127.0.0.1@$port
    background-workers: 1
database:
    storage: $dir
control:
    listen: $dir/knot.sock
log:
  - target: stderr
    any: notice
template:
  - id: default
    storage: $dir
    file: "%s.zone"
    journal-content: none
    zonefile-sync: -1
zone:
  - domain: listed.test
  - domain: foreign.test
  - domain: home.test
EOF
    "$KNOTD" -c "$dir/knot.conf" > "$OUT/knot-$name.log" 2>&1 &
    STARTED_PIDS+=("$!")
    for _ in $(seq 1 100); do answers "$port" x.home.test && break; sleep 0.1; done
    answers "$port" x.home.test || die "knot $name did not answer on 127.0.0.1:$port"
    KNOT_PORT="$port"
}
start_knot isp 203.0.113.66
ISP_PORT="$KNOT_PORT"
start_knot clean 192.0.2.10
CLEAN_PORT="$KNOT_PORT"
log "knot isp on :$ISP_PORT, knot clean on :$CLEAN_PORT"

# ---------------------------------------------------------------- splitroute
if [ ! -f "$SPLITROUTE_JAR" ]; then
    log "building $SPLITROUTE_JAR (./mvnw -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
fi
PORT="$(free_port)"
ADMIN_PORT="$(free_port)"
printf '# the bench'"'"'s domestic range\n198.51.100.0/24\n' > "$WORK/home.txt"
cat > "$OUT/splitroute.yaml" <<EOF
listen: ["127.0.0.1:$PORT"]
upstreams: { isp: ["udp://127.0.0.1:$ISP_PORT"], clean: ["udp://127.0.0.1:$CLEAN_PORT"] }
ip-lists: { home: { file: $WORK/home.txt } }
routes:
  - { name: listed, domains: [listed.test], upstream: clean }
unlisted: { domestic: isp, trusted: clean, domestic-ips: [home], aaaa: pass }
cache: { size: $CACHE_SIZE, min-ttl: 0, max-ttl: 86400 }
acl: ["127.0.0.0/8"]
admin: { listen: "127.0.0.1:$ADMIN_PORT" }
EOF
# shellcheck disable=SC2086 # SPLITROUTE_JAVA_OPTS is a list of flags
"$JAVA" $SPLITROUTE_JAVA_OPTS -jar "$SPLITROUTE_JAR" run --config "$OUT/splitroute.yaml" > "$OUT/splitroute.log" 2>&1 &
SR_PID=$!
STARTED_PIDS+=("$SR_PID")
for _ in $(seq 1 600); do answers "$PORT" ready.home.test && break; kill -0 "$SR_PID" 2>/dev/null || break; sleep 0.05; done
answers "$PORT" ready.home.test || { tail -20 "$OUT/splitroute.log" >&2; die "splitroute did not answer"; }
log "splitroute (pid $SR_PID) on :$PORT"

# ---------------------------------------------------------------- phases
count=$(( DURATION * MISS_RATE_CAP ))
for r in $(seq 1 "$ROUNDS"); do
    awk -v n="$count" -v r="$r" 'BEGIN { for (i = 1; i <= n; i++) print "l" i "-" r ".listed.test A" }' > "$WORK/listed-$r.txt"
    awk -v n="$count" -v r="$r" 'BEGIN { for (i = 1; i <= n; i++) print "f" i "-" r ".foreign.test A" }' > "$WORK/foreign-$r.txt"
    awk -v n="$count" -v r="$r" 'BEGIN { for (i = 1; i <= n; i++) print "d" i "-" r ".home.test A" }' > "$WORK/domestic-$r.txt"
done
awk -v n=$(( WARMUP * MISS_RATE_CAP / 3 )) 'BEGIN { for (i = 1; i <= n; i++) {
    print "wl" i ".listed.test A"; print "wf" i ".foreign.test A"; print "wd" i ".home.test A" } }' > "$WORK/warm.txt"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Sum of the samples of a metric in a Prometheus scrape file, matching a label fragment.
metric() { awk -v m="$2" -v l="$3" '$1 ~ "^"m && index($1, l) { s += $2 } END { printf "%d\n", s }' "$1"; }
scrape() { curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" > "$1"; }
summary() { awk -v k="$2" 'index($0, k) { sub(".*" k "[ \t]*", ""); print $1 + 0; exit }' "$1"; }

phase() {  # phase NAME FILE SECONDS: one dnsperf run; keeps qps, CPU and the metrics around it
    local name="$1" file="$2" seconds="$3" t0
    scrape "$OUT/$name.before"
    t0=$(cpu_ticks "$SR_PID")
    dnsperf -s 127.0.0.1 -p "$PORT" -d "$file" -c "$CLIENTS" -q "$OUTSTANDING" -l "$seconds" -n 1 \
        > "$OUT/$name.txt" 2>&1 || { tail -5 "$OUT/$name.txt" >&2; die "dnsperf $name failed"; }
    echo $(( $(cpu_ticks "$SR_PID") - t0 )) > "$OUT/$name.cpu"
    scrape "$OUT/$name.after"
}
log "warm-up ${WARMUP}s"
phase warmup "$WORK/warm.txt" "$WARMUP"
for r in $(seq 1 "$ROUNDS"); do
    for kind in listed foreign domestic; do
        log "round $r: $kind"
        phase "$kind-$r" "$WORK/$kind-$r.txt" "$DURATION"
    done
done

# ---------------------------------------------------------------- table
HZ=$(getconf CLK_TCK)
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
{
    echo "names on no list vs listed, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "dnsperf -c $CLIENTS -q $OUTSTANDING, unique names, ${DURATION}s x $ROUNDS rounds per kind; java $SPLITROUTE_JAVA_OPTS"
    printf '%-9s %10s %12s %14s %14s %12s  %s\n' kind "misses/s" "CPU µs/miss" "domestic q/miss" "trusted q/miss" "lost" "verdicts (this kind)"
    for kind in listed foreign domestic; do
        qps=() cpu=() dq=0 tq=0 done_=0 lost=0 verdicts=""
        for r in $(seq 1 "$ROUNDS"); do
            f="$OUT/$kind-$r"
            q=$(summary "$f.txt" "Queries completed:")
            qps+=("$(summary "$f.txt" "Queries per second:")")
            cpu+=("$(awk -v t="$(cat "$f.cpu")" -v q="$q" -v hz="$HZ" 'BEGIN { printf "%.1f", q ? t * 1e6 / hz / q : 0 }')")
            done_=$(( done_ + q ))
            lost=$(( lost + $(summary "$f.txt" "Queries lost:") ))
            dq=$(( dq + $(metric "$f.after" dns_unlisted_upstream_queries_total 'side="domestic"') \
                      - $(metric "$f.before" dns_unlisted_upstream_queries_total 'side="domestic"') ))
            tq=$(( tq + $(metric "$f.after" dns_unlisted_upstream_queries_total 'side="trusted"') \
                      - $(metric "$f.before" dns_unlisted_upstream_queries_total 'side="trusted"') ))
        done
        for v in domestic foreign undecided; do
            n=0
            for r in $(seq 1 "$ROUNDS"); do
                f="$OUT/$kind-$r"
                n=$(( n + $(metric "$f.after" dns_unlisted_verdicts_total "verdict=\"$v\"") \
                        - $(metric "$f.before" dns_unlisted_verdicts_total "verdict=\"$v\"") ))
            done
            verdicts="$verdicts $v=$n"
        done
        printf '%-9s %10.0f %12s %14s %14s %12s %s\n' "$kind" "$(med "${qps[@]}")" "$(med "${cpu[@]}")" \
            "$(awk -v a="$dq" -v b="$done_" 'BEGIN { printf "%.2f", b ? a / b : 0 }')" \
            "$(awk -v a="$tq" -v b="$done_" 'BEGIN { printf "%.2f", b ? a / b : 0 }')" "$lost" "$verdicts"
        echo "  rounds, misses/s: ${qps[*]}; CPU µs/miss: ${cpu[*]}" >> "$WORK/rounds.txt"
    done
    cat "$WORK/rounds.txt"
    echo "listed: one query to clean per miss (the unlisted columns stay 0); raw output: $OUT"
} | tee "$OUT/table.txt"
stop_pid "$SR_PID"

# ---------------------------------------------------------------- verdict cache replay
if [ "$REPLAY" = 1 ]; then
    [ -f "$RANKING" ] || die "no ranking at $RANKING (set RANKING=, or REPLAY=0)"
    [ -f "$CHINA" ] || die "no china list at $CHINA (set CHINA=, or REPLAY=0)"
    cd "$ROOT"
    CP_GOALS=(-q -pl resolver -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
              -Dmdep.includeScope=test)
    ./mvnw -o "${CP_GOALS[@]}" > "$OUT/build.log" 2>&1 || ./mvnw "${CP_GOALS[@]}" >> "$OUT/build.log" 2>&1 \
        || die "build failed: see $OUT/build.log"
    CP="$ROOT/resolver/target/test-classes:$ROOT/resolver/target/classes:$(cat "$WORK/cp.txt")"
    log "verdict cache replay: ${HOURS}h at $RATE visits/s"
    "$JAVA" -Xmx512m -cp "$CP" io.splitroute.unlisted.VerdictCacheReplay "$RANKING" "$CHINA" hours="$HOURS" \
        rate="$RATE" ttl="$TTL" zipf="$ZIPF" verdicts="$VERDICTS" cache="$CACHE_SIZE" | tee "$OUT/replay.txt"
fi
