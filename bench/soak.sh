#!/usr/bin/env bash
# soak.sh: splitroute with the shipped JVM flags under steady load for half an hour, with a reload every
# minute and a list update every ten: do memory, descriptors, threads and the kernel set stay flat after
# warm-up, and is every query answered? (targets: flat, 0 lost, 0 restarts)
#
# What it does (all inside a network namespace it creates and deletes)
#   1. knot on 127.0.0.1 answers a-10-X-Y-Z.hit.test (TTL 3600) and a-10-X-Y-Z.miss.test (TTL MISS_TTL) with
#      A 10.X.Y.Z (synthrecord): one address per name.
#   2. A real ipset in the namespace; a list file (hit.test, miss.test and 2000 filler domains) served by a
#      local HTTP server; splitroute (the packaged jar with the shipped flags: config/jvm.options, else the
#      systemd unit's SPLITROUTE_JAVA_OPTS; supervised: an exit is counted and it is started again) routes
#      the list to knot with the ipset.
#   3. dnsperf sends QPS queries/s for DURATION s over a fixed mix: 70 % of 1000 hit names (cached), 30 % of
#      18 000 miss names, each asked again only after its TTL ran out (so it misses). Every answer, hit or
#      miss, is written to the set.
#   4. Every RELOAD_EVERY s: SIGHUP (a reload). Every UPDATE_EVERY s: the served list changes (100 filler
#      domains dropped or put back) and `splitroute lists update --pid-file` downloads it and signals the
#      server, as the cron job does.
#   5. Every SAMPLE_EVERY s a row: RSS, peak RSS, heap after the last GC, open descriptors, threads, set
#      entries, reloads applied / rejected, list updates, restarts. At the end dnsperf's summary: queries
#      sent, answered, lost, and answers other than NOERROR.
#      Raw outputs go to bench/out/soak-<UTC timestamp>/.
#
# Usage (as root; needs knot, dnsperf, dig, curl, ipset, python3, iproute2 and a JDK 25):
#   bench/soak.sh                                    # 30 minutes
#   DURATION=120 RELOAD_EVERY=20 UPDATE_EVERY=60 SAMPLE_EVERY=10 bench/soak.sh     # a 2-minute smoke run
# Settings (environment, defaults in brackets): DURATION [1800] s, QPS [2000], RELOAD_EVERY [60] s,
#   UPDATE_EVERY [600] s, SAMPLE_EVERY [30] s, MISS_TTL [10] s, EXTRA_JVM_OPTS [] (after the shipped flags),
#   SPLITROUTE_JAR [resolver/target/splitroute.jar], JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64].
# Traffic stays inside the namespace. Only the processes this script started are stopped (by PID).
set -euo pipefail

NAME=soak
# shellcheck source=bench/netns-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/netns-common.sh"

DURATION="${DURATION:-1800}"
QPS="${QPS:-2000}"
RELOAD_EVERY="${RELOAD_EVERY:-60}"
UPDATE_EVERY="${UPDATE_EVERY:-600}"
SAMPLE_EVERY="${SAMPLE_EVERY:-30}"
MISS_TTL="${MISS_TTL:-10}"
KNOT_PORT=5300
DNS_PORT=5353
HTTP_PORT=8080
SET="soak4-$RAND"

preflight knotd dnsperf dig curl ipset
make_namespace
nsx ipset create "$SET" hash:ip family inet timeout 0 maxelem 262144
set_entries() { nsx ipset list -t "$SET" 2>/dev/null | awk -F': ' '/^Number of entries/ { print $2 }'; }

# ---------------------------------------------------------------- upstream: knot, one address per name
mkdir -p "$TMP/knot" "$TMP/www"
for zone in hit miss; do
  cat > "$TMP/knot/$zone.test.zone" <<EOF
