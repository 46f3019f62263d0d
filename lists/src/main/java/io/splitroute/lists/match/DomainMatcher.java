package io.splitroute.lists.match;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.regex.Pattern;

/**
 * An immutable matcher from domain names to values of type {@code T}, with full, suffix, keyword and
 * regular-expression keys (the mosdns {@code Matcher<T>} design).
 *
 * <p>Suffix keys match on whole labels: {@code example.com} matches {@code example.com} and
 * {@code a.example.com} but not {@code xexample.com}. A lookup walks the query name from its TLD label by
 * label, probing one hash table with a hash computed incrementally from the right, so it creates no
 * substrings and allocates nothing in {@link #first(String)}. Keywords and regular expressions are scanned
 * linearly, and only when no full or suffix key matched (for {@code first}) or when the visitor asks for
 * more.
 *
 * <p>Query names may be in any case, with or without a trailing dot: {@link #first(String)} folds ASCII
 * letters while it hashes, so the usual query needs no conversion pass and no allocation. Instances are
 * thread-safe.
 *
 * @param <T> the value type
 */
public final class DomainMatcher<T> {
    private final LabelHashTable table;
    /** Per table entry: {@code [2e]} the full-match value, {@code [2e + 1]} the suffix value (one cache line). */
    private final Object[] values;
    private final String[] keywords;
    private final Object[] keywordValues;
    private final Pattern[] regexps;
    private final Object[] regexpValues;
    private final int size;

    private DomainMatcher(Builder<T> b) {
        this.table = b.names.build();
        this.values = java.util.Arrays.copyOf(b.values, table.size() * 2);
        this.keywords = b.keyword.keySet().toArray(String[]::new);
        this.keywordValues = b.keyword.values().toArray();
        this.regexps = b.regexp.values().stream().map(RegexpEntry::pattern).toArray(Pattern[]::new);
        this.regexpValues = b.regexp.values().stream().map(RegexpEntry::value).toArray();
        this.size = b.nameKeys + b.keyword.size() + b.regexp.size();
    }

    /** Returns a builder that keeps the first value when a key is added twice. */
    public static <T> Builder<T> builder() {
        return new Builder<>((first, second) -> first, 16);
    }

    /**
     * Returns a builder sized for about this many keys, keeping the first value of a key added twice.
     *
     * @param expectedKeys how many keys will be added (a hint)
     * @param <T> the value type
     * @return a new builder
     */
    public static <T> Builder<T> builder(int expectedKeys) {
        return new Builder<>((first, second) -> first, expectedKeys);
    }

    /**
     * Returns a builder that combines the values of a key added more than once.
     *
     * @param merge combines the value already present with the new one
     * @param <T> the value type
     * @return a new builder
     */
    public static <T> Builder<T> builder(BinaryOperator<T> merge) {
        return new Builder<>(Objects.requireNonNull(merge, "merge"), 16);
    }

    /**
     * Returns a builder sized for about this many keys that combines the values of a key added twice.
     *
     * @param merge combines the value already present with the new one
     * @param expectedKeys how many keys will be added (a hint)
     * @param <T> the value type
     * @return a new builder
     */
    public static <T> Builder<T> builder(BinaryOperator<T> merge, int expectedKeys) {
        return new Builder<>(Objects.requireNonNull(merge, "merge"), expectedKeys);
    }

    /**
     * Tells whether the matcher has keyword or regexp keys, whose matches depend on the whole name rather
     * than on its best full or suffix key.
     *
     * @return true if any keyword or regexp key exists
     */
    public boolean hasSubstringKeys() {
        return keywords.length > 0 || regexps.length > 0;
    }

    /** Returns the number of keys (full, suffix, keyword and regexp together). */
    public int size() {
        return size;
    }

