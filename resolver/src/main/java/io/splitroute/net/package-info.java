/**
 * The Netty transport shared by the listeners and the upstream clients (epoll where it loads, NIO otherwise).
 * Its own package because both {@code server} and {@code upstream} run on it and neither owns it.
 */
package io.splitroute.net;
