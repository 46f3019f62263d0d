#!/bin/sh
# splitroute-route-nft.sh - route the addresses splitroute writes to an nftables set through a WireGuard
# tunnel, with nftables + iproute2 (OpenWrt 22.03+ with fw4, and current distributions).
#
# Usage: splitroute-route-nft.sh up|down|status
#
#   up      create what is missing (idempotent: the sets and their elements survive a second `up`); run it
#           again after the tunnel comes back (wg-quick PostUp): its route in TABLE goes with the interface
#   down    remove exactly what `up` added: the table below, the ip rules and routes, the sysctls; only for
#           a deliberate uninstall: without it, listed traffic goes the direct way
#   status  print what is in place and the set sizes; exit 1 if anything is missing
#
# Parameters (environment variables; defaults in brackets), each checked against a strict pattern before
# anything is changed (the ruleset is built from them):
#   MARK       [0xca6c]    firewall mark bits given to packets whose destination is in the set (hex; other
#                          bits of the packet's mark are kept)
#   TABLE      [51820]     routing table whose default route is the tunnel
#   RULE_PREF  [10000]     priority of the `ip rule`s (must be below the main table's 32766)
#   WG_IF      [wg0]       the WireGuard interface (kernel module or wireguard-go)
#   WG_ENDPOINT [from `wg show WG_IF endpoints`]  the tunnel's endpoint addresses or networks (space
#                          separated, IPv4/IPv6): never marked, so the tunnel's own packets cannot loop into it
#   WG_FWMARK  [from `wg show WG_IF fwmark`]  WireGuard's own fwmark: packets carrying it are never marked
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
#     chain marking: meta mark WG_FWMARK return; ip daddr { WG_ENDPOINT } return;
#                 ip daddr @SET meta mark set meta mark or MARK
#     chain prerouting (hook prerouting, priority mangle): [iifname LAN_IF] jump marking
#     chain output     (hook output, type route, priority mangle): jump marking, for the router itself
#     chain forward    (hook forward, priority mangle): clamp TCP MSS to the tunnel's MTU
#     chain postrouting (hook postrouting, type nat, priority srcnat): oifname WG_IF masquerade
#   ip rule: fwmark MARK/MARK lookup TABLE; to CLEAN_DNS lookup TABLE
#   TABLE:   default dev WG_IF; unreachable default metric 65535 (fail closed if the tunnel goes away)
#   sysctl:  net.ipv4.ip_forward=1, net.ipv4.conf.all.src_valid_mark=1, net.ipv4.conf.WG_IF.rp_filter=2
# Without WG_IF, `up` sets up all but the tunnel route and exits 1: listed traffic is unreachable, not direct.
# On OpenWrt, also put WG_IF in a firewall zone that may forward from lan (fw4's forward policy is drop).
# Linux without the WireGuard module: run `wireguard-go wg0` first (Debian: apt-get install wireguard-go).
set -euf

MARK=${MARK:-0xca6c}
TABLE=${TABLE:-51820}
RULE_PREF=${RULE_PREF:-10000}
WG_IF=${WG_IF:-wg0}
WG_ENDPOINT=${WG_ENDPOINT:-}
WG_FWMARK=${WG_FWMARK:-}
NFT_TABLE=${NFT_TABLE:-splitroute}
SET=${SET:-gfwlist}
SET6=${SET6-gfwlist6}
CLEAN_DNS=${CLEAN_DNS-8.8.8.8 8.8.4.4}
LAN_IF=${LAN_IF:-}
STATE_DIR=${STATE_DIR:-/run/splitroute}

log() { printf '%s\n' "$*"; }
die() { printf 'splitroute-route: %s\n' "$*" >&2; exit 1; }

