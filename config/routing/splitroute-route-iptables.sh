#!/bin/sh
# splitroute-route-iptables.sh - route the addresses splitroute writes to an ipset through a WireGuard
# tunnel, with iptables (legacy or nf_tables backend) + ipset + iproute2.
#
# Usage: splitroute-route-iptables.sh up|down|status
#
#   up      create what is missing (idempotent: running it twice changes nothing the second time)
#   down    remove exactly what `up` added, nothing else (pre-existing sets are left in place)
#   status  print what is in place and the set sizes; exit 1 if anything is missing
#
# Parameters (environment variables; defaults in brackets):
#   MARK       [0xca6c]    firewall mark given to packets whose destination is in the set
#   TABLE      [51820]     routing table whose default route is the tunnel
#   RULE_PREF  [10000]     priority of the `ip rule`s (must be below the main table's 32766)
#   WG_IF      [wg0]       the WireGuard interface (kernel module or wireguard-go); must exist for `up`
#   SET        [gfwlist]   ipset of IPv4 addresses (hash:ip, timeout 0: splitroute sets per-entry timeouts)
#   SET6       [gfwlist6]  ipset of IPv6 addresses; "" to skip IPv6 (then use `aaaa: drop` in splitroute)
#   CLEAN_DNS  [8.8.8.8 8.8.4.4]  clean upstream resolvers (space separated IPv4 addresses), always routed
#                          through the tunnel by an `ip rule to ADDR`, so their answers cannot be poisoned
#   LAN_IF     [""]        mark only packets arriving on this interface ("" = any interface)
#   CHAIN      [SPLITROUTE]  prefix of the chains this script owns
#   STATE_DIR  [/run/splitroute]  where `up` records what it created, for `down`
#
# What `up` does:
#   ipset create SET hash:ip timeout 0            (and SET6 family inet6), if missing
#   mangle:  CHAIN        -m set --match-set SET dst -j MARK --set-mark MARK
#            PREROUTING   [-i LAN_IF] -j CHAIN     (LAN clients)
#            OUTPUT       -j CHAIN                 (the router itself)
#            FORWARD      -o WG_IF SYN -j CHAIN_MSS (clamp TCP MSS to the tunnel's MTU)
#   nat:     POSTROUTING  -o WG_IF -j CHAIN_NAT -> MASQUERADE
#   ip rule: fwmark MARK lookup TABLE; to CLEAN_DNS lookup TABLE
#   TABLE:   default dev WG_IF; unreachable default metric 65535 (fail closed if the tunnel goes away)
#   sysctl:  net.ipv4.ip_forward=1, net.ipv4.conf.all.src_valid_mark=1, net.ipv4.conf.WG_IF.rp_filter=2
#            (previous values saved and restored by `down`)
# Linux without the WireGuard module: run `wireguard-go wg0` first (Debian: apt-get install wireguard-go).
set -eu

MARK=${MARK:-0xca6c}
TABLE=${TABLE:-51820}
RULE_PREF=${RULE_PREF:-10000}
WG_IF=${WG_IF:-wg0}
SET=${SET:-gfwlist}
SET6=${SET6-gfwlist6}
CLEAN_DNS=${CLEAN_DNS-8.8.8.8 8.8.4.4}
LAN_IF=${LAN_IF:-}
CHAIN=${CHAIN:-SPLITROUTE}
STATE_DIR=${STATE_DIR:-/run/splitroute}
STATE="$STATE_DIR/route-iptables-$TABLE.state"

IPT=${IPT:-iptables}
IPT6=${IPT6:-ip6tables}

log() { printf '%s\n' "$*"; }
die() { printf 'splitroute-route: %s\n' "$*" >&2; exit 1; }

lan_match() { if [ -n "$LAN_IF" ]; then printf -- '-i %s' "$LAN_IF"; fi; }

# ensure TABLE_NAME CHAIN RULE...: append RULE to CHAIN unless it is there already.
ensure_rule() {
  ipt=$1; table=$2; shift 2
  # shellcheck disable=SC2068
  if ! $ipt -w -t "$table" -C "$@" 2>/dev/null; then
    $ipt -w -t "$table" -A "$@"
  fi
}

