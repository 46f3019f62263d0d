#!/usr/bin/env bash
# hostile-load.sh: does splitroute, with the shipped JVM flags, keep answering a well-behaved client while
# hostile clients and a hostile upstream do their worst? Prints the good client's latency before and during
# the attack, RSS before and after, and how often the process had to be restarted (target: 0).
#
# What it does (all inside a network namespace it creates and deletes)
#   1. knot on 127.0.0.1 serves good.test (every name: one A record, TTL 3600) and huge.test: HUGE_NAMES names
#      h1..hN with HUGE_RECORDS A records each (4000: about 64 KB, only over TCP). A second upstream group
#      points at 127.0.0.9:53, where a black hole reads every query and never answers (hostile.py blackhole).
#   2. splitroute: the packaged jar with the shipped flags (config/jvm.options, else the systemd unit's
#      SPLITROUTE_JAVA_OPTS) plus -Xlog:gc, supervised: if it exits it is started again and counted.
#      Routes: huge.test and good.test to knot, silent.test to the dead upstream. Admin on 127.0.0.1.
#   3. before: the good client (dnsperf from 127.0.0.2, GOOD_QPS queries/s over UDP, 200 cached names,
#      per-query times) alone for BEFORE s, after WARMUP s.
#   4. during: the same good client for DURATION s while, all at once:
#        huge answers    dnsperf over TCP (HUGE_QPS/s) and UDP with EDNS (HUGE_QPS/s) for huge.test names
#        never answered  dnsperf, SILENT_QPS/s unique silent.test names (each waits for upstream-timeout)
#        slow TCP        SLOW_CONNECTIONS connections sending one byte a second, 12 per address (hostile.py)
#        malformed       GARBAGE_RATE malformed messages/s over UDP, one in 20 over TCP (hostile.py)
#        admin abuse     ADMIN_RATE requests/s: 200 MB bodies, header bombs, foreign Host/Origin, GET /reload,
#                        chunked floods, 20 connections that never finish their headers (hostile.py)
#      and a probe asks /healthz once a second (answers other than 200 are counted).
#   5. Prints the table; raw outputs (dnsperf, server logs, gc logs, RSS samples, the attackers' counts,
#      the server's /metrics at the end) go to bench/out/hostile-<UTC timestamp>/.
#
# Usage (as root; needs knot, dnsperf, dig, curl, python3, iproute2 and a JDK 25):
#   bench/hostile-load.sh                            # about 2 minutes
#   DURATION=10 BEFORE=5 WARMUP=5 bench/hostile-load.sh    # a smoke run
# Settings (environment, defaults in brackets): DURATION [60] s of attack, BEFORE [20] s, WARMUP [10] s,
#   GOOD_QPS [200], HUGE_QPS [200], SILENT_QPS [1000], GARBAGE_RATE [1000], SLOW_CONNECTIONS [300],
#   ADMIN_RATE [5], HUGE_NAMES [100], HUGE_RECORDS [4000], EXTRA_JVM_OPTS [] (added after the shipped flags),
#   SPLITROUTE_JAR [resolver/target/splitroute.jar], JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64].
# Traffic stays inside the namespace. Only the processes this script started are stopped (by PID).
set -euo pipefail

NAME=hostile
# shellcheck source=bench/netns-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/netns-common.sh"

DURATION="${DURATION:-60}"
BEFORE="${BEFORE:-20}"
WARMUP="${WARMUP:-10}"
GOOD_QPS="${GOOD_QPS:-200}"
HUGE_QPS="${HUGE_QPS:-200}"
SILENT_QPS="${SILENT_QPS:-1000}"
GARBAGE_RATE="${GARBAGE_RATE:-1000}"
SLOW_CONNECTIONS="${SLOW_CONNECTIONS:-300}"
ADMIN_RATE="${ADMIN_RATE:-5}"
HUGE_NAMES="${HUGE_NAMES:-100}"
HUGE_RECORDS="${HUGE_RECORDS:-4000}"
KNOT_PORT=5300
DNS_PORT=5353
ADMIN_PORT=9153

preflight knotd dnsperf dig curl
make_namespace

# ---------------------------------------------------------------- upstream: knot
mkdir -p "$TMP/knot"
cat > "$TMP/knot/good.test.zone" <<'EOF'
$ORIGIN good.test.
$TTL 3600
@   SOA ns.good.test. hostmaster.good.test. 1 3600 600 86400 300
@   NS  ns
ns  A   192.0.2.53
*   A   192.0.2.1
EOF
# huge.test: HUGE_RECORDS distinct addresses per name, from 198.18.0.0/15 (benchmarking; never contacted).
awk -v names="$HUGE_NAMES" -v records="$HUGE_RECORDS" 'BEGIN {
  print "$ORIGIN huge.test."; print "$TTL 3600"
  print "@ SOA ns.huge.test. hostmaster.huge.test. 1 3600 600 86400 300"; print "@ NS ns"; print "ns A 192.0.2.53"
  for (n = 1; n <= names; n++) for (r = 0; r < records; r++)
    printf "h%d A 198.%d.%d.%d\n", n, 18 + int(r / 65536) % 2, int(r / 256) % 256, r % 256
}' > "$TMP/knot/huge.test.zone"
cat > "$TMP/knot/knot.conf" <<EOF
server:
    rundir: $TMP/knot
    listen: 127.0.0.1@$KNOT_PORT
    background-workers: 1
    tcp-max-clients: 1000
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
  - domain: good.test
  - domain: huge.test
