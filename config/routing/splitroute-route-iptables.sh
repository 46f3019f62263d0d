#!/bin/sh
# splitroute-route-iptables.sh - route the addresses splitroute writes to an ipset through a WireGuard
# tunnel, with iptables (legacy or nf_tables backend) + ipset + iproute2.
#
# Usage: splitroute-route-iptables.sh up|down|status
#
#   up      create what is missing (idempotent: running it twice changes nothing the second time); run it
#           again after the tunnel comes back (wg-quick PostUp): its route in TABLE goes with the interface
#   down    remove exactly what `up` added, nothing else (pre-existing sets are left in place); only for a
#           deliberate uninstall: without it, listed traffic goes the direct way
#   status  print what is in place and the set sizes; exit 1 if anything is missing
#
# Parameters (environment variables; defaults in brackets), each checked against a strict pattern before
# anything is changed:
#   MARK       [0xca6c]    firewall mark bits given to packets whose destination is in the set (hex; other
#                          bits of the packet's mark are kept)
#   TABLE      [51820]     routing table whose default route is the tunnel
#   RULE_PREF  [10000]     priority of the `ip rule`s (must be below the main table's 32766)
#   WG_IF      [wg0]       the WireGuard interface (kernel module or wireguard-go)
#   WG_ENDPOINT [from `wg show WG_IF endpoints`]  the tunnel's endpoint addresses or networks (space
#                          separated, IPv4/IPv6): never marked, so the tunnel's own packets cannot loop into it
#   WG_FWMARK  [from `wg show WG_IF fwmark`]  WireGuard's own fwmark: packets carrying it are never marked
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
#   mangle:  CHAIN        -m mark --mark WG_FWMARK -j RETURN; -d WG_ENDPOINT -j RETURN;
#                         -m set --match-set SET dst -j MARK --set-xmark MARK/MARK   (replaced atomically)
#            PREROUTING   [-i LAN_IF] -j CHAIN     (LAN clients)
#            OUTPUT       -j CHAIN                 (the router itself)
#            FORWARD      -o WG_IF SYN -j CHAIN_MSS (clamp TCP MSS to the tunnel's MTU)
#   nat:     POSTROUTING  -o WG_IF -j CHAIN_NAT -> MASQUERADE
#   ip rule: fwmark MARK/MARK lookup TABLE; to CLEAN_DNS lookup TABLE
#   TABLE:   default dev WG_IF; unreachable default metric 65535 (fail closed if the tunnel goes away)
#   sysctl:  net.ipv4.ip_forward=1, net.ipv4.conf.all.src_valid_mark=1, net.ipv4.conf.WG_IF.rp_filter=2
#            (previous values saved and restored by `down`)
# Without WG_IF, `up` sets up all but the tunnel route and exits 1: listed traffic is unreachable, not direct.
# Linux without the WireGuard module: run `wireguard-go wg0` first (Debian: apt-get install wireguard-go).
set -euf

MARK=${MARK:-0xca6c}
TABLE=${TABLE:-51820}
RULE_PREF=${RULE_PREF:-10000}
WG_IF=${WG_IF:-wg0}
WG_ENDPOINT=${WG_ENDPOINT:-}
WG_FWMARK=${WG_FWMARK:-}
SET=${SET:-gfwlist}
SET6=${SET6-gfwlist6}
CLEAN_DNS=${CLEAN_DNS-8.8.8.8 8.8.4.4}
LAN_IF=${LAN_IF:-}
CHAIN=${CHAIN:-SPLITROUTE}
STATE_DIR=${STATE_DIR:-/run/splitroute}
IPT=${IPT:-iptables}
IPT6=${IPT6:-ip6tables}

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
  need CHAIN "$CHAIN" '[A-Za-z_][A-Za-z0-9_-]{0,23}' "a chain name prefix (letter or _, then up to 23 of A-Z a-z 0-9 _ -)"
  need IPT "$IPT" '[A-Za-z0-9_./-]+' "a command name or path"
  need IPT6 "$IPT6" '[A-Za-z0-9_./-]+' "a command name or path"
}

STATE="$STATE_DIR/route-iptables-$TABLE.state"

lan_match() { if [ -n "$LAN_IF" ]; then printf -- '-i %s' "$LAN_IF"; fi; }