\$ORIGIN $zone.test.
\$TTL 3600
@   SOA ns.$zone.test. hostmaster.$zone.test. 1 3600 600 86400 300
@   NS  ns
ns  A   192.0.2.53
EOF
done
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
  - id: hit
    type: forward
    prefix: a-
    ttl: 3600
    network: 10.0.0.0/8
  - id: miss
    type: forward
    prefix: a-
    ttl: $MISS_TTL
    network: 10.0.0.0/8
template:
  - id: default
    storage: $TMP/knot
    file: "%s.zone"
    journal-content: none
    zonefile-sync: -1
zone:
  - domain: hit.test
    module: mod-synthrecord/hit
  - domain: miss.test
    module: mod-synthrecord/miss
EOF
start_knot "$TMP/knot/knot.conf" "$KNOT_PORT" "a-10-255-255-254.hit.test"

# ---------------------------------------------------------------- the list, served over HTTP
{ echo "hit.test"; echo "miss.test"; awk 'BEGIN { for (i = 1; i <= 2000; i++) print "f" i ".filler.test" }'; } \
  > "$TMP/list-a.txt"
head -n -100 "$TMP/list-a.txt" > "$TMP/list-b.txt"
cp "$TMP/list-a.txt" "$TMP/www/tunnel.txt"
cp "$TMP/list-a.txt" "$TMP/tunnel.txt"
"${IN_NS[@]}" python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$TMP/www" \
  > "$OUT/http.log" 2>&1 &
STARTED_PIDS+=("$!")

# ---------------------------------------------------------------- splitroute
cat > "$TMP/splitroute.yaml" <<EOF
listen: ["127.0.0.1:$DNS_PORT"]
upstreams: { knot: ["udp://127.0.0.1:$KNOT_PORT"] }
lists:
  tunnel: { file: "$TMP/tunnel.txt", url: "http://127.0.0.1:$HTTP_PORT/tunnel.txt", format: domains }
sets:
  tun4: { type: ipset, name: $SET, family: inet }
routes:
  - { name: tunnel, lists: [tunnel], upstream: knot, sets: [tun4] }
default-upstream: knot
admin: { listen: "127.0.0.1:9153" }
EOF
cp "$TMP/splitroute.yaml" "$OUT/"
start_splitroute "$TMP/splitroute.yaml" "$DNS_PORT" "a-10-255-255-254.hit.test"

# ---------------------------------------------------------------- the query mix
awk 'BEGIN {
  srand(7)
  for (i = 0; i < 60000; i++) {
    if (i % 10 < 7) { h = int(rand() * 1000); printf "a-10-0-%d-%d.hit.test A\n", int(h / 250), h % 250 + 1 }
    else { m++; printf "a-10-1-%d-%d.miss.test A\n", int(m / 250), m % 250 + 1 }
  }
}' > "$TMP/queries.txt"

# ---------------------------------------------------------------- run
log "soak: $DURATION s at $QPS queries/s; reload every $RELOAD_EVERY s, list update every $UPDATE_EVERY s"
"${IN_NS[@]}" dnsperf -s 127.0.0.1 -p "$DNS_PORT" -d "$TMP/queries.txt" -Q "$QPS" -c 4 -q 500 -t 5 \
  -l "$DURATION" > "$OUT/dnsperf.txt" 2>&1 &
DP_PID=$!
STARTED_PIDS+=("$DP_PID")

UPDATES=0
UPDATES_FAILED=0
RELOADS_SENT=0
count_log() { # lines of every splitroute run's log matching $1
  cat "$OUT"/splitroute-*.log | grep -c "$1" || true
}
heap_after_gc() { # MiB live after the last GC of the current run
  sed -n 's/.*->\([0-9]*\)M(.*/\1/p' "$OUT/gc-$SR_STARTS.log" 2>/dev/null | tail -1
}
list_update() {
  local version=b
  [ $((UPDATES % 2)) = 1 ] && version=a
  cp "$TMP/list-$version.txt" "$TMP/www/tunnel.txt.tmp" && mv "$TMP/www/tunnel.txt.tmp" "$TMP/www/tunnel.txt"
  if nsx "$JAVA_HOME/bin/java" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$SPLITROUTE_JAR" \
      lists update --config "$TMP/splitroute.yaml" --pid-file "$TMP/splitroute.pid" >> "$OUT/lists-update.txt" 2>&1; then
    UPDATES=$((UPDATES + 1))
  else
    UPDATES_FAILED=$((UPDATES_FAILED + 1))
    log "lists update failed: $(tail -1 "$OUT/lists-update.txt")"
  fi
}
HEADER=$(printf '%7s %8s %8s %9s %5s %7s %9s %15s %8s %8s' time rss_MiB peak_MiB heap_MiB fds threads \
  set_size reloads_ok/bad updates restarts)
