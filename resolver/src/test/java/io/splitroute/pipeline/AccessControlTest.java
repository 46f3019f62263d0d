package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.testing.StageQueries;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The ACL stage alone: a client inside goes on to the next stage, one outside gets REFUSED. */
class AccessControlTest {
    private int forwarded;
    private final AccessControl acl = new AccessControl(List.of("10.0.0.0/8", "fd00::/8"), query -> {
        forwarded++;
        return CompletableFuture.completedFuture(StageQueries.answer(query, 60, "192.0.2.1"));
    });

    @Test
    void inside_handedOn() {
        Resolution r = acl.resolve(StageQueries.query("a.example", Type.A, DClass.IN, "10.1.2.3")).join();

        assertThat(r.source()).isEqualTo(Source.UPSTREAM);
        assertThat(forwarded).isEqualTo(1);
    }

    @Test
    void outside_refusedWithoutAskingTheNextStage() {
        Query query = StageQueries.query("a.example", Type.A, DClass.IN, "192.168.1.9");

        Resolution r = acl.resolve(query).join();

        assertThat(r.rcode()).isEqualTo(Rcode.REFUSED);
        assertThat(r.source()).isEqualTo(Source.REFUSED);
        assertThat(r.reply().getQuestion()).isEqualTo(query.question());
        assertThat(forwarded).isZero();
    }
}
