package io.splitroute.lists.format;

import io.splitroute.lists.ip.IpPrefix;
import io.splitroute.lists.ip.IpRangeTable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of reading one IP list: its networks (each once, sorted), the {@link IpRangeTable} they make,
 * the problems found, and counts for the load summary. Immutable; the networks are held in two primitive
 * arrays (8 bytes per IPv4 network, 24 per IPv6 one), not as objects.
 */
public final class ParsedIpList {
    private final String name;
    private final String source;
    /** Distinct IPv4 networks, sorted: address (unsigned) in the high 32 bits, length in the low 8. */
    private final long[] v4;
    /** Distinct IPv6 networks, sorted: hi, lo, length per network. */
    private final long[] v6;
    private final IpRangeTable table;
    private final List<ParseProblem> problems;
    private final Map<String, Integer> skipped;
    private final DroppedLines dropped;

    private ParsedIpList(String name, String source, long[] v4, long[] v6, List<ParseProblem> problems,
                         Map<String, Integer> skipped) {
        this.name = name;
        this.source = source;
        this.v4 = v4;
        this.v6 = v6;
        this.problems = List.copyOf(problems);
        this.skipped = Collections.unmodifiableMap(skipped);
        this.dropped = DroppedLines.of(problems);
        IpRangeTable.Builder b = IpRangeTable.builder();
        for (IpPrefix p : prefixes()) {
            b.add(p);
        }
        this.table = b.build();
    }

    /** Returns the list name (from the config). */
    public String name() {
        return name;
    }

    /** Returns the file path, URL or resource the list was read from. */
    public String source() {
        return source;
    }

    /** Returns {@link ListFormatKind#CIDR}. */
    public ListFormatKind format() {
        return ListFormatKind.CIDR;
    }

    /** Returns the table of every network of the list, for lookups. */
    public IpRangeTable table() {
        return table;
    }

    /** Returns how many distinct networks were read. */
    public int prefixCount() {
        return v4.length + v6.length / 3;
    }

    /** Returns how many distinct IPv4 networks were read. */
    public int ipv4Count() {
        return v4.length;
    }

    /** Returns how many distinct IPv6 networks were read. */
    public int ipv6Count() {
        return v6.length / 3;
    }

    /** Returns the distinct networks, IPv4 first, each sorted; made as they are read. */
    public List<IpPrefix> prefixes() {
        return new AbstractList<>() {
            @Override
            public IpPrefix get(int i) {
                Objects.checkIndex(i, size());
                if (i < v4.length) {
                    return IpPrefix.ipv4((int) (v4[i] >>> 32), (int) (v4[i] & 0xff));
                }
                int j = 3 * (i - v4.length);
                return IpPrefix.ipv6(v6[j], v6[j + 1], (int) v6[j + 2]);
            }

            @Override
            public int size() {
                return prefixCount();
            }
        };
    }

    /** Returns the problems: lines dropped because they are wrong, each {@code source:line: reason}. */
    public List<ParseProblem> problems() {
        return problems;
    }

    /** Returns the dropped lines summarised: count, counts by reason, the first few problems. */
    public DroppedLines dropped() {
        return dropped;
    }

    /** Returns lines deliberately skipped by category ({@code duplicate}). */
    public Map<String, Integer> skipped() {
        return skipped;
    }

    /** Returns the load summary, e.g. {@code chnroute: 3912 networks (3912 IPv4, 0 IPv6), 0 dropped}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(name).append(": ").append(prefixCount()).append(" networks (")
                .append(ipv4Count()).append(" IPv4, ").append(ipv6Count()).append(" IPv6)");
        skipped.forEach((what, n) -> sb.append(", ").append(n).append(' ').append(what).append(" skipped"));
        return sb.append(", ").append(dropped.describe()).toString();
    }

    /** Returns the summary followed by the first dropped lines, as {@link ParsedList#report()} does. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add(summary());
        lines.addAll(dropped.lines());
        return lines;
    }

    @Override
    public String toString() {
        return summary();
    }

    /** Collects networks and problems while {@link CidrFormat} reads a list. */
    static final class Collector {
        private final String name;
        private final String source;
        private long[] v4 = new long[64];
        private int v4Size;
        private long[] v6 = new long[48];
        private int v6Size;
        private final List<ParseProblem> problems = new ArrayList<>();

        Collector(String name, String source) {
            this.name = Objects.requireNonNull(name, "list name");
            this.source = Objects.requireNonNull(source, "source");
        }

        void prefix(IpPrefix p) {
            if (!p.ipv6()) {
                if (v4Size == v4.length) {
                    v4 = Arrays.copyOf(v4, v4Size * 2);
                }
                v4[v4Size++] = (p.lo() << 32) | p.length();
            } else {
                if (v6Size + 3 > v6.length) {
                    v6 = Arrays.copyOf(v6, v6.length * 2);
                }
                v6[v6Size++] = p.hi();
                v6[v6Size++] = p.lo();
                v6[v6Size++] = p.length();
            }
        }

        void problem(int line, String category, String reason) {
            problems.add(new ParseProblem(source, line, reason, category));
        }

        ParsedIpList build() {
            long[] four = Arrays.copyOf(v4, v4Size);
            // unsigned order of the address, then the length: flip the sign bit for a signed sort
            for (int i = 0; i < four.length; i++) {
                four[i] ^= Long.MIN_VALUE;
            }
            Arrays.sort(four);
            int n4 = 0;
            for (int i = 0; i < four.length; i++) {
                if (n4 == 0 || four[n4 - 1] != four[i]) {
                    four[n4++] = four[i];
                }
            }
            for (int i = 0; i < n4; i++) {
                four[i] ^= Long.MIN_VALUE;
            }
            long[] six = distinctV6();
            Map<String, Integer> skipped = new LinkedHashMap<>();
            int duplicates = v4Size - n4 + v6Size / 3 - six.length / 3;
            if (duplicates > 0) {
                skipped.put("duplicate", duplicates);
            }
            return new ParsedIpList(name, source, Arrays.copyOf(four, n4), six, problems, skipped);
        }

        private long[] distinctV6() {
            int n = v6Size / 3;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Long.compareUnsigned(v6[3 * a], v6[3 * b]);
                c = c != 0 ? c : Long.compareUnsigned(v6[3 * a + 1], v6[3 * b + 1]);
                return c != 0 ? c : Long.compare(v6[3 * a + 2], v6[3 * b + 2]);
            });
            long[] out = new long[3 * n];
            int m = 0;
            for (int i : order) {
                if (m > 0 && out[m - 3] == v6[3 * i] && out[m - 2] == v6[3 * i + 1] && out[m - 1] == v6[3 * i + 2]) {
                    continue;
                }
                out[m++] = v6[3 * i];
                out[m++] = v6[3 * i + 1];
                out[m++] = v6[3 * i + 2];
            }
            return Arrays.copyOf(out, m);
        }
    }
}
