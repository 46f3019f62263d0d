package io.splitroute.lists.match;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Open-addressing hash table of lower-case ASCII names, probed with a hash computed from the right so a
 * query can be checked suffix by suffix, label by label, without creating substrings.
 *
 * <p>Keys live in one byte array (no String per key) to keep the retained heap small. Each 32-bit slot
 * holds an 8-bit tag of the key's hash next to its 24-bit entry index, so a probe that misses touches one
 * small array only (1 MB for the 115 000 keys of gfwlist + the china list, which stays in L2). Besides the keys the
 * table holds every proper label suffix of every key as a marker (value-less) entry, which lets a lookup
 * stop as soon as a suffix is absent: no longer key can then exist (a hash trie).
 */
final class LabelHashTable {
    /** Most entries a table can hold (24-bit entry index; the other 8 bits of a slot are the hash tag). */
    static final int MAX_ENTRIES = (1 << 24) - 2;
    static final int INDEX_MASK = (1 << 24) - 1;

    // Package-private for NameIndex, which lays the same arrays out in a MemorySegment.
    final int[] slots;
    private final int mask;
    /**
     * A blocked Bloom filter over the same keys, 16 bits per entry (256 KB for the 117 000 entries of
     * gfwlist + the china list): most probes miss, and this small array stays in cache where the slot
     * array would be evicted by the query names streaming through.
     */
    final long[] filter;
    private final int filterShift;
    final int[] keyStart;
    final byte[] keyBytes;

    private LabelHashTable(int[] slots, long[] filter, int[] keyStart, byte[] keyBytes) {
        this.slots = slots;
        this.mask = slots.length - 1;
        this.filter = filter;
        this.filterShift = 32 - Integer.numberOfTrailingZeros(filter.length);
        this.keyStart = keyStart;
        this.keyBytes = keyBytes;
    }

    /** Hash step: fold one more character, walking the name from its end towards its start. */
    static int step(int h, char c) {
        return h * 31 + c;
    }

    /** Hash of a whole key, as {@link #find} expects it. */
    static int hashOf(String key) {
        int h = 0;
        for (int i = key.length() - 1; i >= 0; i--) {
            h = step(h, key.charAt(i));
        }
        return h;
    }

    /** Murmur3's finaliser: the polynomial hash alone clusters badly in a linear-probing table. */
    static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** Slot content: the top 8 bits of the spread hash (the index uses the low bits) and entry + 1. */
    private static int slot(int spread, int entry) {
        return (spread & ~INDEX_MASK) | (entry + 1);
    }

    /** Number of entries (keys and markers). */
    int size() {
        return keyStart.length - 1;
    }

