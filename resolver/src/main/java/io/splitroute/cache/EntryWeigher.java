package io.splitroute.cache;

import com.github.benmanes.caffeine.cache.Weigher;
import io.splitroute.query.AnswerAddress;
import java.net.Inet4Address;
import java.util.List;

/**
 * Weighs a cache entry by the heap it takes: its wire bytes, the offsets of its TTLs, its extracted addresses,
 * and a fixed part for the objects every entry has (key, name, reply object, arrays, the cache's node). An entry
 * weighs at least a floor, {@code max-bytes / size}, so that the byte bound also bounds the number of entries.
 *
 * <p>The constants were measured, not guessed: 20 000 entries of one shape were put in a cache built as
 * {@link ReplyCache} builds it (names of about 24 characters as keys) and the heap after a full GC compared with
 * the heap before, under the shipped flags (compact object headers) and under the JVM's defaults (12-byte headers).
 * Bytes per entry, compact / default: one A record 438 / 491, a CNAME and two A 564 / 628, one AAAA 518 / 559,
 * NXDOMAIN with SOA 397 / 417, 40 A 3 895 / 4 563, 400 A (2 000 entries) 35 598 / 42 014. Taking away the wire
 * bytes, the TTL offsets and the name leaves the fixed part (270-283 / 290-320); the 400- and 40-record shapes
 * give the cost of one more IPv4 address beside its 16 wire bytes and 4-byte offset (68 / 84), the AAAA shape that
 * of an IPv6 one (132 / 136). Each constant is the larger figure, so the weight is at or above the real size
 * under either header layout (about 10% above it under the shipped flags).
 */
public final class EntryWeigher implements Weigher<CacheKey, CachedReply> {
    /**
     * The fixed part of an entry, in bytes (measured: 320 with 12-byte headers): the key, its name's String and
     * array header, the reply object, the headers of its wire and offset arrays, its address list, Caffeine's node
     * (weighted, variable expiry) and the map's node and table slot.
     */
    static final int ENTRY_BASE = 320;
    /**
     * One IPv4 address (measured: 84, one byte added to stay above it): its AnswerAddress, Inet4Address and
     * holder, the list slot.
     */
    static final int PER_IPV4 = 85;
    /** One IPv6 address (measured: 136): its AnswerAddress, Inet6Address, two holders, 16-byte array, list slot. */
    static final int PER_IPV6 = 136;

    private volatile int floor;

    /** @param floor the least an entry weighs */
    EntryWeigher(int floor) {
        this.floor = floor;
    }

    /** Sets the least an entry weighs, for entries weighed from now on. */
    void floor(int bytes) {
        this.floor = bytes;
    }

    @Override
    public int weigh(CacheKey key, CachedReply reply) {
        return Math.max(floor, bytes(key, reply));
    }

    /** Returns the heap an entry takes, in bytes: its key and node as well as the reply. */
    public static int bytes(CacheKey key, CachedReply reply) {
        return ENTRY_BASE + key.name().length() + reply.heapBytes();
    }

    /** Returns the variable heap of a reply: its wire bytes, TTL offsets and addresses, rounded to the JVM's 8 bytes. */
    static int replyBytes(int wireLength, int ttlCount, List<AnswerAddress> addresses) {
        long bytes = align(wireLength) + align(4L * ttlCount);
        for (int i = 0; i < addresses.size(); i++) {
            bytes += addresses.get(i).address() instanceof Inet4Address ? PER_IPV4 : PER_IPV6;
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