# remove_rule TABLE CHAIN RULE...: delete every copy of RULE from CHAIN (no error if absent).
remove_rule() {
  ipt=$1; table=$2; shift 2
  n=0
  while $ipt -w -t "$table" -D "$@" 2>/dev/null && [ $n -lt 100 ]; do n=$((n + 1)); done
}

ensure_chain() {
  ipt=$1; table=$2; chain=$3
  $ipt -w -t "$table" -n -L "$chain" >/dev/null 2>&1 || $ipt -w -t "$table" -N "$chain"
}

remove_chain() {
  ipt=$1; table=$2; chain=$3
  if $ipt -w -t "$table" -n -L "$chain" >/dev/null 2>&1; then
    $ipt -w -t "$table" -F "$chain"
    $ipt -w -t "$table" -X "$chain"
  fi
}

has_ip6() { [ -n "$SET6" ] && command -v "$IPT6" >/dev/null 2>&1; }

record() { printf '%s\n' "$1" >>"$STATE"; }

set_sysctl() {
  key=$1; value=$2
  file="/proc/sys/$(printf '%s' "$key" | tr . /)"
  [ -w "$file" ] || return 0
  old=$(cat "$file")
  if [ "$old" != "$value" ]; then
    grep -q "^sysctl $key " "$STATE" 2>/dev/null || record "sysctl $key $old"
    printf '%s\n' "$value" >"$file"
  fi
}

ensure_set() {
  name=$1; family=$2
  if ! ipset list -n "$name" >/dev/null 2>&1; then
    ipset create "$name" hash:ip family "$family" timeout 0
    record "ipset $name"
  fi
}

# rule_exists FAMILY SELECTOR...: true if `ip FAMILY rule show SELECTOR` lists a rule.
rule_exists() { fam=$1; shift; ip "$fam" rule show "$@" 2>/dev/null | grep -q .; }

up() {
  ip link show "$WG_IF" >/dev/null 2>&1 || die "interface $WG_IF does not exist (bring the tunnel up first)"
  mkdir -p "$STATE_DIR"
  touch "$STATE"

  ensure_set "$SET" inet
  if has_ip6; then ensure_set "$SET6" inet6; fi

  for ipt in $IPT $(has_ip6 && printf '%s' "$IPT6"); do
    if [ "$ipt" = "$IPT" ]; then s=$SET; else s=$SET6; fi
    ensure_chain "$ipt" mangle "$CHAIN"
    ensure_rule "$ipt" mangle "$CHAIN" -m set --match-set "$s" dst -j MARK --set-mark "$MARK"
    # shellcheck disable=SC2046
    ensure_rule "$ipt" mangle PREROUTING $(lan_match) -j "$CHAIN"
    ensure_rule "$ipt" mangle OUTPUT -j "$CHAIN"
    ensure_chain "$ipt" mangle "${CHAIN}_MSS"
    ensure_rule "$ipt" mangle "${CHAIN}_MSS" -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
    ensure_rule "$ipt" mangle FORWARD -o "$WG_IF" -j "${CHAIN}_MSS"
    ensure_chain "$ipt" nat "${CHAIN}_NAT"
    ensure_rule "$ipt" nat "${CHAIN}_NAT" -j MASQUERADE
    ensure_rule "$ipt" nat POSTROUTING -o "$WG_IF" -j "${CHAIN}_NAT"
  done

  for fam in -4 $(has_ip6 && printf '%s' -6); do
    rule_exists "$fam" fwmark "$MARK" lookup "$TABLE" pref "$RULE_PREF" \
      || ip "$fam" rule add fwmark "$MARK" lookup "$TABLE" pref "$RULE_PREF"
    ip "$fam" route replace default dev "$WG_IF" table "$TABLE"
    ip "$fam" route replace unreachable default metric 65535 table "$TABLE"
  done
  for dns in $CLEAN_DNS; do
    rule_exists -4 to "$dns" lookup "$TABLE" pref "$RULE_PREF" \
      || ip -4 rule add to "$dns" lookup "$TABLE" pref "$RULE_PREF"
  done

  set_sysctl net.ipv4.ip_forward 1
  set_sysctl net.ipv4.conf.all.src_valid_mark 1
  set_sysctl "net.ipv4.conf.$WG_IF.rp_filter" 2
  log "splitroute-route: up ($WG_IF, mark $MARK, table $TABLE, set $SET${SET6:+ $SET6})"
}