echo "$HEADER" | tee "$OUT/samples.txt" >&2
sample() {
  printf '%7s %8s %8s %9s %5s %7s %9s %15s %8s %8s\n' "${1}s" "$(rss_mib)" "$(hwm_mib)" "$(heap_after_gc)" \
    "$(fds)" "$(threads)" "$(set_entries)" "$(count_log 'reloaded ')/$(count_log 'reload rejected')" \
    "$UPDATES" "$RESTARTS" | tee -a "$OUT/samples.txt" >&2
}
START=$(date +%s)
sample 0
elapsed=0
while [ "$elapsed" -lt "$DURATION" ] && kill -0 "$DP_PID" 2>/dev/null; do
  sleep 1
  elapsed=$(( $(date +%s) - START ))
  supervise "$TMP/splitroute.yaml" "$DNS_PORT" "a-10-255-255-254.hit.test" || true
  if [ $((elapsed / RELOAD_EVERY)) -gt "$RELOADS_SENT" ]; then
    RELOADS_SENT=$((RELOADS_SENT + 1))
    kill -HUP "$SR_PID" 2>/dev/null || true
  fi
  if [ $((elapsed / UPDATE_EVERY)) -gt $((UPDATES + UPDATES_FAILED)) ]; then
    list_update
  fi
  if [ $((elapsed / SAMPLE_EVERY)) -gt "${SAMPLES:-0}" ]; then
    SAMPLES=$((elapsed / SAMPLE_EVERY))
    sample "$elapsed"
  fi
done
wait "$DP_PID" || true
nsx curl -s -m 5 "http://127.0.0.1:9153/metrics" > "$OUT/metrics-after.txt" || true
metric() { awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { print s + 0 }' "$OUT/metrics-after.txt"; }

# ---------------------------------------------------------------- summary
{
  echo
  echo "soak: $DURATION s at $QPS queries/s (70 % hits, 30 % misses, every answer written to an ipset);"
  echo "reload every $RELOAD_EVERY s, list update every $UPDATE_EVERY s; flags: $(shipped_jvm_flags) ${EXTRA_JVM_OPTS:-}"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
  echo
  cat "$OUT/samples.txt"
  echo
  printf '%-40s %s\n' "queries sent / answered" "$(summary "$OUT/dnsperf.txt" 'Queries sent:') / $(summary "$OUT/dnsperf.txt" 'Queries completed:')"
  printf '%-40s %s\n' "queries lost (target 0)" "$(summary "$OUT/dnsperf.txt" 'Queries lost:')"
  printf '%-40s %s\n' "answers other than NOERROR" "$(not_noerror "$OUT/dnsperf.txt") (upstream timeouts $(metric dns_upstream_timeouts_total), since the last start)"
  printf '%-40s %s\n' "set writes failed / past the deadline" "$(metric dns_set_write_failures_total) / $(metric dns_set_deadline_missed_total) (since the last start)"
  printf '%-40s %s\n' "reloads sent / applied / rejected" "$RELOADS_SENT / $(count_log 'reloaded ') / $(count_log 'reload rejected')"
  printf '%-40s %s\n' "list updates ok / failed" "$UPDATES / $UPDATES_FAILED"
  printf '%-40s %s\n' "restarts (target 0)" "$RESTARTS${EXITS:+ (exit statuses:$EXITS)}"
  echo "(raw outputs in $OUT)"
} | tee "$OUT/summary.txt"
