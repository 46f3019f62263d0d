/** Writing answers' addresses to kernel sets: which addresses, with which timeouts, checked at start. */
package io.splitroute.sets;