down() {
  for ipt in $IPT $(has_ip6 && printf '%s' "$IPT6"); do
    # shellcheck disable=SC2046
    remove_rule "$ipt" mangle PREROUTING $(lan_match) -j "$CHAIN"
    remove_rule "$ipt" mangle OUTPUT -j "$CHAIN"
    remove_rule "$ipt" mangle FORWARD -o "$WG_IF" -j "${CHAIN}_MSS"
    remove_rule "$ipt" nat POSTROUTING -o "$WG_IF" -j "${CHAIN}_NAT"
    remove_chain "$ipt" mangle "$CHAIN"
    remove_chain "$ipt" mangle "${CHAIN}_MSS"
    remove_chain "$ipt" nat "${CHAIN}_NAT"
  done
  for fam in -4 -6; do
    n=0
    while ip "$fam" rule del fwmark "$MARK" lookup "$TABLE" pref "$RULE_PREF" 2>/dev/null && [ $n -lt 100 ]; do
      n=$((n + 1))
    done
    ip "$fam" route del default dev "$WG_IF" table "$TABLE" 2>/dev/null || true
    ip "$fam" route del unreachable default metric 65535 table "$TABLE" 2>/dev/null || true
  done
  for dns in $CLEAN_DNS; do
    ip -4 rule del to "$dns" lookup "$TABLE" pref "$RULE_PREF" 2>/dev/null || true
  done
  if [ -f "$STATE" ]; then
    while read -r kind name value; do
      case $kind in
        ipset) ipset destroy "$name" 2>/dev/null || log "splitroute-route: ipset $name still in use, left in place" ;;
        sysctl)
          file="/proc/sys/$(printf '%s' "$name" | tr . /)"
          if [ -w "$file" ]; then printf '%s\n' "$value" >"$file"; fi ;;
      esac
    done <"$STATE"
    rm -f "$STATE"
  fi
  log "splitroute-route: down"
}

status() {
  missing=0
  check() {
    what=$1; shift
    if "$@" >/dev/null 2>&1; then log "ok       $what"; else log "MISSING  $what"; missing=1; fi
  }
  check "interface $WG_IF" ip link show "$WG_IF"
  check "ipset $SET" ipset list -n "$SET"
  check "mangle $CHAIN marks set $SET" "$IPT" -w -t mangle -C "$CHAIN" -m set --match-set "$SET" dst -j MARK --set-mark "$MARK"
  # shellcheck disable=SC2046
  check "mangle PREROUTING -> $CHAIN" "$IPT" -w -t mangle -C PREROUTING $(lan_match) -j "$CHAIN"
  check "mangle OUTPUT -> $CHAIN" "$IPT" -w -t mangle -C OUTPUT -j "$CHAIN"
  check "nat POSTROUTING -o $WG_IF -> ${CHAIN}_NAT (masquerade)" "$IPT" -w -t nat -C POSTROUTING -o "$WG_IF" -j "${CHAIN}_NAT"
  check "ip rule fwmark $MARK lookup $TABLE" rule_exists -4 fwmark "$MARK" lookup "$TABLE" pref "$RULE_PREF"
  check "table $TABLE default dev $WG_IF" sh -c "ip -4 route show table '$TABLE' default dev '$WG_IF' | grep -q ."
  for dns in $CLEAN_DNS; do
    check "ip rule to $dns lookup $TABLE" rule_exists -4 to "$dns" lookup "$TABLE" pref "$RULE_PREF"
  done
  for s in $SET $(has_ip6 && printf '%s' "$SET6"); do
    n=$(ipset list -t "$s" 2>/dev/null | sed -n 's/^Number of entries: //p')
    log "set $s: ${n:-?} entries"
  done
  return $missing
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  *) die "usage: $0 up|down|status" ;;
esac
