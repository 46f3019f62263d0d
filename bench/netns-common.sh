# shellcheck shell=bash
# netns-common.sh: what hostile-load.sh and soak.sh share; sourced, not run. Set NAME (the log prefix) first.
#
# A run happens in a network namespace of its own (sr-<NAME>-<random>): every server and client runs inside
# it, on its loopback (127.0.0.0/8, so clients can use distinct source addresses). Cleanup (also on Ctrl-C or failure) stops every process the script
# started, by PID, and deletes the namespace (with whatever sets it holds).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME="${JAVA_HOME:-}"
SPLITROUTE_JAR="${SPLITROUTE_JAR:-$ROOT/resolver/target/splitroute.jar}"
RAND="$(printf '%04x%04x' $RANDOM $RANDOM)"
NS="sr-$NAME-$RAND"
OUT="$ROOT/bench/out/$NAME-$(date -u +%Y%m%dT%H%M%SZ)"
TMP="$(mktemp -d "/tmp/splitroute-$NAME.XXXXXX")"
STARTED_PIDS=()
NS_CREATED=0
IN_NS=(nsenter --net="/run/netns/$NS" --)

log() { printf '[%s %s] %s\n' "$NAME" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# Runs a command in the namespace. Long-running ones are started as "${IN_NS[@]}" CMD & (nsenter execs CMD,
# so $! is CMD's own PID, which cleanup stops).
nsx() { "${IN_NS[@]}" "$@"; }

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
  if [ "$NS_CREATED" = 1 ]; then
    ip netns del "$NS" 2>/dev/null || log "WARNING: could not delete netns $NS"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Checks root, the tools named, the JDK and the jar (built when missing).
preflight() {
  local tool
  [ "$(id -u)" = 0 ] || die "needs root (creates a network namespace)"
  for tool in ip nsenter python3 "$@"; do
    command -v "$tool" >/dev/null || die "$tool not found (see bench/README.md for the packages)"
  done
  [ -x "$JAVA_HOME/bin/java" ] || die "JAVA_HOME ($JAVA_HOME) has no bin/java; set JAVA_HOME to a JDK 25"
  if [ ! -f "$SPLITROUTE_JAR" ]; then
    log "building $SPLITROUTE_JAR (./mvnw -q -DskipTests package)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
  fi
  mkdir -p "$OUT"
}

# Creates the namespace, loopback up.
make_namespace() {
  ip netns add "$NS" || die "ip netns add $NS failed"
  NS_CREATED=1
  nsx ip link set lo up
  log "netns $NS; output in $OUT"
}

# The shipped JVM flags: the java argument file config/jvm.options when there is one, else the unit's
# SPLITROUTE_JAVA_OPTS line. Printed as arguments for java.
shipped_jvm_flags() {
  if [ -f "$ROOT/config/jvm.options" ]; then
    echo "@$ROOT/config/jvm.options"
  else
    sed -n 's/^Environment="\{0,1\}SPLITROUTE_JAVA_OPTS=\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/config/systemd/splitroute.service"
  fi
}

# True when the DNS server on 127.0.0.1:$1 (in the namespace) answers NOERROR for name $2.
answers() {
  nsx dig @127.0.0.1 -p "$1" +time=1 +tries=1 +noall +comments "$2" A 2>/dev/null | grep -q 'status: NOERROR'
}

# Starts knotd in the namespace with the config $1; waits until it answers NOERROR for name $3 on port $2.
start_knot() {
  "${IN_NS[@]}" "$(command -v knotd)" -c "$1" > "$OUT/knot.log" 2>&1 &
  KNOT_PID=$!
  STARTED_PIDS+=("$KNOT_PID")
  for _ in $(seq 1 300); do answers "$2" "$3" && break; kill -0 "$KNOT_PID" 2>/dev/null || break; sleep 0.1; done
  answers "$2" "$3" || { tail -20 "$OUT/knot.log" >&2; die "knotd did not answer on 127.0.0.1:$2"; }
  log "knot (pid $KNOT_PID) on 127.0.0.1:$2"
}

# splitroute, the packaged jar with the shipped flags (plus EXTRA_JVM_OPTS), run as a service manager would:
# when it exits, the exit is counted as a restart and it is started again (SR_PID is the current process).
RESTARTS=0
EXITS=""
SR_STARTS=0
start_splitroute() { # $1 config, $2 DNS port, $3 a name it answers
  local flags
  SR_STARTS=$((SR_STARTS + 1))
  read -r -a flags <<< "$(shipped_jvm_flags) ${EXTRA_JVM_OPTS:-}"
  MALLOC_ARENA_MAX=2 "${IN_NS[@]}" "$JAVA_HOME/bin/java" "${flags[@]}" \
    -Xlog:gc:file="$OUT/gc-$SR_STARTS.log":uptime -jar "$SPLITROUTE_JAR" run --config "$1" \
    > "$OUT/splitroute-$SR_STARTS.log" 2>&1 &
  SR_PID=$!
  STARTED_PIDS+=("$SR_PID")
  echo "$SR_PID" > "$TMP/splitroute.pid"
  for _ in $(seq 1 600); do answers "$2" "$3" && break; kill -0 "$SR_PID" 2>/dev/null || break; sleep 0.1; done
  answers "$2" "$3" || { tail -20 "$OUT/splitroute-$SR_STARTS.log" >&2; die "splitroute did not answer on 127.0.0.1:$2"; }
  log "splitroute (pid $SR_PID) on 127.0.0.1:$2 with $(shipped_jvm_flags) ${EXTRA_JVM_OPTS:-}"
}

# Restarts splitroute if it exited since the last call; returns 1 when it did.
supervise() { # same arguments as start_splitroute
  kill -0 "$SR_PID" 2>/dev/null && return 0
  local status=0
  wait "$SR_PID" 2>/dev/null || status=$?
  RESTARTS=$((RESTARTS + 1))
  EXITS="$EXITS $status"
  log "splitroute exited with status $status (restart $RESTARTS): $(grep -m1 -i 'outofmemory\|error' \
    "$OUT/splitroute-$SR_STARTS.log" | cut -c1-160)"
  start_splitroute "$@"
  return 1
}

# VmRSS, VmHWM (peak) in MiB, threads and open descriptors of the current splitroute process.
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SR_PID/status" 2>/dev/null || echo "-"; }
hwm_mib() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SR_PID/status" 2>/dev/null || echo "-"; }
threads() { awk '/^Threads/ { print $2 }' "/proc/$SR_PID/status" 2>/dev/null || echo "-"; }
fds() { find "/proc/$SR_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# p50 and p99 in ms of the answered queries in dnsperf -v output $1 ("> RCODE name type secs" lines; a
# query that timed out is "> T name type", counted as lost, not here).
percentiles() {
  awk '$1 == ">" && $2 != "T" { print $NF }' "$1" | sort -g | awk '
    { v[NR] = $1 }
    END { if (NR == 0) { print "n/a n/a"; exit }
          i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
          printf "%.2f %.2f\n", v[i50] * 1000, v[i99] * 1000 }'
}
# Value after "$2" in dnsperf's summary $1 (first number).
summary() { awk -v k="$2" 'index($0, k) { sub(".*" k "[ \t]*", ""); print $1 + 0; exit }' "$1"; }
# Answers other than NOERROR in dnsperf's summary $1.
not_noerror() {
  grep -A1 'Response codes:' "$1" | tr ',' '\n' | grep -v NOERROR | grep -o '[A-Z]\+ [0-9]\+' \
    | awk '{ s += $2 } END { print s + 0 }'
}
