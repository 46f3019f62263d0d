/**
 * The router lab: a LAN client, a router (the DNS server under test plus the shipped routing script from
 * {@code config/routing/}), a censoring ISP, a VPS ending a real WireGuard tunnel (wireguard-go) and an
 * "internet" with a clean DNS and web servers, each in a network namespace the tests create and delete.
 *
 * <p>{@link io.splitroute.lab.LabChecks} holds the checks; each {@code *LabIT} subclass runs them against
 * one server and routing flavour, dnsmasq included, whose known failures must fail.
 */
package io.splitroute.lab;