    /**
     * Returns the value of the highest-precedence key matching a name: a full match, else the longest
     * matching suffix, else the first matching keyword, else the first matching regexp.
     *
     * <p>Accepts ASCII names in any case, with or without one trailing dot, and allocates nothing for them
     * unless keywords or regexps must be consulted: letters are folded while the name is hashed. Names with
     * non-ASCII characters are converted with {@link DomainNames#toLookupForm(String)} first.
     *
     * @param name a query name
     * @return the value, or null if nothing matches
     */
    @SuppressWarnings("unchecked")
    public T first(String name) {
        int n = name.length();
        int end = n > 0 && name.charAt(n - 1) == '.' ? n - 1 : n;
        Object full = null;
        Object suffix = null;
        int h = 0;
        int i = end - 1;
        while (i >= -1) {
            int j = i;
            char c;
            while (j >= 0 && (c = name.charAt(j)) != '.') {
                if (c >= 'A') {
                    // letters: lower case passes with two comparisons, upper case is folded
                    if (c <= 'Z') {
                        c += 'a' - 'A';
                    } else if (c >= 0x80) {
                        return firstOfConverted(name);
                    }
                }
                h = LabelHashTable.step(h, c);
                j--;
            }
            int e = table.find(name, j + 1, end, h);
            if (e < 0) {
                break;
            }
            Object s = values[2 * e + 1];
            if (s != null) {
                suffix = s;
            }
            if (j < 0) {
                full = values[2 * e];
                break;
            }
            h = LabelHashTable.step(h, '.');
            i = j - 1;
        }
        if (full != null) {
            return (T) full;
        }
        if (suffix != null) {
            return (T) suffix;
        }
        return keywords.length == 0 && regexps.length == 0 ? null : firstSubstringMatch(DomainNames.toLookupForm(name));
    }

    private T firstOfConverted(String name) {
        String converted = DomainNames.toLookupForm(name);
        return converted == null || !isAscii(converted) ? null : first(converted);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private T firstSubstringMatch(String name) {
        if (name == null) {
            return null;
        }
        for (int k = 0; k < keywords.length; k++) {
            if (name.contains(keywords[k])) {
                return (T) keywordValues[k];
            }
        }
        for (int k = 0; k < regexps.length; k++) {
            if (regexps[k].matcher(name).find()) {
                return (T) regexpValues[k];
            }
        }
        return null;
    }

    /**
     * Reports every key matching a name to a visitor, in precedence order: the full match, then suffixes
     * from the longest to the shortest, then keywords and regexps in the order they were added.
     *
     * @param queryName a query name in any case (converted with {@link DomainNames#toLookupForm(String)})
     * @param visitor receives the matches; returning false stops the walk
     */
    @SuppressWarnings("unchecked")
    public void forEach(String queryName, MatchVisitor<? super T> visitor) {
        String name = DomainNames.toLookupForm(queryName);
        if (name == null || !isAscii(name)) {
            return;
        }
        int end = name.length();
        int[] hits = new int[8];
        int count = 0;
        Object full = null;
        int h = 0;
        int i = name.length() - 1;
        while (i >= -1) {
            int j = i;
            char c;
            while (j >= 0 && (c = name.charAt(j)) != '.') {
                h = LabelHashTable.step(h, c);
                j--;
            }
            int e = table.find(name, j + 1, end, h);
            if (e < 0) {
                break;
            }
            if (values[2 * e + 1] != null) {
                if (count == hits.length) {
                    hits = java.util.Arrays.copyOf(hits, count * 2);
                }
                hits[count++] = e;
            }
            if (j < 0) {
                full = values[2 * e];
                break;
            }
            h = LabelHashTable.step(h, '.');
            i = j - 1;
        }
        if (full != null && !visitor.visit(MatchKind.FULL, (T) full)) {
            return;
        }
        for (int k = count - 1; k >= 0; k--) {
            if (!visitor.visit(MatchKind.SUFFIX, (T) values[2 * hits[k] + 1])) {
                return;
            }
        }
        for (int k = 0; k < keywords.length; k++) {
            if (name.contains(keywords[k]) && !visitor.visit(MatchKind.KEYWORD, (T) keywordValues[k])) {
                return;
            }
        }
        for (int k = 0; k < regexps.length; k++) {
            if (regexps[k].matcher(name).find() && !visitor.visit(MatchKind.REGEXP, (T) regexpValues[k])) {
                return;
            }
        }
    }

    /**
     * Returns every value matching a name, in precedence order (allocates; for explanations and tests).
     *
     * @param name a query name in any case
     * @return the matching values, best first
     */
    public List<T> matches(String name) {
        List<T> out = new ArrayList<>();
        forEach(name, (kind, value) -> out.add(value));
        return out;
    }

    private record RegexpEntry(Pattern pattern, Object value) {
    }

    /**
     * Collects keys and values; {@link #build()} freezes them. Names are normalised with
     * {@link DomainNames#normalize(String)} as they are added.
     *
     * @param <T> the value type
     */
    public static final class Builder<T> {
        private final BinaryOperator<T> merge;
        private final LabelHashTable.Builder names;
        /** Per label-table entry, as in the matcher: [2e] full value, [2e + 1] suffix value. */
        private Object[] values;
        private int nameKeys;
        private final Map<String, T> keyword = new LinkedHashMap<>();
        private final Map<String, RegexpEntry> regexp = new LinkedHashMap<>();

        private Builder(BinaryOperator<T> merge, int expectedKeys) {
            this.merge = merge;
            this.names = new LabelHashTable.Builder(expectedKeys);
            this.values = new Object[Math.max(16, expectedKeys * 2 + 32)];
        }

        @SuppressWarnings("unchecked")
        private void put(String name, int offset, T value) {
            Objects.requireNonNull(value, "value");
            int e = names.add(DomainNames.normalize(name));
            if (2 * names.size() > values.length) {
                values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, 2 * names.size()));
            }
            int i = 2 * e + offset;
            if (values[i] == null) {
                values[i] = value;
                nameKeys++;
            } else {
                values[i] = merge.apply((T) values[i], value);
            }
        }

