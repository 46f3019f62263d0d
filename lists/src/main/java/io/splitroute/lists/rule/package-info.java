/**
 * Rules and the compiled, immutable {@link io.splitroute.lists.rule.RuleTable} that routes a name by the
 * most specific rule across all lists, and explains its decision with a
 * {@link io.splitroute.lists.rule.RouteDecision} carrying the rule and its {@link io.splitroute.lists.rule.Origin}.
 */
package io.splitroute.lists.rule;