    /**
     * Finds the entry for {@code name.substring(start, end)}, ASCII letters folded to lower case, without
     * creating it.
     *
     * @param name the query name
     * @param start where the suffix starts
     * @param end where it ends (the name's length, or one less to skip a trailing dot)
     * @param hash {@link #hashOf} of the lower-cased suffix
     * @return the entry index, or -1
     */
    int find(String name, int start, int end, int hash) {
        int g = hash * 0x9E3779B1;
        long bits = (1L << g) | (1L << (g >>> 6));
        if ((filter[g >>> filterShift] & bits) != bits) {
            return -1;
        }
        int spread = spread(hash);
        int tag = spread & ~INDEX_MASK;
        int i = spread & mask;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            if ((s & ~INDEX_MASK) == tag) {
                int e = (s & INDEX_MASK) - 1;
                if (equalsAt(e, name, start, end)) {
                    return e;
                }
            }
            i = (i + 1) & mask;
        }
    }

    private boolean equalsAt(int e, String name, int start, int end) {
        int off = keyStart[e];
        int len = keyStart[e + 1] - off;
        if (len != end - start) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (keyBytes[off + i] != fold(name.charAt(start + i))) {
                return false;
            }
        }
        return true;
    }

    /** Lower-cases an ASCII letter; keys are lower case, so any other character compares as is. */
    static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Returns the key of an entry (used only when materialising, never on the lookup path). */
    String key(int e) {
        return new String(keyBytes, keyStart[e], keyStart[e + 1] - keyStart[e], StandardCharsets.US_ASCII);
    }

    /**
     * Collects keys into a growing table, then freezes them; entry indexes follow insertion order. Keys are
     * kept as bytes from the start (no String per key and marker while 115 000 keys are added).
     */
    static final class Builder {
        private int size;
        private int[] keyStart;
        private byte[] keyBytes;
        private int[] slots;
        private int[] hashes;

        Builder(int expectedKeys) {
            int n = expectedKeys + 16;
            keyStart = new int[n + 1];
            keyBytes = new byte[n * 12];
            slots = new int[capacityFor(n)];
            hashes = new int[n];
        }

        private static int capacityFor(int n) {
            return Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
        }

        /** Adds a key and all its label suffixes (as markers); returns the key's entry index. */
        int add(String key) {
            int e = addOne(key, 0);
            // Markers from the longest suffix down; once one exists, all shorter ones exist too.
            for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
                int before = size;
                addOne(key, dot + 1);
                if (size == before) {
                    break;
                }
            }
            return e;
        }

        /** Adds {@code key.substring(start)} (ASCII) unless present; returns its entry index. */
        private int addOne(String key, int start) {
            int h = 0;
            for (int i = key.length() - 1; i >= start; i--) {
                h = step(h, key.charAt(i));
            }
            int spread = spread(h);
            int mask = slots.length - 1;
            int i = spread & mask;
            int len = key.length() - start;
            for (int s = slots[i]; s != 0; s = slots[i]) {
                if ((s & ~INDEX_MASK) == (spread & ~INDEX_MASK) && equalsAt((s & INDEX_MASK) - 1, key, start, len)) {
                    return (s & INDEX_MASK) - 1;
                }
                i = (i + 1) & mask;
            }
            int e = size;
            if (e >= MAX_ENTRIES) {
                throw new IllegalStateException("too many names for one table: " + e);
            }
            append(key, start, len, h);
            slots[i] = slot(spread, e);
            if (size * 2 > slots.length) {
                grow();
            }
            return e;
        }

        private boolean equalsAt(int e, String key, int start, int len) {
            int off = keyStart[e];
            if (keyStart[e + 1] - off != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (keyBytes[off + i] != (byte) key.charAt(start + i)) {
                    return false;
                }
            }
            return true;
        }

        private void append(String key, int start, int len, int hash) {
            int e = size;
            if (e + 1 == keyStart.length) {
                keyStart = Arrays.copyOf(keyStart, e * 2 + 1);
                hashes = Arrays.copyOf(hashes, e * 2);
            }
            int off = keyStart[e];
            if (off + len > keyBytes.length) {
                keyBytes = Arrays.copyOf(keyBytes, Math.max(keyBytes.length * 2, off + len));
            }
            // ASCII keys (names are in their lookup form); getBytes would create an array per key
            for (int i = 0; i < len; i++) {
                keyBytes[off + i] = (byte) key.charAt(start + i);
            }
            keyStart[e + 1] = off + len;
            hashes[e] = hash;
            size++;
        }

        private void grow() {
            int[] old = slots;
            slots = new int[old.length * 2];
            int mask = slots.length - 1;
            for (int s : old) {
                if (s != 0) {
                    int i = spread(hashes[(s & INDEX_MASK) - 1]) & mask;
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = s;
                }
            }
        }

        int size() {
            return size;
        }

        LabelHashTable build() {
            int n = size;
            int words = Integer.highestOneBit(Math.max(64, n * 16 / 64 - 1)) << 1;
            long[] filter = new long[words];
            int shift = 32 - Integer.numberOfTrailingZeros(words);
            for (int e = 0; e < n; e++) {
                int g = hashes[e] * 0x9E3779B1;
                filter[g >>> shift] |= (1L << g) | (1L << (g >>> 6));
            }
            return new LabelHashTable(Arrays.copyOf(slots, slots.length), filter, Arrays.copyOf(keyStart, n + 1),
                    Arrays.copyOf(keyBytes, keyStart[n]));
        }
    }
}
