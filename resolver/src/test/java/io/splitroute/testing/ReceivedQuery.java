package io.splitroute.testing;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * One query as {@link FakeUpstream} received it, recorded before it was answered (also when it was not).
 *
 * @param transport        UDP or TCP
 * @param id               the message ID the client chose
 * @param name             the question name, as sent (case preserved)
 * @param type             the question type ({@link org.xbill.DNS.Type})
 * @param sourcePort       the client's source port
 * @param ednsPayloadSize  the EDNS UDP payload size the client advertised, or -1 without an OPT record
 * @param dnssecOk         whether the DO bit was set in the OPT record
 * @param recursionDesired whether the RD flag was set
 * @param checkingDisabled whether the CD flag was set
 * @param message          the whole parsed query
 */
public record ReceivedQuery(
        FakeUpstream.Transport transport,
        int id,
        Name name,
        int type,
        int sourcePort,
        int ednsPayloadSize,
        boolean dnssecOk,
        boolean recursionDesired,
        boolean checkingDisabled,
        Message message) {

    /** Whether this query asked for {@code name} (case-insensitive, trailing dot optional) and {@code type}. */
    public boolean asks(String name, int type) {
        return this.type == type && this.name.equals(FakeUpstream.name(name));
    }
}
