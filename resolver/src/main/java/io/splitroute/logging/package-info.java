/**
 * Logging helpers for quiet, useful logs: the stderr format (a logback configurator found by the service
 * loader) and {@link io.splitroute.logging.ThrottledLog}, used by the set stage, the set meters and the
 * admin side alike; a leaf, like {@code query}.
 */
package io.splitroute.logging;