        /**
         * Adds a key matching exactly this name.
         *
         * @param name a domain name (normalised here)
         * @param value the value to return for it
         * @return this builder
         * @throws InvalidDomainNameException if the name is invalid
         */
        public Builder<T> full(String name, T value) {
            put(name, 0, value);
            return this;
        }

        /**
         * Adds a key matching this name and every name under it.
         *
         * @param name a domain name (normalised here)
         * @param value the value to return for it
         * @return this builder
         * @throws InvalidDomainNameException if the name is invalid
         */
        public Builder<T> suffix(String name, T value) {
            put(name, 1, value);
            return this;
        }

        /**
         * Adds a key matching every name that contains this text.
         *
         * @param text the substring (lower-cased here)
         * @param value the value to return for it
         * @return this builder
         */
        public Builder<T> keyword(String text, T value) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("empty keyword");
            }
            keyword.merge(text.toLowerCase(java.util.Locale.ROOT), Objects.requireNonNull(value, "value"), merge);
            return this;
        }

        /**
         * Adds a regular expression, matched with {@link java.util.regex.Matcher#find()} on the lookup form.
         *
         * @param regex a {@link Pattern} expression, kept as written
         * @param value the value to return for it
         * @return this builder
         * @throws java.util.regex.PatternSyntaxException if it does not compile
         */
        @SuppressWarnings("unchecked")
        public Builder<T> regexp(String regex, T value) {
            Objects.requireNonNull(value, "value");
            RegexpEntry old = regexp.get(regex);
            T merged = old == null ? value : merge.apply((T) old.value(), value);
            Pattern p = old == null ? Pattern.compile(regex) : old.pattern();
            regexp.put(regex, new RegexpEntry(p, merged));
            return this;
        }

        /** Freezes the keys into an immutable matcher. */
        public DomainMatcher<T> build() {
            return new DomainMatcher<>(this);
        }
    }
}
