#!/bin/sh
# splitroute-route-nft.sh - route the addresses splitroute writes to an nftables set through a WireGuard
# tunnel, with nftables + iproute2 (OpenWrt 22.03+ with fw4, and current distributions).
#
# Usage: splitroute-route-nft.sh up|down|status
#
#   up      create what is missing (idempotent: the sets and their elements survive a second `up`)
#   down    remove exactly what `up` added: the table below, the ip rules and routes, the sysctls
#   status  print what is in place and the set sizes; exit 1 if anything is missing
#
# Parameters (environment variables; defaults in brackets):
#   MARK       [0xca6c]    firewall mark given to packets whose destination is in the set
#   TABLE      [51820]     routing table whose default route is the tunnel
#   RULE_PREF  [10000]     priority of the `ip rule`s (must be below the main table's 32766)
#   WG_IF      [wg0]       the WireGuard interface (kernel module or wireguard-go); must exist for `up`
#   NFT_TABLE  [splitroute] the nftables table (family inet) this script owns entirely; fw4 style: its own
#                          table beside `inet fw4`, so an fw4 reload does not flush it
#   SET        [gfwlist]   set of IPv4 addresses (flags timeout: splitroute sets per-element timeouts)
#   SET6       [gfwlist6]  set of IPv6 addresses; "" to skip IPv6 (then use `aaaa: drop` in splitroute)
#   CLEAN_DNS  [8.8.8.8 8.8.4.4]  clean upstream resolvers (space separated IPv4 addresses), always routed
#                          through the tunnel by an `ip rule to ADDR`, so their answers cannot be poisoned
#   LAN_IF     [""]        mark only packets arriving on this interface ("" = any interface)
#   STATE_DIR  [/run/splitroute]  where `up` records the sysctl values it changed, for `down`
#
# splitroute config for these sets:
#   sets:
#     gfw4: { type: nftset, table: "inet splitroute", name: gfwlist, family: inet }
#     gfw6: { type: nftset, table: "inet splitroute", name: gfwlist6, family: inet6 }
#
# What `up` does:
#   table inet NFT_TABLE: sets SET (ipv4_addr) and SET6 (ipv6_addr) with flags timeout;
#     chain prerouting (hook prerouting, priority mangle): [iifname LAN_IF] ip daddr @SET meta mark set MARK
#     chain output     (hook output, type route, priority mangle): the same, for the router itself
#     chain forward    (hook forward, priority mangle): clamp TCP MSS to the tunnel's MTU
#     chain postrouting (hook postrouting, type nat, priority srcnat): oifname WG_IF masquerade
#   ip rule: fwmark MARK lookup TABLE; to CLEAN_DNS lookup TABLE
#   TABLE:   default dev WG_IF; unreachable default metric 65535 (fail closed if the tunnel goes away)
#   sysctl:  net.ipv4.ip_forward=1, net.ipv4.conf.all.src_valid_mark=1, net.ipv4.conf.WG_IF.rp_filter=2
# On OpenWrt, also put WG_IF in a firewall zone that may forward from lan (fw4's forward policy is drop).
# Linux without the WireGuard module: run `wireguard-go wg0` first (Debian: apt-get install wireguard-go).
set -eu

MARK=${MARK:-0xca6c}
TABLE=${TABLE:-51820}
RULE_PREF=${RULE_PREF:-10000}
WG_IF=${WG_IF:-wg0}
NFT_TABLE=${NFT_TABLE:-splitroute}
SET=${SET:-gfwlist}
SET6=${SET6-gfwlist6}
CLEAN_DNS=${CLEAN_DNS-8.8.8.8 8.8.4.4}
LAN_IF=${LAN_IF:-}
STATE_DIR=${STATE_DIR:-/run/splitroute}
STATE="$STATE_DIR/route-nft-$TABLE.state"

log() { printf '%s\n' "$*"; }
die() { printf 'splitroute-route: %s\n' "$*" >&2; exit 1; }

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