EOF
start_knot "$TMP/knot/knot.conf" "$KNOT_PORT" "g0.good.test"

# ---------------------------------------------------------------- the upstream that never answers
"${IN_NS[@]}" python3 "$ROOT/bench/hostile.py" blackhole --host 127.0.0.9 --port 53 \
  --duration $(( WARMUP + BEFORE + DURATION + 600 )) > "$OUT/blackhole.txt" 2>&1 &
STARTED_PIDS+=("$!")

# ---------------------------------------------------------------- splitroute
cat > "$TMP/splitroute.yaml" <<EOF
listen: ["127.0.0.1:$DNS_PORT"]
upstreams:
  knot: ["udp://127.0.0.1:$KNOT_PORT"]
  void: ["udp://127.0.0.9:53"]
routes:
  - { name: silent, domains: [silent.test], upstream: void }
default-upstream: knot
admin: { listen: "127.0.0.1:$ADMIN_PORT" }
EOF
cp "$TMP/splitroute.yaml" "$OUT/"
start_splitroute "$TMP/splitroute.yaml" "$DNS_PORT" "g0.good.test"

# ---------------------------------------------------------------- queries
awk 'BEGIN { for (i = 1; i <= 200; i++) print "g" i ".good.test A" }' > "$TMP/good.txt"
awk -v n="$HUGE_NAMES" 'BEGIN { for (i = 1; i <= n; i++) print "h" i ".huge.test A" }' > "$TMP/huge.txt"
awk -v n=$(( SILENT_QPS * DURATION + 1000 )) 'BEGIN { for (i = 1; i <= n; i++) print "s" i ".silent.test A" }' \
  > "$TMP/silent.txt"

good_client() { # $1 seconds, $2 output name
  nsx dnsperf -a 127.0.0.2 -s 127.0.0.1 -p "$DNS_PORT" -d "$TMP/good.txt" -Q "$GOOD_QPS" -c 1 -q 50 -t 2 \
    -l "$1" -v > "$OUT/$2.txt" 2>&1
}
rss_sample() { echo "$(date -u +%H:%M:%S) $1 rss=$(rss_mib) hwm=$(hwm_mib) threads=$(threads) fds=$(fds)" >> "$OUT/rss.txt"; }

log "warm-up: $WARMUP s of the good client"
good_client "$WARMUP" warmup
log "before: $BEFORE s of the good client alone"
good_client "$BEFORE" before
RSS_BEFORE=$(rss_mib)
rss_sample before

# ---------------------------------------------------------------- attack
log "during: $DURATION s of the good client under attack"
ATTACKERS=()
attacker() { # $1 output name, then the command (run in the namespace)
  local name="$1"
  shift
  "${IN_NS[@]}" "$@" > "$OUT/attack-$name.txt" 2>&1 &
  STARTED_PIDS+=("$!")
  ATTACKERS+=("$!")
}
HOSTILE="$ROOT/bench/hostile.py"
attacker huge-tcp dnsperf -a 127.0.0.3 -m tcp -s 127.0.0.1 -p "$DNS_PORT" -d "$TMP/huge.txt" -Q "$HUGE_QPS" \
  -c 20 -q 100 -t 5 -l "$DURATION"
attacker huge-udp dnsperf -a 127.0.0.3 -e -s 127.0.0.1 -p "$DNS_PORT" -d "$TMP/huge.txt" -Q "$HUGE_QPS" \
  -c 4 -q 100 -t 5 -l "$DURATION"
attacker silent dnsperf -a 127.0.0.4 -s 127.0.0.1 -p "$DNS_PORT" -d "$TMP/silent.txt" -Q "$SILENT_QPS" \
  -c 4 -q 5000 -t 5 -l "$DURATION"
attacker slow-tcp python3 "$HOSTILE" slow-tcp --port "$DNS_PORT" --source 127.0.1.1 \
  --sources $(( (SLOW_CONNECTIONS + 11) / 12 )) --connections "$SLOW_CONNECTIONS" --duration "$DURATION"
attacker garbage python3 "$HOSTILE" garbage --port "$DNS_PORT" --source 127.0.0.6 --rate "$GARBAGE_RATE" \
  --duration "$DURATION"
