/**
 * The listeners: UDP and TCP sockets ({@link io.splitroute.server.DnsServer}), the decision of what a message
 * is ({@code QueryDecoder}), the hand-over to the query path ({@link io.splitroute.server.QueryDispatcher}), and
 * the one place that renders replies, errors included ({@link io.splitroute.server.ReplyEncoder}).
 */
package io.splitroute.server;