# rule_exists FAMILY SELECTOR...: true if `ip FAMILY rule show SELECTOR` lists a rule.
rule_exists() { fam=$1; shift; ip "$fam" rule show "$@" 2>/dev/null | grep -q .; }

# The ruleset `up` loads in one transaction. `add` keeps an existing table and sets (and their elements);
# the chains are flushed and refilled, so a second `up` leaves the same rules, not doubled ones.
ruleset() {
  iif=""
  if [ -n "$LAN_IF" ]; then iif="iifname \"$LAN_IF\" "; fi
  t="inet $NFT_TABLE"
  cat <<EOF
add table $t
add set $t $SET { type ipv4_addr; flags timeout; }
add chain $t prerouting { type filter hook prerouting priority mangle; policy accept; }
add chain $t output { type route hook output priority mangle; policy accept; }
add chain $t forward { type filter hook forward priority mangle; policy accept; }
add chain $t postrouting { type nat hook postrouting priority srcnat; policy accept; }
flush chain $t prerouting
flush chain $t output
flush chain $t forward
flush chain $t postrouting
add rule $t prerouting ${iif}ip daddr @$SET meta mark set $MARK
add rule $t output ip daddr @$SET meta mark set $MARK
add rule $t forward oifname "$WG_IF" tcp flags syn / syn,rst tcp option maxseg size set rt mtu
add rule $t postrouting oifname "$WG_IF" masquerade
EOF
  if [ -n "$SET6" ]; then
    cat <<EOF
add set $t $SET6 { type ipv6_addr; flags timeout; }
add rule $t prerouting ${iif}ip6 daddr @$SET6 meta mark set $MARK
add rule $t output ip6 daddr @$SET6 meta mark set $MARK
EOF
  fi
}

families() { if [ -n "$SET6" ]; then printf '%s' "-4 -6"; else printf '%s' "-4"; fi; }

up() {
  ip link show "$WG_IF" >/dev/null 2>&1 || die "interface $WG_IF does not exist (bring the tunnel up first)"
  mkdir -p "$STATE_DIR"
  touch "$STATE"
  ruleset | nft -f -

  for fam in $(families); do
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
  log "splitroute-route: up ($WG_IF, mark $MARK, table $TABLE, nft table inet $NFT_TABLE, set $SET${SET6:+ $SET6})"
}

down() {
  if nft list table inet "$NFT_TABLE" >/dev/null 2>&1; then
    nft delete table inet "$NFT_TABLE"
  fi
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
      if [ "$kind" = sysctl ]; then
        file="/proc/sys/$(printf '%s' "$name" | tr . /)"
        if [ -w "$file" ]; then printf '%s\n' "$value" >"$file"; fi
      fi
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
  check "nft set inet $NFT_TABLE $SET" nft list set inet "$NFT_TABLE" "$SET"
  check "nft chain prerouting marks @$SET" sh -c "nft list chain inet '$NFT_TABLE' prerouting | grep -q 'daddr @$SET '"
  check "nft chain output marks @$SET" sh -c "nft list chain inet '$NFT_TABLE' output | grep -q 'daddr @$SET '"
  check "nft masquerade out of $WG_IF" sh -c "nft list chain inet '$NFT_TABLE' postrouting | grep -q masquerade"
  check "ip rule fwmark $MARK lookup $TABLE" rule_exists -4 fwmark "$MARK" lookup "$TABLE" pref "$RULE_PREF"
  check "table $TABLE default dev $WG_IF" sh -c "ip -4 route show table '$TABLE' default dev '$WG_IF' | grep -q ."
  for dns in $CLEAN_DNS; do
    check "ip rule to $dns lookup $TABLE" rule_exists -4 to "$dns" lookup "$TABLE" pref "$RULE_PREF"
  done
  for s in $SET $SET6; do
    n=$(nft list set inet "$NFT_TABLE" "$s" 2>/dev/null | tr -d '\n' \
      | sed -n 's/.*elements = {\([^}]*\)}.*/\1/p' | tr ',' '\n' | grep -c .) || true
    log "set $s: $n entries"
  done
  return $missing
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  *) die "usage: $0 up|down|status" ;;
esac
