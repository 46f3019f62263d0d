/** Logging helpers: quiet, useful logs. */
package io.splitroute.logging;