# --- settings: every value is checked before use (this block is the same in both routing scripts) ---
NL='
'
OCTET='(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
IP4="($OCTET\\.){3}$OCTET"
H='[0-9A-Fa-f]{1,4}'
IP6="(($H:){7}$H|($H:){1,7}:|($H:){1,6}:$H|($H:){1,5}(:$H){1,2}|($H:){1,4}(:$H){1,3}|($H:){1,3}(:$H){1,4}"
IP6="$IP6|($H:){1,2}(:$H){1,5}|$H:(:$H){1,6}|:((:$H){1,7}|:))"
NET4="$IP4(/([0-9]|[12][0-9]|3[0-2]))?"
NET6="$IP6(/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))?"
IFNAME='[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}'
NAME='[A-Za-z_][A-Za-z0-9_.-]{0,30}'
HEXMARK='0x[0-9A-Fa-f]{1,8}'
WG_MARK=""

# matches VALUE ERE: true if VALUE is one line matching ERE in full.
matches() {
  case $1 in *"$NL"*) return 1 ;; esac
  printf '%s\n' "$1" | grep -Eqx -- "$2"
}

# need SETTING VALUE ERE WHAT: stop (nothing changed yet) unless VALUE matches ERE.
need() { matches "$2" "$3" || die "$1: not $4: '$2'"; }

# need_range SETTING VALUE MIN MAX: a decimal number in MIN..MAX.
need_range() {
  need "$1" "$2" '0|[1-9][0-9]{0,9}' "a decimal number"
  if [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then die "$1: not in $3..$4: '$2'"; fi
}

# need_addresses SETTING VALUE: space separated IPv4/IPv6 addresses or networks.
need_addresses() {
  for a in $2; do
    matches "$a" "$NET4" || matches "$a" "$NET6" || die "$1: not an IPv4/IPv6 address or network: '$a'"
  done
}

check_settings() {
  need MARK "$MARK" "$HEXMARK" "a hex mark like 0xca6c"
  [ $((MARK)) -ne 0 ] || die "MARK: must not be 0: '$MARK'"
  need_range TABLE "$TABLE" 1 4294967295
  case $TABLE in 253|254|255) die "TABLE: $TABLE is a system table (default, main, local)" ;; esac
  need_range RULE_PREF "$RULE_PREF" 1 32765
  need WG_IF "$WG_IF" "$IFNAME" "an interface name (1-15 of A-Z a-z 0-9 _ . -)"
  [ -z "$LAN_IF" ] || need LAN_IF "$LAN_IF" "$IFNAME" "an interface name (1-15 of A-Z a-z 0-9 _ . -)"
  need SET "$SET" "$NAME" "a set name (letter or _, then up to 30 of A-Z a-z 0-9 _ . -)"
  [ -z "$SET6" ] || need SET6 "$SET6" "$NAME" "a set name (letter or _, then up to 30 of A-Z a-z 0-9 _ . -)"
  for a in $CLEAN_DNS; do need CLEAN_DNS "$a" "$IP4" "an IPv4 address"; done
  need_addresses WG_ENDPOINT "$WG_ENDPOINT"
  [ -z "$WG_FWMARK" ] || need WG_FWMARK "$WG_FWMARK" "off|0|[1-9][0-9]{0,9}|$HEXMARK" "off or a mark"
  [ -z "$WG_FWMARK" ] || wireguard_mark WG_FWMARK "$WG_FWMARK"
  need STATE_DIR "$STATE_DIR" '/[A-Za-z0-9_./-]*' "an absolute path of A-Z a-z 0-9 _ . / -"
  check_own_settings
}

# wireguard_mark SOURCE VALUE: WG_MARK, WireGuard's fwmark VALUE in hex ("" if off), unless its packets
# would match the tunnel's rule (every bit of MARK), which would route them into the tunnel itself.
wireguard_mark() {
  WG_MARK=""
  case $2 in ''|off|0) return 0 ;; esac
  [ $(($2)) -le 4294967295 ] || die "$1: not a 32-bit mark: '$2'"
  WG_MARK=$(printf '0x%x' $(($2)))
  if [ $((WG_MARK & MARK)) -eq $((MARK)) ]; then
    die "$1: '$2' carries every bit of MARK $MARK: WireGuard's own packets would be routed into the tunnel; choose another MARK"
  fi
}

