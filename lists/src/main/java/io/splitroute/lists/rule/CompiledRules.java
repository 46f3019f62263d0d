package io.splitroute.lists.rule;

import io.splitroute.lists.match.NameIndex;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule table's compiled form in one flat layout, read where it lies (a heap array after a build, or a
 * file mapped read-only): the rules in columns as {@link PackedRules} holds them, the route of each, the
 * groups of rules that share a key, the {@link NameIndex} of full and suffix keys, and the few keyword and
 * regexp keys. Strings that are few (route, list and source names, line affixes, keywords, regexps) are
 * read into the heap when it is opened; nothing proportional to the number of rules is.
 *
 * <p>A key's rules are referred to by one {@code int}: a rule id ({@code >= 0}) when it has one rule, else
 * {@code ~g} for group {@code g}, whose ids are stored in level order (route, exceptions first, id).
 *
 * <p>Layout, little-endian, each section 8-byte aligned: a 64-byte header of ints (magic, rules, distinct
 * rules, groups, group ids, text bytes, value bytes, strings bytes, name index bytes, keywords, regexps),
 * then flags and routes (a byte per rule), lines and source indexes ({@code int}), affixes ({@code short}),
 * text offsets, text, value offsets, values, group offsets, group ids, keyword and regexp refs, the string
 * table, and the name index.
 */
final class CompiledRules {
    private static final int MAGIC = 0x53524352; // "SRCR"
    private static final int HEADER = 64;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final RuleKind[] KINDS = RuleKind.values();
    private static final int EXCEPTION_BIT = 0x10;

    private final MemorySegment body;
    private final int rules;
    private final int size;
    private final MemorySegment flags;
    private final MemorySegment routes;
    private final MemorySegment lines;
    private final MemorySegment sourceIndex;
    private final MemorySegment affix;
    private final MemorySegment textStart;
    private final MemorySegment text;
    private final MemorySegment valueStart;
    private final MemorySegment values;
    private final MemorySegment groupStart;
    private final MemorySegment groupIds;
    private final NameIndex names;
    private final String[] routeNames;
    private final String[] lists;
    private final String[] sources;
    private final String[] prefixes;
    private final String[] suffixes;
    private final String[] keywords;
    private final int[] keywordRefs;
    private final String[] regexps;
    private final int[] regexpRefs;

    private CompiledRules(MemorySegment body) {
        if (body.byteSize() < HEADER || body.get(INT, 0) != MAGIC) {
            throw new IllegalArgumentException("not a compiled rule table (no header)");
        }
        this.body = body;
        int n = header(1);
        this.rules = n;
        this.size = header(2);
        int groups = header(3);
        int ids = header(4);
        int keywordCount = header(9);
        int regexpCount = header(10);
        Cursor c = new Cursor(body, HEADER);
        flags = c.next(n);
        routes = c.next(n);
        lines = c.next(4L * n);
        sourceIndex = c.next(4L * n);
        affix = c.next(2L * n);
        textStart = c.next(4L * (n + 1));
        text = c.next(header(5));
        valueStart = c.next(4L * (n + 1));
        values = c.next(header(6));
        groupStart = c.next(4L * (groups + 1));
        groupIds = c.next(4L * ids);
        keywordRefs = c.next(4L * keywordCount).toArray(INT);
        regexpRefs = c.next(4L * regexpCount).toArray(INT);
        ByteBuffer strings = ByteBuffer.wrap(c.next(header(7)).toArray(BYTE)).order(ByteOrder.LITTLE_ENDIAN);
        names = NameIndex.of(c.next(header(8)));
        c.end();
        routeNames = strings(strings);
        lists = strings(strings);
        sources = strings(strings);
        prefixes = strings(strings);
        suffixes = strings(strings);
        keywords = strings(strings);
        regexps = strings(strings);
        if (keywords.length != keywordCount || regexps.length != regexpCount || prefixes.length != suffixes.length
                || lists.length != sources.length) {
            throw new IllegalArgumentException("compiled rule table: string table does not match its header");
        }
    }

    private int header(int i) {
        int v = body.get(INT, 4L * i);
        if (v < 0) {
            throw new IllegalArgumentException("compiled rule table: header field " + i + " is negative: " + v);
        }
        return v;
    }

    /**
     * Reads a compiled form where it lies, without copying it.
     *
     * @param body the layout written by {@link #lay}
     * @return the rules
     * @throws IllegalArgumentException if the layout is inconsistent
     */
    static CompiledRules of(MemorySegment body) {
        return new CompiledRules(body);
    }

