package io.splitroute.lists.compiled;

import io.splitroute.lists.format.DroppedLines;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ParseProblem;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.RuleKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lists' load summaries and failures, kept in a compiled table file, so that a mapped table reports
 * its lists (counts, dropped lines) as a freshly read one does.
 *
 * @param lists    each list read, without its rules ({@link ParsedList#summaryOf}), by name
 * @param failures each list that could not be read: the reason, by name
 */
record ListSummaries(Map<String, ParsedList> lists, Map<String, String> failures) {

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(lists.size());
            for (ParsedList l : lists.values()) {
                write(out, l);
            }
            out.writeInt(failures.size());
            for (var f : failures.entrySet()) {
                string(out, f.getKey());
                string(out, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, ParsedList l) throws IOException {
        string(out, l.name());
        string(out, l.source());
        string(out, l.format() == null ? "" : l.format().configName());
        for (RuleKind kind : RuleKind.values()) {
            out.writeInt(l.ruleCounts().getOrDefault(kind, 0));
        }
        out.writeInt(l.exceptionCount());
        counts(out, l.skipped());
        DroppedLines d = l.dropped();
        out.writeInt(d.count());
        counts(out, d.byReason());
        out.writeInt(d.first().size());
        for (ParseProblem p : d.first()) {
            string(out, p.source());
            out.writeInt(p.line());
            string(out, p.reason());
            string(out, p.category());
        }
        out.writeInt(l.includes().size());
        for (String include : l.includes()) {
            string(out, include);
        }
    }

    static ListSummaries of(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Map<String, ParsedList> lists = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                ParsedList l = read(in);
                lists.put(l.name(), l);
            }
            Map<String, String> failures = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                failures.put(string(in), string(in));
            }
            return new ListSummaries(lists, failures);
        }
    }

    private static ParsedList read(DataInputStream in) throws IOException {
        String name = string(in);
        String source = string(in);
        String format = string(in);
        Map<RuleKind, Integer> counts = new EnumMap<>(RuleKind.class);
        for (RuleKind kind : RuleKind.values()) {
            int n = in.readInt();
            if (n > 0) {
                counts.put(kind, n);
            }
        }
        int exceptions = in.readInt();
        Map<String, Integer> skipped = counts(in);
        int dropped = in.readInt();
        Map<String, Integer> byReason = counts(in);
        List<ParseProblem> first = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            first.add(new ParseProblem(string(in), in.readInt(), string(in), string(in)));
        }
        List<String> includes = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            includes.add(string(in));
        }
        return ParsedList.summaryOf(name, source, format.isEmpty() ? null : ListFormatKind.fromName(format), counts,
                exceptions, skipped, new DroppedLines(dropped, byReason, first), includes);
    }

    private static void counts(DataOutputStream out, Map<String, Integer> counts) throws IOException {
        out.writeInt(counts.size());
        for (var e : counts.entrySet()) {
            string(out, e.getKey());
            out.writeInt(e.getValue());
        }
    }

    private static Map<String, Integer> counts(DataInputStream in) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            counts.put(string(in), in.readInt());
        }
        return counts;
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("list summaries: a string of " + n + " bytes runs past them");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
