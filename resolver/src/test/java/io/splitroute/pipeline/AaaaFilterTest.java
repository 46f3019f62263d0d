package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.testing.StageQueries;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The AAAA filter alone: on a drop route, AAAA queries get NODATA locally and AAAA records leave answers. */
class AaaaFilterTest {
    private int forwarded;
    private final AaaaFilter filter = new AaaaFilter(query -> {
        forwarded++;
        Resolution r = StageQueries.answer(query, 60, "192.0.2.1");
        try {
            r.reply().addRecord(new AAAARecord(query.question().getName(), DClass.IN, 60,
                    InetAddress.getByName("2001:db8::1")), Section.ANSWER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return CompletableFuture.completedFuture(r);
    });

    private static Query on(AaaaPolicy policy, int type) {
        return StageQueries.query("a.example", type).withRoute(Route.of("tunnel", "clean", List.of(), policy));
    }

    @Test
    void drop_aaaaQueryAnsweredNodataLocally() {
        Resolution r = filter.resolve(on(AaaaPolicy.DROP, Type.AAAA)).join();

        assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.source()).isEqualTo(Source.LOCAL);
        assertThat(r.reply().getSection(Section.ANSWER)).isEmpty();
        assertThat(forwarded).isZero();
    }

    @Test
    void drop_aaaaRecordsRemovedFromOtherAnswers() {
        Resolution r = filter.resolve(on(AaaaPolicy.DROP, Type.A)).join();

        assertThat(r.reply().getSection(Section.ANSWER)).extracting(org.xbill.DNS.Record::getType).containsExactly(Type.A);
    }

    @Test
    void pass_answerUntouched() {
        Resolution r = filter.resolve(on(AaaaPolicy.PASS, Type.A)).join();

        assertThat(r.reply().getSection(Section.ANSWER)).hasSize(2);
    }
}
