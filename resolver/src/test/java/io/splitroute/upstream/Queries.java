package io.splitroute.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Small helpers shared by the upstream tests: building client queries, waiting for results. */
final class Queries {

    /** Upper bound for any single test wait: far above every timeout used, so it only catches hangs. */
    static final long HANG_SECONDS = 10;

    private Queries() {}

    static Message query(String name, int type) {
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
            query.getHeader().setID(4242);
            return query;
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Message await(CompletableFuture<Message> future) throws Exception {
        return future.get(HANG_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits for the future to fail and returns its {@link UpstreamException}. */
    static UpstreamException failure(CompletableFuture<Message> future) throws InterruptedException, TimeoutException {
        try {
            Message reply = future.get(HANG_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got a reply: " + reply);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(UpstreamException.class);
            return (UpstreamException) e.getCause();
        }
    }

    static List<String> addresses(Message reply) {
        return reply.getSection(Section.ANSWER).stream()
                .filter(ARecord.class::isInstance)
                .map(r -> ((ARecord) r).getAddress().getHostAddress())
                .toList();
    }
}
