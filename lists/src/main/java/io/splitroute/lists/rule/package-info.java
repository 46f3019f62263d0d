/**
 * Rules and the compiled, immutable {@link io.splitroute.lists.rule.RuleTable} that routes a name by the
 * most specific rule across all lists, and explains its decision with a
 * {@link io.splitroute.lists.rule.RouteDecision} carrying the rule and its {@link io.splitroute.lists.rule.Origin}.
 * A table is one flat layout, read in place on the heap or from a file that
 * {@link io.splitroute.lists.rule.RuleTableFile} writes and maps.
 */
package io.splitroute.lists.rule;
