/**
 * The running resolver: {@link io.splitroute.app.ResolverAssembly} constructs every part from a config (and
 * rebuilds what a reload changes); {@link io.splitroute.app.Lifecycle} starts and stops them in order, handles
 * signals, drains the queries in flight and swaps in a reload.
 */
package io.splitroute.app;