# tunnel_settings: WG_MARK (WireGuard's fwmark), EP4 / EP6 (its endpoints), from the settings or else from
# `wg show`; each checked like a setting.
tunnel_settings() {
  if [ -z "$WG_FWMARK" ] && command -v wg >/dev/null 2>&1; then
    fwmark=$(wg show "$WG_IF" fwmark 2>/dev/null) || fwmark=""
    [ -z "$fwmark" ] || need "wg show $WG_IF fwmark" "$fwmark" "off|$HEXMARK" "off or a mark"
    wireguard_mark "wg show $WG_IF fwmark" "$fwmark"
  fi
  endpoints=$WG_ENDPOINT
  if [ -z "$endpoints" ] && command -v wg >/dev/null 2>&1; then
    endpoints=$(wg show "$WG_IF" endpoints 2>/dev/null | while read -r _peer ep; do
      case $ep in
        \[*\]:*) ep=${ep#\[}; printf '%s ' "${ep%%\]*}" ;;
        *:*) printf '%s ' "${ep%:*}" ;;
      esac
    done) || endpoints=""
    need_addresses "wg show $WG_IF endpoints" "$endpoints"
  fi
  EP4=""; EP6=""
  # Lower case, as nft and ip6tables print IPv6 addresses.
  for a in $(printf '%s' "$endpoints" | tr 'A-F' 'a-f'); do
    if matches "$a" "$NET4"; then EP4="$EP4 $a"; else EP6="$EP6 $a"; fi
  done
}
# --- end of settings ---

check_own_settings() {
  need NFT_TABLE "$NFT_TABLE" "$NAME" "a table name (letter or _, then up to 30 of A-Z a-z 0-9 _ . -)"
}

STATE="$STATE_DIR/route-nft-$TABLE.state"

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

# elements A B ...: "A, B", the inside of an anonymous nft set.
elements() { printf '%s' "$*" | sed 's/ /, /g'; }

# The ruleset `up` loads in one transaction, built only from checked settings. `add` keeps an existing
# table and sets (and their elements); the chains are flushed and refilled in the same transaction, so a
# second `up` leaves the same rules, never doubled ones, and listed traffic is never unmarked in between.
ruleset() {
  iif=""
  if [ -n "$LAN_IF" ]; then iif="iifname \"$LAN_IF\" "; fi
  t="inet $NFT_TABLE"
  cat <<EOF
add table $t
add set $t $SET { type ipv4_addr; flags timeout; }
add chain $t marking
add chain $t prerouting { type filter hook prerouting priority mangle; policy accept; }
add chain $t output { type route hook output priority mangle; policy accept; }
add chain $t forward { type filter hook forward priority mangle; policy accept; }
add chain $t postrouting { type nat hook postrouting priority srcnat; policy accept; }
flush chain $t marking
flush chain $t prerouting
flush chain $t output
flush chain $t forward
flush chain $t postrouting
EOF
  # WireGuard's own packets first: marked, they would be routed back into the tunnel.
  if [ -n "$WG_MARK" ]; then echo "add rule $t marking meta mark $WG_MARK return"; fi
  # shellcheck disable=SC2086
  if [ -n "$EP4" ]; then echo "add rule $t marking ip daddr { $(elements $EP4) } return"; fi
  echo "add rule $t marking ip daddr @$SET meta mark set meta mark or $MARK"
  if [ -n "$SET6" ]; then
    echo "add set $t $SET6 { type ipv6_addr; flags timeout; }"
    # shellcheck disable=SC2086
    if [ -n "$EP6" ]; then echo "add rule $t marking ip6 daddr { $(elements $EP6) } return"; fi
    echo "add rule $t marking ip6 daddr @$SET6 meta mark set meta mark or $MARK"
  fi
  cat <<EOF
add rule $t prerouting ${iif}jump marking
add rule $t output jump marking
add rule $t forward oifname "$WG_IF" tcp flags syn / syn,rst tcp option maxseg size set rt mtu
add rule $t postrouting oifname "$WG_IF" masquerade
EOF
}

families() { if [ -n "$SET6" ]; then printf '%s' "-4 -6"; else printf '%s' "-4"; fi; }

