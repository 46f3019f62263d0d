package io.splitroute.query;

import java.net.InetAddress;

/**
 * One address an answer leads a client to, with the TTL of the record that carried it.
 *
 * @param address the address
 * @param ttl     the record's TTL in seconds, as stored (not yet counted down)
 */
public record AnswerAddress(InetAddress address, long ttl) {}
