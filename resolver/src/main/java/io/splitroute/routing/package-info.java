/** Routing: the rule table compiled from a config's routes and lists, and the explanation of a decision. */
package io.splitroute.routing;
