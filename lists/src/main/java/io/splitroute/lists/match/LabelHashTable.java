package io.splitroute.lists.match;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Open-addressing hash table of lower-case ASCII names, probed with a hash computed from the right so a
 * query can be checked suffix by suffix, label by label, without creating substrings.
 *
 * <p>Keys live in one byte array (no String per key) to keep the retained heap small. Besides the keys
 * themselves the table holds every proper label suffix of every key as a marker (value-less) entry,
 * which lets a lookup stop as soon as a suffix is absent: no longer key can then exist (a hash trie).
 */
final class LabelHashTable {
    private static final int EMPTY = -1;

    private final int[] slots;
    private final int mask;
    private final int[] hashes;
    private final int[] keyStart;
    private final byte[] keyBytes;
    private final int size;

    private LabelHashTable(int[] slots, int[] hashes, int[] keyStart, byte[] keyBytes, int size) {
        this.slots = slots;
        this.mask = slots.length - 1;
        this.hashes = hashes;
        this.keyStart = keyStart;
        this.keyBytes = keyBytes;
        this.size = size;
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
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** Number of entries (keys and markers). */
    int size() {
        return size;
    }

    /**
     * Finds the entry for {@code name.substring(start)} without creating it.
     *
     * @param name the lower-case query name
     * @param start where the suffix starts
     * @param hash {@link #hashOf} of the suffix
     * @return the entry index, or -1
     */
    int find(String name, int start, int hash) {
        int len = name.length() - start;
        int slot = spread(hash) & mask;
        while (true) {
            int e = slots[slot];
            if (e == EMPTY) {
                return -1;
            }
            if (hashes[e] == hash && keyStart[e + 1] - keyStart[e] == len && equalsAt(e, name, start, len)) {
                return e;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean equalsAt(int e, String name, int start, int len) {
        int off = keyStart[e];
        for (int i = 0; i < len; i++) {
            if (keyBytes[off + i] != name.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the key of an entry (used only when materialising, never on the lookup path). */
    String key(int e) {
        return new String(keyBytes, keyStart[e], keyStart[e + 1] - keyStart[e], StandardCharsets.US_ASCII);
    }

    /** Collects keys, then freezes them into a table; entry indexes follow insertion order. */
    static final class Builder {
        private final java.util.HashMap<String, Integer> index;
        private final java.util.ArrayList<String> keys;

        Builder(int expectedKeys) {
            index = java.util.HashMap.newHashMap(expectedKeys + expectedKeys / 8 + 16);
            keys = new java.util.ArrayList<>(expectedKeys + 16);
        }

        /** Adds a key and all its label suffixes (as markers); returns the key's entry index. */
        int add(String key) {
            int e = addOne(key);
            // Markers from the longest suffix down; once one exists, all shorter ones exist too.
            for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
                int before = keys.size();
                addOne(key.substring(dot + 1));
                if (keys.size() == before) {
                    break;
                }
            }
            return e;
        }

        private int addOne(String key) {
            Integer e = index.get(key);
            if (e != null) {
                return e;
            }
            int id = keys.size();
            index.put(key, id);
            keys.add(key);
            return id;
        }

        int size() {
            return keys.size();
        }

        LabelHashTable build() {
            int n = keys.size();
            int capacity = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
            int[] slots = new int[capacity];
            Arrays.fill(slots, EMPTY);
            int[] hashes = new int[n];
            int[] keyStart = new int[n + 1];
            int total = 0;
            for (String k : keys) {
                total += k.length();
            }
            byte[] bytes = new byte[total];
            int off = 0;
            for (int e = 0; e < n; e++) {
                String k = keys.get(e);
                keyStart[e] = off;
                for (int i = 0; i < k.length(); i++) {
                    bytes[off++] = (byte) k.charAt(i);
                }
                int h = hashOf(k);
                hashes[e] = h;
                int slot = spread(h) & (capacity - 1);
                while (slots[slot] != EMPTY) {
                    slot = (slot + 1) & (capacity - 1);
                }
                slots[slot] = e;
            }
            keyStart[n] = off;
            return new LabelHashTable(slots, hashes, keyStart, bytes, n);
        }
    }
}
