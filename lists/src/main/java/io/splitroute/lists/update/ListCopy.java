package io.splitroute.lists.update;

import io.splitroute.lists.format.DroppedLines;
import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.format.ParsedIpList;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.ip.IpPrefix;
import io.splitroute.lists.rule.PackedRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One copy of a list (the one in service, or a download) as the updater judges it: its format, how many
 * rules (networks, for an IP list) it has, what was dropped, and a 64-bit hash of each rule, sorted, to
 * count what a download adds and removes. Reading it parses the file streamed and keeps only these
 * figures (8 bytes a rule), so judging a download costs little more heap than the parse itself.
 *
 * @param format     the format it was read as, e.g. {@code dnsmasq}
 * @param unit       what its rules are called in result lines: {@code rules} or {@code networks}
 * @param rules      how many distinct rules it has
 * @param dropped    the lines dropped while reading it
 * @param ruleHashes the rules' hashes, sorted
 */
record ListCopy(String format, String unit, int rules, DroppedLines dropped, long[] ruleHashes) {

    /**
     * Reads a copy of a list.
     *
     * @param source        the list
     * @param file          the copy
     * @param displaySource what problems call the copy (the URL, for a download in a temporary file)
     * @return the copy's figures
     * @throws Unusable if it is empty, not text, or does not parse in the list's format
     * @throws IOException if the file cannot be read
     */
    static ListCopy read(ListSource source, Path file, String displaySource) throws Unusable, IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new Unusable("empty download (0 bytes)");
        }
        String notText = notText(file, size);
        if (notText != null) {
            throw new Unusable(notText);
        }
        try {
            if (source.ipList()) {
                return of(ListLoader.loadIpList(source.name(), file, displaySource));
            }
            return of(ListLoader.load(source.name(), file, displaySource, source.format()));
        } catch (RuntimeException e) {
            throw new Unusable("does not parse" + (source.format() == null ? "" : " as " + source.format().configName())
                    + ": " + e.getMessage());
        }
    }

    private static ListCopy of(ParsedList list) {
        PackedRules packed = list.packedRules();
        long[] hashes = new long[packed.size()];
        for (int id = 0; id < hashes.length; id++) {
            // the rule as Rule.describe() names it: exception flag, kind and value
            long h = packed.exception(id) ? 1 : 0;
            h = mix(h * 31 + packed.kind(id).ordinal());
            hashes[id] = hash(h, packed.value(id));
        }
        Arrays.sort(hashes);
        return new ListCopy(list.format().configName(), "rules", hashes.length, list.dropped(), hashes);
    }

    private static ListCopy of(ParsedIpList list) {
        long[] hashes = new long[list.prefixCount()];
        int i = 0;
        for (IpPrefix p : list.prefixes()) {
            hashes[i++] = mix(mix(mix(p.hi()) ^ p.lo()) ^ ((long) p.length() << 1 | (p.ipv6() ? 1 : 0)));
        }
        Arrays.sort(hashes);
        return new ListCopy(list.format().configName(), "networks", hashes.length, list.dropped(), hashes);
    }

    /** Returns how many of this copy's rules {@code other} does not have. */
    int notIn(ListCopy other) {
        long[] a = ruleHashes;
        long[] b = other.ruleHashes;
        int n = 0;
        int j = 0;
        for (long h : a) {
            while (j < b.length && b[j] < h) {
                j++;
            }
            if (j == b.length || b[j] != h) {
                n++;
            }
        }
        return n;
    }

    private static long hash(long seed, String s) {
        long h = seed ^ 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** Murmur3's 64-bit finaliser. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** Returns why a file is not a text list (not UTF-8, or NUL characters), or null if it is one. */
    private static String notText(Path file, long size) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 14);
        CharBuffer out = CharBuffer.allocate(1 << 14);
        try (InputStream stream = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int n = stream.read(in.array(), in.position(), in.remaining());
                end = n < 0;
                in.position(in.position() + Math.max(n, 0));
                in.flip();
                var result = decoder.decode(in, out, end);
                if (result.isError()) {
                    result.throwException();
                }
                out.flip();
                for (int i = 0; i < out.limit(); i++) {
                    if (out.get(i) == '\0') {
                        return "not a text list (" + size + " bytes with NUL characters)";
                    }
                }
                out.clear();
                in.compact();
            }
            out.clear();
            if (decoder.flush(out).isError()) {
                return "not a text list (" + size + " bytes, not UTF-8)";
            }
        } catch (CharacterCodingException e) {
            return "not a text list (" + size + " bytes, not UTF-8)";
        }
        return null;
    }

    /** Why a copy cannot be judged at all (empty, not text, does not parse); the message is the reason printed. */
    static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }
}