# ensure_rule IPT TABLE CHAIN RULE...: append RULE to CHAIN unless it is there already.
ensure_rule() {
  ipt=$1; table=$2; shift 2
  if ! $ipt -w -t "$table" -C "$@" 2>/dev/null; then
    $ipt -w -t "$table" -A "$@"
  fi
}

# remove_rule IPT TABLE CHAIN RULE...: delete every copy of RULE from CHAIN (no error if absent).
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

# mark_chain SET ENDPOINTS: CHAIN's rules for iptables-restore, which replaces them in one step (a second
# `up` with another endpoint never leaves listed traffic unmarked in between).
mark_chain() {
  printf '*mangle\n:%s - [0:0]\n' "$CHAIN"
  if [ -n "$WG_MARK" ]; then printf -- '-A %s -m mark --mark %s -j RETURN\n' "$CHAIN" "$WG_MARK"; fi
  for ep in $2; do printf -- '-A %s -d %s -j RETURN\n' "$CHAIN" "$ep"; done
  printf -- '-A %s -m set --match-set %s dst -j MARK --set-xmark %s/%s\nCOMMIT\n' "$CHAIN" "$1" "$MARK" "$MARK"
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
  tunnel_settings
  tunnel=yes
  ip link show "$WG_IF" >/dev/null 2>&1 || tunnel=""
  mkdir -p "$STATE_DIR"
  touch "$STATE"

  ensure_set "$SET" inet
  if has_ip6; then ensure_set "$SET6" inet6; fi

  for ipt in $IPT $(has_ip6 && printf '%s' "$IPT6"); do
    if [ "$ipt" = "$IPT" ]; then s=$SET; eps=$EP4; else s=$SET6; eps=$EP6; fi
    mark_chain "$s" "$eps" | "$ipt-restore" -w --noflush
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
  log "splitroute-route: up ($WG_IF, mark $MARK, table $TABLE, set $SET${SET6:+ $SET6}, not marked:${WG_MARK:+ fwmark $WG_MARK}${EP4}${EP6})"
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

table_has() { ip -4 route show table "$TABLE" "$@" 2>/dev/null | grep -q .; }

status() {
  tunnel_settings
  missing=0
  check() {
    what=$1; shift
    if "$@" >/dev/null 2>&1; then log "ok       $what"; else log "MISSING  $what"; missing=1; fi
  }
  check "interface $WG_IF" ip link show "$WG_IF"
  check "ipset $SET" ipset list -n "$SET"
  check "mangle $CHAIN marks set $SET with $MARK/$MARK" \
    "$IPT" -w -t mangle -C "$CHAIN" -m set --match-set "$SET" dst -j MARK --set-xmark "$MARK/$MARK"
  if [ -n "$WG_MARK" ]; then
    check "mangle $CHAIN leaves WireGuard's fwmark $WG_MARK alone" \
      "$IPT" -w -t mangle -C "$CHAIN" -m mark --mark "$WG_MARK" -j RETURN
  fi
  for ep in $EP4; do
    check "mangle $CHAIN leaves endpoint $ep alone" "$IPT" -w -t mangle -C "$CHAIN" -d "$ep" -j RETURN
  done
  # shellcheck disable=SC2046
  check "mangle PREROUTING -> $CHAIN" "$IPT" -w -t mangle -C PREROUTING $(lan_match) -j "$CHAIN"
  check "mangle OUTPUT -> $CHAIN" "$IPT" -w -t mangle -C OUTPUT -j "$CHAIN"
  check "nat POSTROUTING -o $WG_IF -> ${CHAIN}_NAT (masquerade)" "$IPT" -w -t nat -C POSTROUTING -o "$WG_IF" -j "${CHAIN}_NAT"
  check "ip rule fwmark $MARK/$MARK lookup $TABLE" rule_exists -4 fwmark "$MARK/$MARK" lookup "$TABLE" pref "$RULE_PREF"
  check "table $TABLE default dev $WG_IF" table_has default dev "$WG_IF"
  check "table $TABLE unreachable fallback" table_has type unreachable default
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
  up) check_settings; up ;;
  down) check_settings; down ;;
  status) check_settings; status ;;
  *) die "usage: $0 up|down|status" ;;
esac
