package io.splitroute.lists.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Full and suffix name keys with an {@code int} value each, in a flat layout that is read where it lies: in
 * a heap array, or in a file mapped read-only ({@link MemorySegment}), so a large index costs neither parse
 * time nor Java heap when it is opened. The lookup is {@link DomainMatcher}'s: the query name is walked from
 * its last label, one hash probe per label ({@link LabelHashTable}'s table, Bloom filter and key bytes, laid
 * out as they are in memory), ASCII letters folded on the way, nothing allocated.
 *
 * <p>Layout (little-endian, each section 8-byte aligned): a 24-byte header (entries, slots, filter words
 * and key bytes as ints, then zeros), then the slots ({@code int}), the filter ({@code long}), the key offsets
 * ({@code int}, entries + 1), the key bytes, and two values per entry ({@code int}: full, suffix).
 * Instances are immutable and thread-safe.
 */
public final class NameIndex {
    /** The value of an entry without one, and what {@link #best(String)} returns when no key matches. */
    public static final int NONE = Integer.MIN_VALUE;
    /** What {@link #best(String)} returns for a name with a non-ASCII character: convert it, then ask again. */
    public static final int NOT_ASCII = Integer.MIN_VALUE + 1;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int HEADER = 24;

    private final MemorySegment layout;
    private final MemorySegment slots;
    private final MemorySegment filter;
    private final MemorySegment keyStart;
    private final MemorySegment keyBytes;
    private final MemorySegment values;
    private final int mask;
    private final int filterShift;
    private final int entries;

    private NameIndex(MemorySegment layout) {
        long size = layout.byteSize();
        if (size < HEADER) {
            throw new IllegalArgumentException("name index of " + size + " bytes is shorter than its header");
        }
        int n = layout.get(INT, 0);
        int slotCount = layout.get(INT, 4);
        int words = layout.get(INT, 8);
        int bytes = layout.get(INT, 12);
        if (n < 0 || slotCount <= 0 || Integer.bitCount(slotCount) != 1 || words <= 0 || Integer.bitCount(words) != 1
                || bytes < 0) {
            throw new IllegalArgumentException("name index header is inconsistent: " + n + " entries, " + slotCount
                    + " slots, " + words + " filter words, " + bytes + " key bytes");
        }
        long at = HEADER;
        this.slots = slice(layout, at, 4L * slotCount);
        at = align(at + slots.byteSize());
        this.filter = slice(layout, at, 8L * words);
        at = align(at + filter.byteSize());
        this.keyStart = slice(layout, at, 4L * (n + 1));
        at = align(at + keyStart.byteSize());
        this.keyBytes = slice(layout, at, bytes);
        at = align(at + keyBytes.byteSize());
        this.values = slice(layout, at, 8L * n);
        at = align(at + values.byteSize());
        if (at != size) {
            throw new IllegalArgumentException("name index of " + size + " bytes, its header describes " + at);
        }
        this.layout = layout;
        this.entries = n;
        this.mask = slotCount - 1;
        this.filterShift = 32 - Integer.numberOfTrailingZeros(words);
    }

    private static MemorySegment slice(MemorySegment layout, long offset, long length) {
        if (offset + length > layout.byteSize()) {
            throw new IllegalArgumentException("name index section at " + offset + " of " + length
                    + " bytes runs past its " + layout.byteSize() + " bytes");
        }
        return layout.asSlice(offset, length);
    }

    static long align(long at) {
        return (at + 7) & ~7L;
    }

    /**
     * Reads an index laid out by {@link #layout()}, where it lies (heap or mapped), without copying it.
     *
     * @param layout the bytes, 8-byte aligned
     * @return the index
     * @throws IllegalArgumentException if the header does not describe the segment
     */
    public static NameIndex of(MemorySegment layout) {
        return new NameIndex(layout);
    }

    /** Returns the whole layout, to be written to a file. */
    public MemorySegment layout() {
        return layout;
    }

    /** Returns the number of entries: keys and their label suffixes. */
    public int entries() {
        return entries;
    }

    /**
     * Returns the value of the full key equal to a name, else of its longest matching suffix key.
     *
     * @param name a query name in any ASCII case, with or without one trailing dot
     * @return the value; {@link #NONE} if no key matches; {@link #NOT_ASCII} if the name has a non-ASCII
     *         character (convert it with {@link DomainNames#toLookupForm(String)} and ask again)
     */
    public int best(String name) {
        int n = name.length();
        int end = n > 0 && name.charAt(n - 1) == '.' ? n - 1 : n;
        int suffix = NONE;
        int h = 0;
        int i = end - 1;
        while (i >= -1) {
            int j = i;
            char c;
            while (j >= 0 && (c = name.charAt(j)) != '.') {
                if (c >= 'A') {
                    if (c <= 'Z') {
                        c += 'a' - 'A';
                    } else if (c >= 0x80) {
                        return NOT_ASCII;
                    }
                }
                h = LabelHashTable.step(h, c);
                j--;
            }
            int e = find(name, j + 1, end, h);
            if (e < 0) {
                break;
            }
            int s = values.getAtIndex(INT, 2L * e + 1);
            if (s != NONE) {
                suffix = s;
            }
            if (j < 0) {
                int full = values.getAtIndex(INT, 2L * e);
                return full != NONE ? full : suffix;
            }
            h = LabelHashTable.step(h, '.');
            i = j - 1;
        }
        return suffix;
    }

