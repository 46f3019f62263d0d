package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.sink.ipset.IpsetWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import io.splitroute.sink.nft.NftSetWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without CAP_NET_ADMIN the kernel answers EPERM; the writers say which capability is missing. */
class PermissionIT {
    private static TestNamespace ns;

    @BeforeAll
    static void openNamespace() {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        ns = TestNamespace.create("perm");
        ns.exec("ipset", "create", "gfwlist", "hash:ip", "timeout", "0");
        ns.exec("nft", "add table inet fw4");
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void ipsetOpen_withoutNetAdmin_saysCapNetAdmin() {
        assertThatThrownBy(() -> WithoutNetAdmin.call(() -> IpsetWriter.open(ns.path())))
                .isInstanceOf(SetException.class)
                .hasMessageContaining("needs CAP_NET_ADMIN")
                .extracting(e -> ((SetException) e).kind()).isEqualTo(SetError.Kind.PERMISSION);
    }

    @Test
    void nftProbe_withoutNetAdmin_saysCapNetAdmin() throws Exception {
        NftSetTarget target = new NftSetTarget("inet", "fw4", "gfw", AddressFamily.INET);

        SetException error = WithoutNetAdmin.call(() -> {
            try (NftSetWriter writer = NftSetWriter.open(ns.path())) {
                writer.probe(target);
                return null;
            } catch (SetException e) {
                return e;
            }
        });

        assertThat(error).isNotNull();
        assertThat(error.kind()).isEqualTo(SetError.Kind.PERMISSION);
        assertThat(error.getMessage()).isEqualTo("writing to nft set inet fw4 gfw needs CAP_NET_ADMIN in this network "
                + "namespace (EPERM): run as root or grant CAP_NET_ADMIN");
    }

    @Test
    void nftWrite_threadWithoutNetAdmin_getsPermissionErrorAtOnce() throws Exception {
        ns.exec("nft", "add set inet fw4 gfw4 { type ipv4_addr; flags timeout; }");
        NftSetTarget target = new NftSetTarget("inet", "fw4", "gfw4", AddressFamily.INET);
        try (NftSetWriter writer = NftSetWriter.open(ns.path())) {
            writer.probe(target);

            WriteResult result = WithoutNetAdmin.call(() -> writer.add(target,
                    List.of(new SetElement(InetAddress.getByName("192.0.2.1"), Duration.ofSeconds(60)))).get());

            assertThat(result.written()).isZero();
            // The kernel answers only the batch header; a wait for the message's own ack would end in an IO error.
            assertThat(result.errors()).singleElement().satisfies(error -> {
                assertThat(error.kind()).isEqualTo(SetError.Kind.PERMISSION);
                assertThat(error.message()).contains("needs CAP_NET_ADMIN");
            });
        }
    }

    @Test
    void ipsetWrite_threadWithoutNetAdmin_getsPermissionError() throws Exception {
        IpsetTarget target = new IpsetTarget("gfwlist", AddressFamily.INET);
        try (IpsetWriter writer = IpsetWriter.open(ns.path())) {
            writer.probe(target);

            WriteResult result = WithoutNetAdmin.call(() -> writer.add(target,
                    List.of(new SetElement(InetAddress.getByName("192.0.2.1"), Duration.ofSeconds(60)))).get());

            assertThat(result.errors()).singleElement().satisfies(error -> {
                assertThat(error.kind()).isEqualTo(SetError.Kind.PERMISSION);
                assertThat(error.message()).isEqualTo("writing to ipset gfwlist needs CAP_NET_ADMIN in this network "
                        + "namespace (EPERM): run as root or grant CAP_NET_ADMIN");
            });
        }
    }
}
