/**
 * Readers for the domain-list formats users already have: gfwlist (AutoProxy, base64 or decoded),
 * dnsmasq configuration, plain domain lists and v2fly domain-list-community files.
 *
 * <p>Every reader turns lines into {@link io.splitroute.lists.rule.Rule}s and reports each bad line as a
 * {@link io.splitroute.lists.format.ParseProblem} ({@code source:line: reason}), skipping it rather than
 * failing the list. {@link io.splitroute.lists.format.ListLoader} is the entry point: it detects the format
 * when none is given.
 */
package io.splitroute.lists.format;