up() {
  tunnel_settings
  tunnel=yes
  ip link show "$WG_IF" >/dev/null 2>&1 || tunnel=""
  mkdir -p "$STATE_DIR"
  touch "$STATE"
  ruleset | nft -f -

  for fam in $(families); do
    rule_exists "$fam" fwmark "$MARK/$MARK" lookup "$TABLE" pref "$RULE_PREF" \
      || ip "$fam" rule add fwmark "$MARK/$MARK" lookup "$TABLE" pref "$RULE_PREF"
    if [ -n "$tunnel" ]; then ip "$fam" route replace default dev "$WG_IF" table "$TABLE"; fi
    ip "$fam" route replace unreachable default metric 65535 table "$TABLE"
  done
  for dns in $CLEAN_DNS; do
    rule_exists -4 to "$dns" lookup "$TABLE" pref "$RULE_PREF" \
      || ip -4 rule add to "$dns" lookup "$TABLE" pref "$RULE_PREF"
  done

  set_sysctl net.ipv4.ip_forward 1
  set_sysctl net.ipv4.conf.all.src_valid_mark 1
  [ -z "$tunnel" ] || set_sysctl "net.ipv4.conf.$WG_IF.rp_filter" 2
  [ -n "$tunnel" ] || die "interface $WG_IF does not exist: listed traffic is unreachable until the tunnel is up and \`up\` runs again"
  log "splitroute-route: up ($WG_IF, mark $MARK, table $TABLE, nft table inet $NFT_TABLE, set $SET${SET6:+ $SET6}, not marked:${WG_MARK:+ fwmark $WG_MARK}${EP4}${EP6})"
}

down() {
  if nft list table inet "$NFT_TABLE" >/dev/null 2>&1; then
    nft delete table inet "$NFT_TABLE"
  fi
  for fam in -4 -6; do
    n=0
    while ip "$fam" rule del fwmark "$MARK/$MARK" lookup "$TABLE" pref "$RULE_PREF" 2>/dev/null && [ $n -lt 100 ]; do
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

# chain_has CHAIN TEXT: true if our CHAIN, as `nft list chain` prints it, contains TEXT.
chain_has() { nft list chain inet "$NFT_TABLE" "$1" 2>/dev/null | grep -qF -- "$2"; }

table_has() { ip -4 route show table "$TABLE" "$@" 2>/dev/null | grep -q .; }

status() {
  tunnel_settings
  missing=0
  check() {
    what=$1; shift
    if "$@" >/dev/null 2>&1; then log "ok       $what"; else log "MISSING  $what"; missing=1; fi
  }
  check "interface $WG_IF" ip link show "$WG_IF"
  check "nft set inet $NFT_TABLE $SET" nft list set inet "$NFT_TABLE" "$SET"
  check "nft chain marking marks @$SET with mark or $MARK" chain_has marking "daddr @$SET meta mark set meta mark | "
  if [ -n "$WG_MARK" ]; then
    check "nft chain marking leaves WireGuard's fwmark $WG_MARK alone" \
      chain_has marking "meta mark $(printf '0x%08x' $((WG_MARK))) return"
  fi
  for ep in $EP4 $EP6; do
    check "nft chain marking leaves endpoint $ep alone" chain_has marking "$ep"
  done
  check "nft chain prerouting -> marking" chain_has prerouting "jump marking"
  check "nft chain output -> marking" chain_has output "jump marking"
  check "nft masquerade out of $WG_IF" chain_has postrouting "masquerade"
  check "ip rule fwmark $MARK/$MARK lookup $TABLE" rule_exists -4 fwmark "$MARK/$MARK" lookup "$TABLE" pref "$RULE_PREF"
  check "table $TABLE default dev $WG_IF" table_has default dev "$WG_IF"
  check "table $TABLE unreachable fallback" table_has type unreachable default
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
  up) check_settings; up ;;
  down) check_settings; down ;;
  status) check_settings; status ;;
  *) die "usage: $0 up|down|status" ;;
esac
