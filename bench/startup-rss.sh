#!/usr/bin/env bash
# startup-rss.sh: launch time and memory of splitroute, dnsmasq and SmartDNS with the same lists and sets.
#
# What it does
#   1. Starts an upstream on loopback (a dnsmasq answering every name with 192.0.2.1, TTL 300) and writes each
#      server's config: gfwlist (routed to a "clean" group, its answers written to an ipset) and
#      dnsmasq-china-list (routed to an "isp" group), both groups that same upstream, cache CACHE_SIZE.
#      splitroute reads the lists as published; dnsmasq and SmartDNS get them the way their users convert them
#      (server=/d/ + ipset=/d/ lines for dnsmasq; domain-set + nameserver/ipset rules for SmartDNS).
#   2. For each server: STARTS launches timed from the fork to the first answered query (a UDP probe every 5 ms,
#      also the server's CPU time at that moment), then one more launch that is left IDLE_SECS idle (VmRSS,
#      threads), loaded with dnsperf at LOAD_QPS for LOAD_SECS (names from both lists and unlisted ones, more
#      than the cache holds), and read again (VmRSS, VmHWM).
#   3. Prints one table with both ratios; raw outputs in bench/out/<UTC timestamp>-startup/.
#
# splitroute runs through its launcher (dist/target/splitroute/bin/splitroute) with the shipped JVM flags
# (config/jvm.options) and its ahead-of-time cache: a first, unmeasured start writes the compiled rule table
# beside the lists and makes the cache for this Java (as a user's first start does); the script waits for both.
#
# Usage (as root: the ipsets; needs dnsmasq, smartdns, dnsperf, ipset, python3; the lists in ../shared/data)
#   bench/startup-rss.sh                         # ~3 minutes
#   STARTS=5 LOAD_SECS=30 bench/startup-rss.sh
#   SERVERS="splitroute dnsmasq" bench/startup-rss.sh
#
# Settings (environment variables, defaults in brackets)
#   STARTS [3]            timed launches per server; the table shows the median (and the range)
#   IDLE_SECS [3]         idle time before the idle RSS is read
#   LOAD_QPS [3000]  LOAD_SECS [20]     the load before the second RSS reading
#   CACHE_SIZE [20000]    cache entries, every server
#   SERVERS ["splitroute dnsmasq smartdns"]
#   DATA [../shared/data] the lists: gfwlist/gfwlist.txt, dnsmasq-china-list/accelerated-domains.china.conf
#   SPLITROUTE [dist/target/splitroute/bin/splitroute]   the launcher (./mvnw -DskipTests package makes it)
#   SPLITROUTE_JAVA_OPTS  flags added after the shipped ones (as the launcher reads them)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STARTS="${STARTS:-3}"
IDLE_SECS="${IDLE_SECS:-3}"
LOAD_QPS="${LOAD_QPS:-3000}"
LOAD_SECS="${LOAD_SECS:-20}"
CACHE_SIZE="${CACHE_SIZE:-20000}"
SERVERS="${SERVERS:-splitroute dnsmasq smartdns}"
# ../shared/data beside the checkout (/work/main), or two levels up from a worktree (/work/wt/NAME).
DATA="${DATA:-$ROOT/../shared/data}"
[ -d "$DATA" ] || [ ! -d "$ROOT/../../shared/data" ] || DATA="$ROOT/../../shared/data"
SPLITROUTE="${SPLITROUTE:-$ROOT/dist/target/splitroute/bin/splitroute}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

OUT="$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)-startup"
TMP="$(mktemp -d /tmp/splitroute-startup.XXXXXX)"
TAG="srb$$"
STARTED_PIDS=()
SETS=()

log() { printf '[startup %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
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
  local pid s
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  for s in "${SETS[@]}"; do ipset destroy "$s" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "needs root (it creates ipsets named $TAG-*)"
for tool in dnsmasq dnsperf ipset python3 ss awk; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install dnsmasq-base dnsperf ipset python3 iproute2)"
done
[[ " $SERVERS " != *" smartdns "* ]] || command -v smartdns >/dev/null || die "smartdns not found (apt-get install smartdns)"
GFWLIST="$DATA/gfwlist/gfwlist.txt"
CHINA="$DATA/dnsmasq-china-list/accelerated-domains.china.conf"
[ -r "$GFWLIST" ] && [ -r "$CHINA" ] || die "lists not found under $DATA (set DATA)"
mkdir -p "$OUT" "$TMP/lists"
cp "$GFWLIST" "$CHINA" "$TMP/lists/"

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

