#!/usr/bin/env bash
# Start-up time and RSS of dnsmasq loaded with the same two lists as RuleTableBenchmark, for comparison.
# Loopback only: dnsmasq listens on 127.0.0.1:$PORT (default: a port derived from this shell's PID, so
# runs by other people on the same machine do not collide) and its upstream for listed names is 127.0.0.1#5353.
# Usage (from the repository root, after test-compile + build-classpath as in lists/README.md):
#   lists/src/test/scripts/dnsmasq-startup.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."   # the lists module
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
port=${PORT:-$((20000 + $$ % 20000))}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$JAVA_HOME/bin/java" -cp target/test-classes:target/classes:"$(cat target/cp.txt)" \
    io.splitroute.lists.bench.DnsmasqConfWriter "$work"
echo "address=/probe.splitroute.test/127.0.0.2" > "$work/probe.conf"

run() {  # $1 = label, rest = extra dnsmasq args
  local label=$1; shift
  local start pid rss ms
  start=$(date +%s%N)
  dnsmasq --keep-in-foreground --port="$port" --listen-address=127.0.0.1 --bind-interfaces --no-resolv \
      --no-hosts --user=root --pid-file= --conf-file="$work/probe.conf" "$@" &
  pid=$!
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { echo "dnsmasq $label: exited before answering (port $port in use?)" >&2; return 1; }
    if dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" probe.splitroute.test A 2>/dev/null | grep -q 127.0.0.2; then
      break
    fi
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "dnsmasq $label: answered after ${ms} ms, VmRSS ${rss} kB"
}
run "no lists"
run "gfwlist + china list" --conf-file="$work/gfwlist.conf" --conf-file="$work/china.conf"
