package io.splitroute.lists.rule;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rules in compact form: a few primitive arrays and two byte pools instead of one {@link Rule} +
 * {@link Origin} + strings per rule (about 200 bytes each, 20 MB for the 110 000 lines of the china list;
 * packed, the same rules take about 3 MB). Lists are parsed straight into this form and a
 * {@link RuleTable} copies them without creating a rule object per line.
 *
 * <p>A rule's source line is kept as a (prefix, suffix) pair around its value when the line contains the
 * value ({@code server=/} and {@code /114.114.114.114} for a china-list line), shared by most lines of a
 * list, or else whole. {@link #rule(int)} rebuilds the rule exactly as it was added. Immutable; build
 * one with {@link #builder()}.
 */
public final class PackedRules {
    private static final RuleKind[] KINDS = RuleKind.values();
    private static final int EXCEPTION_BIT = 0x10;
    private static final PackedRules EMPTY = builder().build();

    // Package-private: CompiledRules lays these arrays out as they are.
    final int size;
    /** Per rule: the kind's ordinal, or'ed with {@link #EXCEPTION_BIT} for an exception. */
    final byte[] flags;
    final int[] lines;
    final int[] sourceIndex;
    /** Per rule: 1 + the index of its (prefix, suffix) pair, or 0 when the line is kept whole in {@link #text}. */
    final char[] affix;
    final int[] textStart;
    final byte[] text;
    final int[] valueStart;
    final byte[] values;
    final String[] lists;
    final String[] sources;
    final String[] prefixes;
    final String[] suffixes;

    private PackedRules(Builder b) {
        int n = b.size;
        this.size = n;
        this.flags = Arrays.copyOf(b.flags, n);
        this.lines = Arrays.copyOf(b.lines, n);
        this.sourceIndex = Arrays.copyOf(b.sourceIndex, n);
        this.affix = Arrays.copyOf(b.affix, n);
        this.textStart = Arrays.copyOf(b.textStart, n + 1);
        this.valueStart = Arrays.copyOf(b.valueStart, n + 1);
        this.textStart[n] = b.text.size;
        this.valueStart[n] = b.values.size;
        this.text = b.text.toArray();
        this.values = b.values.toArray();
        this.lists = b.lists.toArray(String[]::new);
        this.sources = b.sources.toArray(String[]::new);
        this.prefixes = b.prefixes.toArray(String[]::new);
        this.suffixes = b.suffixes.toArray(String[]::new);
    }

    /** Returns an empty instance. */
    public static PackedRules empty() {
        return EMPTY;
    }

    /** Returns a builder that keeps every rule added. */
    public static Builder builder() {
        return new Builder(16, false);
    }

    /**
     * Returns a builder that drops a rule equal in kind, value and exception flag to one already added
     * (see {@link Builder#addIfAbsent}).
     *
     * @param expectedRules about how many rules will be added (a sizing hint)
     * @return the builder
     */
    public static Builder deduplicatingBuilder(int expectedRules) {
        return new Builder(expectedRules, true);
    }

    /** Returns the number of rules. */
    public int size() {
        return size;
    }

    /** Returns the kind of rule {@code id} (0-based, in the order added). */
    public RuleKind kind(int id) {
        return KINDS[flags[Objects.checkIndex(id, size)] & 0x0f];
    }

    /** Returns whether rule {@code id} is an exception. */
    public boolean exception(int id) {
        return (flags[Objects.checkIndex(id, size)] & EXCEPTION_BIT) != 0;
    }

    /** Returns the (normalised) value of rule {@code id}. */
    public String value(int id) {
        Objects.checkIndex(id, size);
        return string(values, valueStart, id);
    }

    /** Rebuilds rule {@code id} with its origin, equal to the rule that was added. */
    public Rule rule(int id) {
        String value = value(id);
        int s = sourceIndex[id];
        int a = affix[id] - 1;
        String line = a < 0 ? string(text, textStart, id) : prefixes[a] + value + suffixes[a];
        return new Rule(kind(id), value, exception(id), new Origin(lists[s], sources[s], lines[id], line));
    }

    /** Returns the rules as an unmodifiable list that rebuilds each {@link Rule} when it is read. */
    public List<Rule> asList() {
        return new RuleList(this);
    }

    private static String string(byte[] pool, int[] start, int id) {
        return new String(pool, start[id], start[id + 1] - start[id], StandardCharsets.UTF_8);
    }

    /** The view returned by {@link #asList()}; a {@link RuleTable.Builder} copies it without rebuilding rules. */
    static final class RuleList extends AbstractList<Rule> {
        final PackedRules packed;

        RuleList(PackedRules packed) {
            this.packed = packed;
        }

        @Override
        public Rule get(int index) {
            return packed.rule(index);
        }

        @Override
        public int size() {
            return packed.size;
        }
    }

    /** Appends rules to growing arrays; {@link #build()} trims them. Not thread-safe. */
    public static final class Builder {
        private int size;
        private byte[] flags;
        private int[] lines;
        private int[] sourceIndex;
        private char[] affix;
        private int[] textStart;
        private int[] valueStart;
        private final Pool text = new Pool(1 << 10);
        private final Pool values;
        private final List<String> lists = new ArrayList<>();
        private final List<String> sources = new ArrayList<>();
        private final Map<List<String>, Integer> sourceIds = new HashMap<>();
        private final List<String> prefixes = new ArrayList<>();
        private final List<String> suffixes = new ArrayList<>();
        private final Map<List<String>, Integer> affixIds = new HashMap<>();
        private String lastList;
        private String lastSource;
        private int lastSourceIndex = -1;
        /** Open-addressing set of rule ids + 1 by (flags, value); null unless deduplicating. */
        private int[] dedup;

        private Builder(int expectedRules, boolean deduplicate) {
            int n = Math.max(16, expectedRules);
            flags = new byte[n];
            lines = new int[n];
            sourceIndex = new int[n];
            affix = new char[n];
            textStart = new int[n];
            valueStart = new int[n];
            values = new Pool(Math.max(1 << 10, n * 16));
            dedup = deduplicate ? new int[Integer.highestOneBit(Math.max(16, n * 2 - 1)) << 1] : null;
        }

        /** Returns the number of rules added so far. */
        public int size() {
            return size;
        }

        /**
         * Adds a rule.
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder add(Rule rule) {
            Origin o = rule.origin();
            return add(rule.kind(), rule.value(), rule.exception(), o.list(), o.source(), o.line(), o.text());
        }

        /**
         * Adds a rule given by its parts, without creating a {@link Rule}; the value must already be in the
         * form a {@link Rule} gives it (normalised name, lower-case keyword).
         *
         * @param kind how the value is compared
         * @param value the normalised value
         * @param exception whether it is an exception
         * @param list the list name
         * @param source the file or URL
         * @param line the 1-based line number, 0 if none
         * @param lineText the line as written
         * @return this builder
         */
        public Builder add(RuleKind kind, String value, boolean exception, String list, String source, int line,
                           String lineText) {
            append(flagsOf(kind, exception), value.getBytes(StandardCharsets.UTF_8), value, list, source, line, lineText);
            return this;
        }

        /**
         * Adds a rule unless one with the same kind, value and exception flag was added (only on a builder from
         * {@link #deduplicatingBuilder(int)}; others add every rule).
         *
         * @return true if the rule was added, false if it is a duplicate
         */
        public boolean addIfAbsent(RuleKind kind, String value, boolean exception, String list, String source, int line,
                                   String lineText) {
            byte f = flagsOf(kind, exception);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            if (dedup != null) {
                int mask = dedup.length - 1;
                int i = spread(hash(f, v, 0, v.length)) & mask;
                for (int s = dedup[i]; s != 0; s = dedup[i]) {
                    if (flags[s - 1] == f && values.equalsAt(valueStart[s - 1], valueEnd(s - 1), v)) {
                        return false;
                    }
                    i = (i + 1) & mask;
                }
            }
            append(f, v, value, list, source, line, lineText);
            return true;
        }

        /**
         * Adds every rule of {@code rules}, in order, copying bytes without rebuilding rule objects.
         *
         * @param rules the rules to copy
         * @return this builder
         */
        public Builder addAll(PackedRules rules) {
            ensure(size + rules.size);
            int[] sourceMap = new int[rules.lists.length];
            for (int s = 0; s < sourceMap.length; s++) {
                sourceMap[s] = sourceId(rules.lists[s], rules.sources[s]);
            }
            char[] affixMap = new char[rules.prefixes.length];
            for (int a = 0; a < affixMap.length; a++) {
                affixMap[a] = affixId(rules.prefixes[a], rules.suffixes[a]);
            }
            for (int id = 0; id < rules.size; id++) {
                int a = rules.affix[id] - 1;
                textStart[size] = text.size;
                if (a < 0) {
                    text.add(rules.text, rules.textStart[id], rules.textStart[id + 1] - rules.textStart[id]);
                }
                valueStart[size] = values.size;
                values.add(rules.values, rules.valueStart[id], rules.valueStart[id + 1] - rules.valueStart[id]);
                flags[size] = rules.flags[id];
                lines[size] = rules.lines[id];
                sourceIndex[size] = sourceMap[rules.sourceIndex[id]];
                affix[size] = a < 0 ? 0 : affixMap[a];
                index(size);
                size++;
            }
            return this;
        }

        /** Returns the rules added, trimmed to size. The builder can go on adding afterwards. */
        public PackedRules build() {
            return new PackedRules(this);
        }

        private void append(byte f, byte[] v, String value, String list, String source, int line, String lineText) {
            Objects.requireNonNull(lineText, "lineText");
            if (line < 0) {
                throw new IllegalArgumentException("line must be >= 0, got " + line);
            }
            ensure(size + 1);
            flags[size] = f;
            lines[size] = line;
            if (!Objects.equals(list, lastList) || !Objects.equals(source, lastSource)) {
                lastSourceIndex = sourceId(list, source);
                lastList = list;
                lastSource = source;
            }
            sourceIndex[size] = lastSourceIndex;
            textStart[size] = text.size;
            int at = lineText.indexOf(value);
            char a = at < 0 ? 0 : affixId(lineText.substring(0, at), lineText.substring(at + value.length()));
            if (a == 0) {
                text.add(lineText.getBytes(StandardCharsets.UTF_8));
            }
            affix[size] = a;
            valueStart[size] = values.size;
            values.add(v);
            index(size);
            size++;
        }

        private int sourceId(String list, String source) {
            Objects.requireNonNull(list, "list");
            Objects.requireNonNull(source, "source");
            return sourceIds.computeIfAbsent(List.of(list, source), k -> {
                lists.add(list);
                sources.add(source);
                return lists.size() - 1;
            });
        }

        /** Returns 1 + the pair's index, or 0 when no more pairs fit (the line is then kept whole). */
        private char affixId(String prefix, String suffix) {
            Integer id = affixIds.get(List.of(prefix, suffix));
            if (id == null) {
                if (prefixes.size() >= Character.MAX_VALUE - 1) {
                    return 0;
                }
                id = prefixes.size();
                prefixes.add(prefix);
                suffixes.add(suffix);
                affixIds.put(List.of(prefix, suffix), id);
            }
            return (char) (id + 1);
        }

        private int valueEnd(int id) {
            return id + 1 < size ? valueStart[id + 1] : values.size;
        }

        /** Records rule {@code id} in the duplicate index (if any), growing it at half load. */
        private void index(int id) {
            if (dedup == null) {
                return;
            }
            if (2 * (id + 1) > dedup.length) {
                int[] old = dedup;
                dedup = new int[old.length * 2];
                for (int s : old) {
                    if (s != 0) {
                        insert(s - 1);
                    }
                }
            }
            insert(id);
        }

        private void insert(int id) {
            int mask = dedup.length - 1;
            int start = valueStart[id];
            int i = spread(hash(flags[id], values.bytes, start, valueEnd(id) - start)) & mask;
            while (dedup[i] != 0) {
                i = (i + 1) & mask;
            }
            dedup[i] = id + 1;
        }

        private void ensure(int n) {
            if (n > flags.length) {
                int cap = Math.max(n, flags.length * 2);
                flags = Arrays.copyOf(flags, cap);
                lines = Arrays.copyOf(lines, cap);
                sourceIndex = Arrays.copyOf(sourceIndex, cap);
                affix = Arrays.copyOf(affix, cap);
                textStart = Arrays.copyOf(textStart, cap + 1);
                valueStart = Arrays.copyOf(valueStart, cap + 1);
            }
        }

        private static byte flagsOf(RuleKind kind, boolean exception) {
            return (byte) (Objects.requireNonNull(kind, "kind").ordinal() | (exception ? EXCEPTION_BIT : 0));
        }

        private static int hash(byte f, byte[] b, int off, int len) {
            int h = f;
            for (int i = off; i < off + len; i++) {
                h = h * 31 + b[i];
            }
            return h;
        }

        private static int spread(int h) {
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            return h;
        }
    }

    /** A growable byte array holding strings as UTF-8. */
    private static final class Pool {
        private byte[] bytes;
        private int size;

        Pool(int capacity) {
            bytes = new byte[capacity];
        }

        void add(byte[] b) {
            add(b, 0, b.length);
        }

        void add(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        boolean equalsAt(int start, int end, byte[] b) {
            return Arrays.equals(bytes, start, end, b, 0, b.length);
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