    /** Receives matching values, strongest first; returning false stops the walk. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param full  true for the full key, false for a suffix key
         * @param value the key's value
         * @return true to receive further matches
         */
        boolean visit(boolean full, int value);
    }

    /**
     * Reports the values of every key matching a name: the full key, then suffix keys from the longest to
     * the shortest.
     *
     * @param name    a name in lookup form (lower-case ASCII, no trailing dot)
     * @param visitor receives the values
     * @return false if the visitor stopped the walk, true if it saw every match
     */
    public boolean forEach(String name, Visitor visitor) {
        int end = name.length();
        int[] hits = new int[8];
        int count = 0;
        int full = NONE;
        int h = 0;
        int i = end - 1;
        while (i >= -1) {
            int j = i;
            char c;
            while (j >= 0 && (c = name.charAt(j)) != '.') {
                h = LabelHashTable.step(h, c);
                j--;
            }
            int e = find(name, j + 1, end, h);
            if (e < 0) {
                break;
            }
            if (values.getAtIndex(INT, 2L * e + 1) != NONE) {
                if (count == hits.length) {
                    hits = java.util.Arrays.copyOf(hits, count * 2);
                }
                hits[count++] = e;
            }
            if (j < 0) {
                full = values.getAtIndex(INT, 2L * e);
                break;
            }
            h = LabelHashTable.step(h, '.');
            i = j - 1;
        }
        if (full != NONE && !visitor.visit(true, full)) {
            return false;
        }
        for (int k = count - 1; k >= 0; k--) {
            if (!visitor.visit(false, values.getAtIndex(INT, 2L * hits[k] + 1))) {
                return false;
            }
        }
        return true;
    }

    /** As {@link LabelHashTable#find}, on the laid-out arrays. */
    private int find(String name, int start, int end, int hash) {
        int g = hash * 0x9E3779B1;
        long bits = (1L << g) | (1L << (g >>> 6));
        if ((filter.getAtIndex(LONG, g >>> filterShift) & bits) != bits) {
            return -1;
        }
        int spread = LabelHashTable.spread(hash);
        int tag = spread & ~LabelHashTable.INDEX_MASK;
        int i = spread & mask;
        while (true) {
            int s = slots.getAtIndex(INT, i);
            if (s == 0) {
                return -1;
            }
            if ((s & ~LabelHashTable.INDEX_MASK) == tag) {
                int e = (s & LabelHashTable.INDEX_MASK) - 1;
                if (equalsAt(e, name, start, end)) {
                    return e;
                }
            }
            i = (i + 1) & mask;
        }
    }

    private boolean equalsAt(int e, String name, int start, int end) {
        int off = keyStart.getAtIndex(INT, e);
        int len = keyStart.getAtIndex(INT, e + 1L) - off;
        if (len != end - start) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (keyBytes.get(ValueLayout.JAVA_BYTE, off + i) != LabelHashTable.fold(name.charAt(start + i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns a builder sized for about this many keys.
     *
     * @param expectedKeys a sizing hint
     * @return the builder
     */
    public static Builder builder(int expectedKeys) {
        return new Builder(expectedKeys);
    }

    /** Collects keys; each key (and label suffix) gets an entry number, in the order first added. */
    public static final class Builder {
        private final LabelHashTable.Builder names;

        private Builder(int expectedKeys) {
            names = new LabelHashTable.Builder(expectedKeys);
        }

        /**
         * Adds a key (and its label suffixes, as entries without values unless added themselves).
         *
         * @param name a normalised name ({@link DomainNames#normalize(String)})
         * @return the key's entry number: the same for the same name
         */
        public int add(String name) {
            return names.add(name);
        }

        /** Returns the number of entries so far. */
        public int entries() {
            return names.size();
        }

        /**
         * Lays the index out in a new heap segment.
         *
         * @param values two per entry, {@code [2e]} the full key's value and {@code [2e + 1]} the suffix key's,
         *               {@link #NONE} where there is none
         * @return the index
         */
        public NameIndex build(int[] values) {
            LabelHashTable t = names.build();
            int n = t.size();
            if (values.length != 2 * n) {
                throw new IllegalArgumentException(values.length + " values for " + n + " entries");
            }
            long size = HEADER;
            size = align(size + 4L * t.slots.length);
            size = align(size + 8L * t.filter.length);
            size = align(size + 4L * (n + 1));
            size = align(size + t.keyBytes.length);
            size = align(size + 8L * n);
            MemorySegment m = MemorySegment.ofArray(new long[(int) (size / 8)]);
            m.set(INT, 0, n);
            m.set(INT, 4, t.slots.length);
            m.set(INT, 8, t.filter.length);
            m.set(INT, 12, t.keyBytes.length);
            long at = HEADER;
            MemorySegment.copy(t.slots, 0, m, INT, at, t.slots.length);
            at = align(at + 4L * t.slots.length);
            MemorySegment.copy(t.filter, 0, m, LONG, at, t.filter.length);
            at = align(at + 8L * t.filter.length);
            MemorySegment.copy(t.keyStart, 0, m, INT, at, n + 1);
            at = align(at + 4L * (n + 1));
            MemorySegment.copy(t.keyBytes, 0, m, ValueLayout.JAVA_BYTE, at, t.keyBytes.length);
            at = align(at + t.keyBytes.length);
            MemorySegment.copy(values, 0, m, INT, at, 2 * n);
            return new NameIndex(m);
        }
    }
}
