package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import io.splitroute.query.SetWrite;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The JSON line of one query. */
class QueryLogTest {
    private static final Instant TIME = Instant.parse("2026-11-22T03:00:00.123Z");

    /** A query, its resolution and its latency, as the dispatcher tells the log. */
    private record Completed(Query query, Resolution resolution, long nanos) {
        String line() {
            return QueryLogLine.line(query, resolution, nanos, TIME);
        }
    }

    /** What the set stage records, written in full. */
    private record Written(List<String> sets, List<InetAddress> addresses, SetWrite.Outcome outcome) implements SetWrite {}

    private static Completed completed(String name, Route route, Source source, String... addresses) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        Message reply = new Message(query.getHeader().getID());
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        for (String a : addresses) {
            reply.addRecord(new ARecord(Name.fromString(name), DClass.IN, 300, InetAddress.getByName(a)), Section.ANSWER);
        }
        Query q = Query.of(query, new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 40000), Transport.UDP)
                .withRoute(route);
        SetWrite written = null;
        if (route != null && !route.sets().isEmpty()) {
            List<InetAddress> ips = new java.util.ArrayList<>();
            for (String a : addresses) {
                ips.add(InetAddress.getByName(a));
            }
            written = new Written(route.sets(), ips, SetWrite.Outcome.WRITTEN);
        }
        return new Completed(q, new Resolution(reply, source, route, route == null ? null : route.upstream(), null,
                written), 1_234_567);
    }

    @Test
    void line_routeWithSetsCarriesSetsAndAddresses() throws Exception {
        Route tunnel = Route.of("tunnel", "clean", List.of("gfw4"), AaaaPolicy.DROP);

        String line = completed("www.example.", tunnel, Source.UPSTREAM, "192.0.2.1", "192.0.2.2").line();

        assertThat(line).isEqualTo("{\"time\":\"2026-11-22T03:00:00.123Z\",\"client\":\"192.168.1.20\",\"transport\":\"udp\","
                + "\"name\":\"www.example\",\"type\":\"A\",\"route\":\"tunnel\",\"upstream\":\"clean\",\"source\":\"upstream\","
                + "\"rcode\":\"NOERROR\",\"latency_ms\":1.235,\"sets\":[\"gfw4\"],\"addresses\":[\"192.0.2.1\",\"192.0.2.2\"]}");
    }

    @Test
    void line_setsAndAddressesAreWhatTheSetStageWrote_notTheWholeAnswer() throws Exception {
        Route tunnel = Route.of("tunnel", "clean", List.of("gfw4", "gfw6"), AaaaPolicy.DROP);
        Completed c = completed("www.example.", tunnel, Source.UPSTREAM, "192.0.2.1", "192.0.2.2");
        SetWrite late = new Written(List.of("gfw4"), List.of(InetAddress.getByName("192.0.2.2")), SetWrite.Outcome.LATE);

        String line = new Completed(c.query(), c.resolution().withWritten(late), c.nanos()).line();

        assertThat(line).endsWith(",\"sets\":[\"gfw4\"],\"addresses\":[\"192.0.2.2\"],\"set_write\":\"late\"}");
    }

    @Test
    void line_refusedQueryHasNoRouteNorUpstream() throws Exception {
        Completed c = completed("x.example.", null, Source.REFUSED);
        Completed refused = new Completed(c.query(), new Resolution(
                io.splitroute.query.Replies.empty(c.query().message(), Rcode.REFUSED), Source.REFUSED, null, null, null), 1000);

        String line = refused.line();

        assertThat(line).contains("\"route\":\"none\"", "\"source\":\"refused\"", "\"rcode\":\"REFUSED\"")
                .doesNotContain("upstream", "addresses");
    }

    @Test
    void line_quotesAndBackslashesInNamesEscaped() throws Exception {
        String odd = "a\\\"b.example."; // the label a"b, as dnsjava writes it: a\"b

        String line = completed(odd, null, Source.UPSTREAM).line();

        assertThat(line).contains("\"name\":\"a\\\"b.example\"");
    }
}
