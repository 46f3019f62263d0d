package io.splitroute.cache;

import io.splitroute.query.Verdict;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cache file entry's verdict (a name on no list): a kind byte (0: none), then the reason, the deciding list
 * ({@code ""}: none), the address count and each address as its length and bytes. Kinds and reasons are stored by
 * name, so reordering their enums never misreads a file.
 */
final class VerdictCodec {
    private VerdictCodec() {}

    static void write(DataOutputStream out, Verdict verdict) throws IOException {
        if (verdict == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1);
        out.writeUTF(verdict.kind().name());
        out.writeUTF(verdict.reason().name());
        out.writeUTF(verdict.list() == null ? "" : verdict.list());
        out.writeByte(verdict.addresses().size());
        for (InetAddress a : verdict.addresses()) {
            byte[] bytes = a.getAddress();
            out.writeByte(bytes.length);
            out.write(bytes);
        }
    }

    /** The bytes {@link #write} takes for {@code verdict} (UTF lengths as for ASCII). */
    static long size(Verdict verdict) {
        if (verdict == null) {
            return 1;
        }
        long n = 1 + 2 + verdict.kind().name().length() + 2 + verdict.reason().name().length() + 2
                + (verdict.list() == null ? 0 : verdict.list().getBytes(StandardCharsets.UTF_8).length)
                + 1;
        for (InetAddress a : verdict.addresses()) {
            n += 1 + a.getAddress().length;
        }
        return n;
    }

    /**
     * Reads a verdict {@link #write} wrote.
     *
     * @throws IllegalArgumentException when it names no kind or reason this version knows, or an address is
     *                                  malformed (the file is then refused as corrupt)
     */
    static Verdict read(DataInputStream in) throws IOException {
        if (in.readUnsignedByte() == 0) {
            return null;
        }
        Verdict.Kind kind = Verdict.Kind.valueOf(in.readUTF());
        Verdict.Reason reason = Verdict.Reason.valueOf(in.readUTF());
        String list = in.readUTF();
        int count = in.readUnsignedByte();
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[in.readUnsignedByte()];
            in.readFully(bytes);
            try {
                addresses.add(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("a verdict address of " + bytes.length + " bytes", e);
            }
        }
        return new Verdict(kind, reason, addresses, list.isEmpty() ? null : list, false);
    }
}
