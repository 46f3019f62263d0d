#!/bin/sh
# Run the router lab alone: the routing-script tests and the end-to-end checks (client, router running
# splitroute or dnsmasq + config/routing, censoring ISP, wireguard-go VPS, internet), in network namespaces
# that are created and removed by the tests. Needs root and the packages listed in the README.
#
# Usage: lab/run.sh [TEST-PATTERN]      e.g. lab/run.sh SplitrouteIptablesLabIT
#                                      (default: *LabIT,RoutingScriptIT)
# Logs, configs and keys of each lab: resolver/target/lab-<id>/
set -eu
cd "$(dirname "$0")/.."
pattern=${1:-'*LabIT,RoutingScriptIT'}
exec ./mvnw -B -ntp -pl resolver -am verify \
  -Dit.test="$pattern" -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