attacker admin python3 "$HOSTILE" admin --port "$ADMIN_PORT" --source 127.0.0.7 --rate "$ADMIN_RATE" \
  --duration "$DURATION"
good_client "$DURATION" during &
GOOD_PID=$!
STARTED_PIDS+=("$GOOD_PID")

HEALTH_OK=0
HEALTH_BAD=0
PEAK_RSS=0
while kill -0 "$GOOD_PID" 2>/dev/null; do
  supervise "$TMP/splitroute.yaml" "$DNS_PORT" "g0.good.test" || true
  code=$(nsx curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$ADMIN_PORT/healthz" || true)
  if [ "$code" = 200 ]; then HEALTH_OK=$((HEALTH_OK + 1)); else HEALTH_BAD=$((HEALTH_BAD + 1)); fi
  rss=$(rss_mib)
  [ "$rss" != "-" ] && [ "$rss" -gt "$PEAK_RSS" ] && PEAK_RSS=$rss
  rss_sample during
  sleep 1
done
wait "$GOOD_PID" || true
# On SIGINT dnsperf and the Python peers stop and print their counts; they get 10 s.
for pid in "${ATTACKERS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for _ in $(seq 1 100); do
  alive=0
  for pid in "${ATTACKERS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 0.1
done
for pid in "${ATTACKERS[@]}"; do stop_pid "$pid"; done
supervise "$TMP/splitroute.yaml" "$DNS_PORT" "g0.good.test" || true
sleep 2
RSS_AFTER=$(rss_mib)
HWM_AFTER=$(hwm_mib)
rss_sample after
nsx curl -s -m 5 "http://127.0.0.1:$ADMIN_PORT/metrics" > "$OUT/metrics-after.txt" || true

# ---------------------------------------------------------------- table
read -r B50 B99 < <(percentiles "$OUT/before.txt")
read -r D50 D99 < <(percentiles "$OUT/during.txt")
metric() { awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { print s + 0 }' "$OUT/metrics-after.txt"; }
{
  echo
  echo "hostile-load: good client ${GOOD_QPS} q/s UDP; attack ${DURATION} s; flags: $(shipped_jvm_flags) ${EXTRA_JVM_OPTS:-}"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
  printf '%-44s %14s %14s\n' "good client" "before" "during"
  printf '%-44s %14s %14s\n' "latency p50 (ms)" "$B50" "$D50"
  printf '%-44s %14s %14s\n' "latency p99 (ms)" "$B99" "$D99"
  printf '%-44s %14s %14s\n' "queries answered" "$(summary "$OUT/before.txt" 'Queries completed:')" \
    "$(summary "$OUT/during.txt" 'Queries completed:')"
  printf '%-44s %14s %14s\n' "queries lost" "$(summary "$OUT/before.txt" 'Queries lost:')" \
    "$(summary "$OUT/during.txt" 'Queries lost:')"
  printf '%-44s %14s %14s\n' "answers other than NOERROR" "$(not_noerror "$OUT/before.txt")" \
    "$(not_noerror "$OUT/during.txt")"
  echo
  printf '%-44s %s\n' "RSS before / peak during / after (MiB)" "$RSS_BEFORE / $PEAK_RSS / $RSS_AFTER (VmHWM $HWM_AFTER)"
  printf '%-44s %s\n' "restarts (target 0)" "$RESTARTS${EXITS:+ (exit statuses:$EXITS)}"
  printf '%-44s %s\n' "/healthz during (200 / other)" "$HEALTH_OK / $HEALTH_BAD"
  printf '%-44s %s\n' "huge answers over TCP / UDP completed" "$(summary "$OUT/attack-huge-tcp.txt" 'Queries completed:') / $(summary "$OUT/attack-huge-udp.txt" 'Queries completed:')"
  printf '%-44s %s\n' "never-answered queries sent / answered" "$(summary "$OUT/attack-silent.txt" 'Queries sent:') / $(summary "$OUT/attack-silent.txt" 'Queries completed:')"
  printf '%-44s %s\n' "TCP closed: frame deadline / at accept (per client, total cap)" "$(metric dns_tcp_frame_timeouts_total) / $(metric 'dns_tcp_rejected_total{reason="per-client"}'), $(metric 'dns_tcp_rejected_total{reason="max-connections"}')"
  printf '%-44s %s\n' "malformed: dropped / FORMERR+NOTIMP" "$(metric dns_dropped_total) / $(metric dns_malformed_total)"
  printf '%-44s %s\n' "admin requests refused" "$(metric admin_requests_rejected_total)"
  for f in slow-tcp garbage admin; do sed "s/^/  attacker /" "$OUT/attack-$f.txt" | tail -1; done
  echo "(after a restart the counters start again; raw outputs in $OUT)"
} | tee "$OUT/summary.txt"
