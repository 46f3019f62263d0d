/**
 * Routing: the rule table of a config's routes and lists ({@link io.splitroute.routing.RouteLists}: mapped from
 * the compiled file beside the lists when it is current, else compiled from the lists and written there; the
 * lists' summaries, never their rules, are kept), one {@link io.splitroute.query.Route} per route over it
 * ({@link io.splitroute.routing.Routing}, swapped whole on reload), and the explanation of a decision. Its own
 * package because three users share it: the router stage, {@code check} and the CHAOS explanation.
 */
package io.splitroute.routing;