    /**
     * Lays a built table out in a new heap segment.
     *
     * @return the compiled form over that segment
     */
    static CompiledRules lay(String[] routeNames, PackedRules packed, byte[] ruleRoutes, int size, int[] groupStart,
                             int[] groupIds, NameIndex names, List<String> keywords, int[] keywordRefs,
                             List<String> regexps, int[] regexpRefs) {
        int n = packed.size;
        byte[] strings = stringTable(routeNames, packed.lists, packed.sources, packed.prefixes, packed.suffixes,
                keywords.toArray(String[]::new), regexps.toArray(String[]::new));
        MemorySegment nameLayout = names.layout();
        Object[][] sections = {
            {packed.flags, BYTE, n}, {ruleRoutes, BYTE, n}, {packed.lines, INT, n}, {packed.sourceIndex, INT, n},
            {packed.affix, CHAR, n}, {packed.textStart, INT, n + 1}, {packed.text, BYTE, packed.text.length},
            {packed.valueStart, INT, n + 1}, {packed.values, BYTE, packed.values.length},
            {groupStart, INT, groupStart.length}, {groupIds, INT, groupIds.length},
            {keywordRefs, INT, keywordRefs.length}, {regexpRefs, INT, regexpRefs.length}, {strings, BYTE, strings.length},
        };
        long total = HEADER;
        for (Object[] s : sections) {
            total = align(total + ((ValueLayout) s[1]).byteSize() * (int) s[2]);
        }
        total = align(total + nameLayout.byteSize());
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("compiled rule table of " + total + " bytes is too large");
        }
        MemorySegment m = MemorySegment.ofArray(new long[(int) (total / 8)]);
        int[] header = {MAGIC, n, size, groupStart.length - 1, groupIds.length, packed.text.length, packed.values.length,
            strings.length, (int) nameLayout.byteSize(), keywordRefs.length, regexpRefs.length};
        MemorySegment.copy(header, 0, m, INT, 0, header.length);
        long at = HEADER;
        for (Object[] s : sections) {
            ValueLayout layout = (ValueLayout) s[1];
            int count = (int) s[2];
            MemorySegment.copy(s[0], 0, m, layout, at, count);
            at = align(at + layout.byteSize() * count);
        }
        MemorySegment.copy(nameLayout, 0, m, at, nameLayout.byteSize());
        return new CompiledRules(m);
    }

    private static long align(long at) {
        return (at + 7) & ~7L;
    }

    private static byte[] stringTable(String[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer number = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (String[] array : arrays) {
            out.writeBytes(number.putInt(0, array.length).array());
            for (String s : array) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(number.putInt(0, b.length).array());
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    private static String[] strings(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 4) {
            throw new IllegalArgumentException("compiled rule table: string table holds " + count + " strings in "
                    + in.remaining() + " bytes");
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("compiled rule table: a string of " + length + " bytes runs past its table");
            }
            byte[] b = new byte[length];
            in.get(b);
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out.toArray(String[]::new);
    }

    /** Returns the whole layout (to be written to a file). */
    MemorySegment body() {
        return body;
    }

    /** Returns the number of rules laid out (duplicates within a route included). */
    int rules() {
        return rules;
    }

    /** Returns the number of rules after dropping duplicates within a route. */
    int size() {
        return size;
    }

    NameIndex names() {
        return names;
    }

    String[] routeNames() {
        return routeNames;
    }

    String[] keywords() {
        return keywords;
    }

    int[] keywordRefs() {
        return keywordRefs;
    }

    String[] regexps() {
        return regexps;
    }

    int[] regexpRefs() {
        return regexpRefs;
    }

    boolean exception(int id) {
        return (flags.get(BYTE, id) & EXCEPTION_BIT) != 0;
    }

    int route(int id) {
        return routes.get(BYTE, id);
    }

    RuleKind kind(int id) {
        return KINDS[flags.get(BYTE, id) & 0x0f];
    }

    /** Returns the first rule id of a key's rules (its strongest). */
    int firstId(int ref) {
        return ref >= 0 ? ref : groupIds.getAtIndex(INT, groupStart.getAtIndex(INT, ~ref));
    }

    /** Returns the rule ids of a key, in level order. */
    int[] ids(int ref) {
        if (ref >= 0) {
            return new int[] {ref};
        }
        int from = groupStart.getAtIndex(INT, ~ref);
        int to = groupStart.getAtIndex(INT, ~ref + 1L);
        return groupIds.asSlice(4L * from, 4L * (to - from)).toArray(INT);
    }

    /** Rebuilds rule {@code id} with its origin, as it was added to the table. */
    Rule rule(int id) {
        String value = string(values, valueStart, id);
        int s = sourceIndex.getAtIndex(INT, id);
        int a = affix.getAtIndex(CHAR, id) - 1;
        String line = a < 0 ? string(text, textStart, id) : prefixes[a] + value + suffixes[a];
        return new Rule(kind(id), value, exception(id), new Origin(lists[s], sources[s], lines.getAtIndex(INT, id), line));
    }

    private static String string(MemorySegment pool, MemorySegment start, int id) {
        int from = start.getAtIndex(INT, id);
        int to = start.getAtIndex(INT, id + 1L);
        byte[] b = pool.asSlice(from, to - from).toArray(BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Walks the sections of a layout in order, each aligned, checking that each lies inside it. */
    private static final class Cursor {
        private final MemorySegment body;
        private long at;

        Cursor(MemorySegment body, long at) {
            this.body = body;
            this.at = at;
        }

        MemorySegment next(long length) {
            if (length < 0 || at + length > body.byteSize()) {
                throw new IllegalArgumentException("compiled rule table: a section of " + length + " bytes at " + at
                        + " runs past its " + body.byteSize() + " bytes");
            }
            MemorySegment s = body.asSlice(at, length);
            at = align(at + length);
            return s;
        }

        void end() {
            if (at != body.byteSize()) {
                throw new IllegalArgumentException("compiled rule table of " + body.byteSize() + " bytes, its sections end at " + at);
            }
        }
    }
}
