package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.AnswerAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the set stage lets through: never-route out, then the cap, in answer order. */
class AddressFilterTest {
    private final AddressDrops drops = new AddressDrops();

    private static AnswerAddress at(String ip) {
        return new AnswerAddress(Cidr.literal(ip, ip), 300);
    }

    @Test
    void nothingToDrop_sameListUncounted() {
        List<AnswerAddress> found = List.of(at("192.0.2.1"), at("2001:db8::1"));

        assertThat(new AddressFilter(Networks.of(NeverRoute.DEFAULTS), 32).admit(found, "a.test", drops)).isSameAs(found);
        assertThat(drops.count(AddressDrops.Reason.NEVER_ROUTE) + drops.count(AddressDrops.Reason.CAP)).isZero();
    }

    @Test
    void neverRouteFirstThenCap_countedByReason() {
        List<AnswerAddress> found = new ArrayList<>(List.of(at("127.0.0.1"), at("::1")));
        for (int i = 1; i <= 5; i++) {
            found.add(at("192.0.2." + i));
        }
        AddressFilter filter = new AddressFilter(Networks.of(NeverRoute.DEFAULTS), 3);

        assertThat(filter.admit(found, "a.test", drops)).extracting(f -> f.address().getHostAddress())
                .containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.3");
        assertThat(drops.count(AddressDrops.Reason.NEVER_ROUTE)).isEqualTo(2);
        assertThat(drops.count(AddressDrops.Reason.CAP)).isEqualTo(2);

        filter.admit(found, "a.test", null); // a cache hit: filtered, not counted
        assertThat(drops.count(AddressDrops.Reason.CAP)).isEqualTo(2);
    }

    @Test
    void admit_ipv4NothingToDrop_allocatesNothing() {
        List<AnswerAddress> found = List.of(at("192.0.2.1"), at("198.51.100.7"));
        AddressFilter filter = new AddressFilter(Networks.of(NeverRoute.DEFAULTS), 32);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        filter.admit(found, "a.test", drops);

        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            filter.admit(found, "a.test", drops);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertThat(allocated).as("bytes allocated by 100 000 cache-hit checks").isLessThan(10_000);
    }
}
