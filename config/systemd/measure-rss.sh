#!/bin/bash
# measure-rss.sh - RSS of splitroute under dnsperf load, for choosing JVM flags (see README.md, Memory).
#
# Usage: measure-rss.sh CHINA_LIST_FILE [JVM flags...]     e.g.
#   MALLOC_ARENA_MAX=2 config/systemd/measure-rss.sh ../shared/data/dnsmasq-china-list/accelerated-domains.china.conf \
#       -Xmx72m -Xmn12m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
# Env: CACHE (20000), SECS (40), QPS (3000), JAR (resolver/target/splitroute.jar), JAVA (java).
# Everything stays on loopback: a dnsmasq on 127.0.0.1:5391 answers every name with 192.0.2.1 (TTL 300),
# splitroute listens on 127.0.0.1:5390, admin on 127.0.0.1:9390; needs root for the ipset it creates
# (srmem<PID>, destroyed on exit). Queries: 20000 china-list names, 15000 synthetic names, gfwlist names.
set -eu
china=$1; shift
jar=${JAR:-resolver/target/splitroute.jar}
dir=$(mktemp -d)
set=srmem$$
awk -F/ '/^server=\//{print $2" A"}' "$china" | shuf -n 20000 --random-source=<(yes) > "$dir/q"
for i in $(seq 1 15000); do echo "host$i.example$((i % 97)).test A"; done >> "$dir/q"
for d in google.com youtube.com twitter.com facebook.com wikipedia.org github.com; do echo "www.$d A"; done >> "$dir/q"
shuf --random-source=<(yes) -o "$dir/q" "$dir/q"
cat > "$dir/c.yaml" <<YAML
listen: ["127.0.0.1:5390"]
admin: { listen: "127.0.0.1:9390" }
upstreams: { clean: ["udp://127.0.0.1:5391"], isp: ["udp://127.0.0.1:5391"] }
lists:
  gfwlist: { file: "bundled:gfwlist", format: gfwlist }
  china: { file: "$(realpath "$china")", format: dnsmasq }
sets: { gfw4: { type: ipset, name: $set, create: true, timeout: 300 } }
routes:
  - { name: tunnel, lists: [gfwlist], upstream: clean, sets: [gfw4] }
  - { name: domestic, lists: [china], upstream: isp }
default-upstream: isp
cache: { size: ${CACHE:-20000} }
YAML
dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 --port=5391 \
    --address=/#/192.0.2.1 --local-ttl=300 --cache-size=0 --dns-forward-max=1000 -8 /dev/null 2>/dev/null & dm=$!
"${JAVA:-java}" "$@" --enable-native-access=ALL-UNNAMED -jar "$jar" run --config "$dir/c.yaml" > "$dir/log" 2>&1 & sr=$!
cleanup() {
  kill "$sr" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$sr" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$sr" 2>/dev/null || true; kill "$dm" 2>/dev/null || true; wait 2>/dev/null || true
  ipset destroy "$set" 2>/dev/null || true; rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:9390/healthz >/dev/null && break; sleep 0.2; done
rss() { awk '/VmRSS/ {printf "%d MB\n", $2/1024}' "/proc/$sr/status"; }
echo "flags: $*"; echo "RSS idle: $(rss)"
dnsperf -s 127.0.0.1 -p 5390 -d "$dir/q" -l "${SECS:-40}" -Q "${QPS:-3000}" -c 4 -t 2 > "$dir/perf" 2>&1
grep -E "Queries (completed|lost)|Queries per second" "$dir/perf" | tr -s ' '
echo "RSS after load: $(rss) (peak $(awk '/VmHWM/ {printf "%d MB", $2/1024}' "/proc/$sr/status"))"