# The probe: forks the server, sends an A query every 5 ms, prints "WALL_MS CPU_MS PID" at the first NOERROR.
cat > "$TMP/probe.py" <<'EOF'
import os, random, socket, struct, subprocess, sys, time
port, timeout, log = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
cmd = sys.argv[4:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setblocking(False)
def query(qid):
    name = b"".join(bytes([len(l)]) + l for l in (b"probe-%d.example.org" % qid).split(b".")) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1)
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
sent = set()
while time.monotonic() - t0 < timeout and p.poll() is None:
    qid = random.randrange(65536); sent.add(qid)
    try:
        s.sendto(query(qid), ("127.0.0.1", port))
    except OSError:
        pass
    end = time.monotonic() + 0.005
    while time.monotonic() < end:
        try:
            data = s.recv(4096)
        except (BlockingIOError, ConnectionRefusedError):
            time.sleep(0.0005); continue
        rid, flags = struct.unpack(">HH", data[:4])
        if rid in sent and flags & 0x8000 and flags & 0xF == 0:
            ms = (time.monotonic() - t0) * 1000
            st = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
            print("%d %d %d" % (ms, (int(st[11]) + int(st[12])) * 1000 // os.sysconf("SC_CLK_TCK"), p.pid))
            sys.exit(0)
print("failed %d" % p.pid)
sys.exit(1)
EOF

# ---------------------------------------------------------------- upstream
UP_PORT="$(free_port)"
dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 --port="$UP_PORT" \
  --address=/#/192.0.2.1 --local-ttl=300 --cache-size=0 --dns-forward-max=1000 --conf-file=/dev/null --pid-file= \
  --user=root > "$OUT/upstream.log" 2>&1 &
STARTED_PIDS+=("$!")
log "upstream (dnsmasq address=/#/192.0.2.1) on 127.0.0.1:$UP_PORT"

# ---------------------------------------------------------------- lists for the peers, and the load
# gfwlist as its users feed it to dnsmasq: the host of every ||, |http(s):// and plain rule, exceptions and
# regexes left out (gfwlist2dnsmasq's way, roughly; ~4 300 names).
base64 -d "$GFWLIST" 2>/dev/null | awk '
  /^[!\[]/ || /^@@/ || /^\// || NF == 0 { next }
  { h = $0; sub(/^\|\|/, "", h); sub(/^\|https?:\/\//, "", h); sub(/^\./, "", h); sub(/[\/:^*%].*$/, "", h)
    if (h ~ /^[A-Za-z0-9.-]+\.[A-Za-z]+$/ && h !~ /^[0-9.]+$/) print tolower(h) }' | sort -u > "$TMP/gfw-domains.txt"
awk -F/ '/^server=\//{ print $2 }' "$CHINA" > "$TMP/china-domains.txt"
log "peer lists: $(wc -l < "$TMP/gfw-domains.txt") gfwlist names, $(wc -l < "$TMP/china-domains.txt") china-list names"
{
  shuf -n 12000 --random-source=<(yes) "$TMP/china-domains.txt" | sed 's/^/www./; s/$/ A/'
  shuf -n 3000 --random-source=<(yes) "$TMP/gfw-domains.txt" | sed 's/^/www./; s/$/ A/'
  for i in $(seq 1 20000); do echo "host$i.example$((i % 97)).test A"; done
} | shuf --random-source=<(yes) > "$TMP/load.txt"

# ---------------------------------------------------------------- server configs
# Called in the main shell only (the cmd_* functions run in a subshell): cleanup must know every set.
new_set() { ipset create "$1" hash:ip timeout 300 maxelem 1000000 -exist; SETS+=("$1"); }

cmd_splitroute() {
  local port="$1" dir="$TMP/splitroute"
  mkdir -p "$dir"; cp -n "$TMP/lists/"* "$dir/" 2>/dev/null || true
  cat > "$dir/splitroute.yaml" <<EOF
listen: ["127.0.0.1:$port"]
admin: { listen: "127.0.0.1:$(free_port)" }
upstreams: { clean: ["udp://127.0.0.1:$UP_PORT"], isp: ["udp://127.0.0.1:$UP_PORT"] }
lists:
  gfwlist: { file: $dir/gfwlist.txt, format: gfwlist }
  china: { file: $dir/accelerated-domains.china.conf, format: dnsmasq }
sets: { gfw4: { type: ipset, name: $TAG-sr } }
routes:
  - { name: tunnel, lists: [gfwlist], upstream: clean, sets: [gfw4] }
  - { name: domestic, lists: [china], upstream: isp }
default-upstream: isp
cache: { size: $CACHE_SIZE }
EOF
  echo "env SPLITROUTE_AOT_DIR=$TMP/aot $SPLITROUTE run --config $dir/splitroute.yaml"
}

cmd_dnsmasq() {
  local port="$1" dir="$TMP/dnsmasq"
  mkdir -p "$dir"
  awk -v up="127.0.0.1#$UP_PORT" -v set="$TAG-dm" '{ print "server=/" $1 "/" up; print "ipset=/" $1 "/" set }' \
    "$TMP/gfw-domains.txt" > "$dir/gfwlist.conf"
  sed "s|^server=/\([^/]*\)/.*|server=/\1/127.0.0.1#$UP_PORT|" "$CHINA" > "$dir/china.conf"
  echo "dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1" \
    "--port=$port --server=127.0.0.1#$UP_PORT --cache-size=$CACHE_SIZE --conf-file=$dir/gfwlist.conf" \
    "--conf-file=$dir/china.conf --pid-file= --user=root"
}

cmd_smartdns() {
  local port="$1" dir="$TMP/smartdns"
  mkdir -p "$dir"
  cat > "$dir/smartdns.conf" <<EOF
bind 127.0.0.1:$port
server 127.0.0.1:$UP_PORT
server 127.0.0.1:$UP_PORT -group clean -exclude-default-group
server 127.0.0.1:$UP_PORT -group isp -exclude-default-group
cache-size $CACHE_SIZE
speed-check-mode none
dualstack-ip-selection no
prefetch-domain no
serve-expired no
log-level error
domain-set -name gfw -file $TMP/gfw-domains.txt
domain-set -name china -file $TMP/china-domains.txt
nameserver /domain-set:gfw/clean
ipset /domain-set:gfw/$TAG-sd
nameserver /domain-set:china/isp
EOF
  echo "smartdns -f -c $dir/smartdns.conf -p -"
}

for s in sr dm sd; do new_set "$TAG-$s"; done

# ---------------------------------------------------------------- measuring
declare -A R
rss() { awk -v k="$2" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# splitroute's resident pages by mapping (MiB): anonymous memory (Java heap, metaspace, code, thread stacks,
# malloc, direct buffers), the AOT cache (and how much of it the JVM changed on mapping it, which makes those
# pages private), libjvm.so, the mapped rule table, other files.
by_mapping() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { n = NF >= 6 ? $6 : ""; k = n == "" || n ~ /^\[/ ? "anon" : n ~ /\.aot$/ ? "aot" \
         : n ~ /libjvm\.so$/ ? "jvm" : n ~ /splitroute-rules\.bin$/ ? "rules" : "files"; next }
       $1 == "Rss:" { r[k] += $2 } $1 == "Anonymous:" && k == "aot" { copied += $2 }
       END { printf "anonymous %.1f, AOT cache %.1f (%.1f of it copied), libjvm %.1f, rule table %.1f, other files %.1f", \
             r["anon"] / 1024, r["aot"] / 1024, copied / 1024, r["jvm"] / 1024, r["rules"] / 1024, r["files"] / 1024 }' \
    "/proc/$1/smaps"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Launches server $1 once with the probe; sets LAST_PID, LAST_MS, LAST_CPU.
launch() {
  local s="$1" label="$2" port out
  port="$(free_port)"
  out=$(python3 "$TMP/probe.py" "$port" 60 "$OUT/$s-$label.log" $("cmd_$s" "$port")) \
    || { tail -20 "$OUT/$s-$label.log" >&2; die "$s did not answer within 60 s ($out)"; }
  read -r LAST_MS LAST_CPU LAST_PID <<< "$out"
  STARTED_PIDS+=("$LAST_PID")
  PORT=$port
}

for s in $SERVERS; do
  case "$s" in splitroute | dnsmasq | smartdns) ;; *) die "unknown server '$s' in SERVERS" ;; esac
done
if [[ " $SERVERS " == *" splitroute "* ]]; then
  [ -x "$SPLITROUTE" ] || die "$SPLITROUTE not found: run ./mvnw -DskipTests package first"
  log "splitroute: first start (writes the compiled rule table, makes the AOT cache in the background)"
  launch splitroute first
  stop_pid "$LAST_PID"
  for i in $(seq 1 240); do compgen -G "$TMP/aot/splitroute-*.aot" > /dev/null && break; sleep 0.5; done
  compgen -G "$TMP/aot/splitroute-*.aot" > /dev/null || log "WARNING: no AOT cache after 120 s; measuring without"
fi
for s in $SERVERS; do
  ms=() cpu=()
  for i in $(seq 1 "$STARTS"); do
    launch "$s" "start-$i"
    ms+=("$LAST_MS"); cpu+=("$LAST_CPU")
    log "$s: answered after $LAST_MS ms ($LAST_CPU ms CPU)"
    stop_pid "$LAST_PID"
  done
  R[$s.ms]=$(printf '%s\n' "${ms[@]}" | median)
  R[$s.ms_range]="$(printf '%s\n' "${ms[@]}" | sort -g | head -1)-$(printf '%s\n' "${ms[@]}" | sort -g | tail -1)"
  R[$s.cpu]=$(printf '%s\n' "${cpu[@]}" | median)
  launch "$s" memory
  sleep "$IDLE_SECS"
  R[$s.rss_idle]=$(rss "$LAST_PID" VmRSS)
  R[$s.threads]=$(ls "/proc/$LAST_PID/task" | wc -l)
  R[$s.file_idle]=$(rss "$LAST_PID" RssFile)
  [ "$s" != splitroute ] || R[$s.map_idle]=$(by_mapping "$LAST_PID")
  log "$s: idle VmRSS ${R[$s.rss_idle]} MiB, ${R[$s.threads]} threads; load $LOAD_QPS q/s for $LOAD_SECS s"
  dnsperf -s 127.0.0.1 -p "$PORT" -d "$TMP/load.txt" -l "$LOAD_SECS" -Q "$LOAD_QPS" -c 4 -t 2 > "$OUT/$s-load.txt" 2>&1 || true
  R[$s.lost]=$(awk '/Queries lost:/ { print $3 }' "$OUT/$s-load.txt")
  R[$s.rss_load]=$(rss "$LAST_PID" VmRSS)
  R[$s.hwm]=$(rss "$LAST_PID" VmHWM)
  R[$s.file_load]=$(rss "$LAST_PID" RssFile)
  [ "$s" != splitroute ] || R[$s.map_load]=$(by_mapping "$LAST_PID")
  stop_pid "$LAST_PID"
done

# ---------------------------------------------------------------- table
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
{
  echo "launch and memory, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "gfwlist + dnsmasq-china-list, gfwlist answers to an ipset, cache $CACHE_SIZE; load $LOAD_QPS q/s for $LOAD_SECS s"
  printf '%-34s %12s %12s %12s %9s %9s\n' metric splitroute dnsmasq smartdns "sr/dm" "sr/sd"
  for row in "ms|launch to first answer (ms, median)" "ms_range|  range of $STARTS launches" \
             "cpu|  CPU until then (ms)" "rss_idle|RSS idle (MiB)" "file_idle|  of it file pages (MiB)" \
             "threads|threads idle" "rss_load|RSS after load (MiB)" "file_load|  of it file pages (MiB)" \
             "hwm|peak RSS VmHWM (MiB)" "lost|lost queries under load"; do
    IFS='|' read -r key label <<< "$row"
    a="${R[splitroute.$key]:--}" b="${R[dnsmasq.$key]:--}" c="${R[smartdns.$key]:--}"
    printf '%-34s %12s %12s %12s %9s %9s\n' "$label" "$a" "$b" "$c" "$(ratio "$a" "$b")" "$(ratio "$a" "$c")"
  done
  [ -z "${R[splitroute.map_idle]:-}" ] || echo "splitroute RSS idle (MiB): ${R[splitroute.map_idle]}"
  [ -z "${R[splitroute.map_load]:-}" ] || echo "splitroute RSS after load (MiB): ${R[splitroute.map_load]}"
  options="$(dirname "$SPLITROUTE")/../config/jvm.options"; [ -r "$options" ] || options="$ROOT/config/jvm.options"
  echo "splitroute: $SPLITROUTE (flags: $(grep -v '^#' "$options" | xargs) ${SPLITROUTE_JAVA_OPTS:-})"
  echo "raw output: $OUT"
} | tee "$OUT/table.txt"
