package io.splitroute.unlisted;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Verdict;
import io.splitroute.query.Verdict.Kind;
import io.splitroute.query.Verdict.Reason;
import io.splitroute.testing.ManualTicker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictCacheTest {
    private final ManualTicker ticker = new ManualTicker();
    private final VerdictCache cache = new VerdictCache(1000, ticker);

    private static Verdict foreign(String... addresses) {
        return new Verdict(Kind.FOREIGN, Reason.FOREIGN_ADDRESS,
                java.util.Arrays.stream(addresses).map(InetAddress::ofLiteral).toList(), "chnroute", false);
    }

    @Test
    void get_returnsTheVerdictMarkedRemembered_untilItsLifetimeEnds() {
        cache.put("www.x.test", foreign("192.0.2.1", "2001:db8::1"), 60);

        Verdict v = cache.get("www.x.test");
        assertThat(v.kind()).isEqualTo(Kind.FOREIGN);
        assertThat(v.reason()).isEqualTo(Reason.FOREIGN_ADDRESS);
        assertThat(v.addresses()).containsExactly(InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("2001:db8::1"));
        assertThat(v.list()).isEqualTo("chnroute");
        assertThat(v.remembered()).isTrue();

        ticker.advance(Duration.ofSeconds(59));
        assertThat(cache.get("www.x.test")).isNotNull();
        ticker.advance(Duration.ofSeconds(2));
        assertThat(cache.get("www.x.test")).isNull();
    }

    @Test
    void put_undecidedOrZeroSeconds_keepsNothing() {
        cache.put("a.test", new Verdict(Kind.UNDECIDED, Reason.NO_ADDRESS, List.of(), null, false), 60);
        cache.put("b.test", foreign("192.0.2.1"), 0);

        assertThat(cache.get("a.test")).isNull();
        assertThat(cache.get("b.test")).isNull();
    }

    @Test
    void size_isBounded() {
        VerdictCache small = new VerdictCache(10, ticker);
        for (int i = 0; i < 100; i++) {
            small.put("n" + i + ".test", foreign("192.0.2.1"), 600);
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void restore_keepsForWhatIsLeft_butNotAVerdictTheDomesticSideDidNotMake() {
        cache.restore("www.x.test", foreign("192.0.2.1"), 300);
        cache.restore("home.test", new Verdict(Kind.DOMESTIC, Reason.DOMESTIC_ADDRESSES,
                List.of(InetAddress.ofLiteral("198.51.100.7")), "chnroute", false), 300);
        cache.restore("failed.test", new Verdict(Kind.FOREIGN, Reason.DOMESTIC_FAILED,
                List.of(InetAddress.ofLiteral("192.0.2.9")), "chnroute", false), 300);

        assertThat(cache.get("home.test").kind()).isEqualTo(Kind.DOMESTIC);
        assertThat(cache.get("www.x.test").addresses()).containsExactly(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(cache.get("failed.test")).isNull(); // a failure says nothing about the name
        ticker.advance(Duration.ofSeconds(299));
        assertThat(cache.get("www.x.test")).isNotNull();
        ticker.advance(Duration.ofSeconds(2));
        assertThat(cache.get("www.x.test")).isNull();
    }
}
