package io.splitroute.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * Builds the queries of the conformance tests, including what dig cannot send (the Z bit, any opcode, EDNS
 * versions and flag bits, raw malformed messages), and reads the header bits dnsjava does not expose.
 */
final class Wire {
    /** The header's Z bit (reserved, must be zero in replies): bit 6 of the flags word. */
    static final int Z_BIT = 0x0040;

    private Wire() {}

    static Name name(String text) {
        try {
            return Name.fromString(absolute(text));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /** A query with RD set and no OPT record; the ID is random. */
    static Message query(String name, int type) {
        Message query = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
        query.getHeader().setFlag(Flags.RD);
        return query;
    }

    /** A query with RD set and an OPT record: payload 1232, the given version, flags word and options. */
    static Message ednsQuery(String name, int type, int version, int ednsFlags, EDNSOption... options) {
        Message query = query(name, type);
        query.addRecord(new OPTRecord(1232, 0, version, ednsFlags, List.of(options)), Section.ADDITIONAL);
        return query;
    }

    /** The wire form of {@code message} with the header's flags word changed by {@code set} / {@code clear}. */
    static byte[] withHeaderBits(Message message, int set, int clear) {
        byte[] wire = message.toWire();
        int flags = ((wire[2] & 0xff) << 8 | (wire[3] & 0xff)) & ~clear | set;
        wire[2] = (byte) (flags >> 8);
        wire[3] = (byte) flags;
        return wire;
    }

    /** The wire form of {@code message} with opcode {@code opcode}. */
    static byte[] withOpcode(Message message, int opcode) {
        return withHeaderBits(message, opcode << 11, 0x7800);
    }

    /** The flags word (second 16 bits) of a message. */
    static int headerFlags(byte[] wire) {
        return (wire[2] & 0xff) << 8 | (wire[3] & 0xff);
    }

    /** The ID (first 16 bits) of a message. */
    static int id(byte[] wire) {
        return (wire[0] & 0xff) << 8 | (wire[1] & 0xff);
    }

    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new UncheckedIOException("the server's reply does not parse", e);
        }
    }

    /**
     * A 12-byte header: {@code id}, flags word RD (0x0100) plus {@code extraFlags}, and the four section
     * counts, followed by {@code body} as is.
     */
    static byte[] raw(int id, int extraFlags, int qd, int an, int ns, int ar, byte[]... body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int flags = 0x0100 | extraFlags;
        for (int v : new int[] {id, flags, qd, an, ns, ar}) {
            out.write(v >> 8);
            out.write(v);
        }
        for (byte[] part : body) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Uncompressed wire form of a dotted name ({@code "a.conf.test"}), ending with the root label. */
    static byte[] nameBytes(String dotted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : dotted.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        return out.toByteArray();
    }

    /** Big-endian 16-bit values as bytes. */
    static byte[] u16(int... values) {
        byte[] out = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            out[2 * i] = (byte) (values[i] >> 8);
            out[2 * i + 1] = (byte) values[i];
        }
        return out;
    }

    /** Bytes as written. */
    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
