/**
 * Routing: the lists a config names ({@link io.splitroute.routing.RouteLists}), the rule table compiled from its
 * routes and lists with one {@link io.splitroute.query.Route} per route ({@link io.splitroute.routing.Routing},
 * swapped whole on reload), and the explanation of a decision. Its own package because three users share it:
 * the router stage, {@code check} and the CHAOS explanation.
 */
package io.splitroute.routing;
