package io.splitroute.unlisted;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.CidrFormat;
import io.splitroute.query.Verdict.Kind;
import io.splitroute.query.Verdict.Reason;
import io.splitroute.unlisted.VerdictRules.Decision;
import io.splitroute.unlisted.VerdictRules.Judgement;
import io.splitroute.unlisted.VerdictRules.Side;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The verdict rules, one row per situation: the domestic and the trusted answer ({@code null}: that side failed
 * or timed out), the verdict, which answer is served, and whether the verdict is remembered. The domestic range
 * is 198.51.100.0/24 (and 2001:db8:cc::/48 in the IPv6 rows), the poison address 203.0.113.66; everything else
 * is foreign.
 */
class VerdictRulesTest {
    private static final IpListSet DOMESTIC = lists("chnroute", "198.51.100.0/24\n");
    private static final IpListSet DOMESTIC_V6 = lists("cn6", "198.51.100.0/24\n2001:db8:cc::/48\n");
    private static final IpListSet POISON = lists("gfw-poison", "203.0.113.66\n");

    private static IpListSet lists(String name, String text) {
        return IpListSet.of(List.of(name), Map.of(name, new CidrFormat().parse(name, "test", text).table()));
    }

    /** A reply to {@code www.x.test A} with {@code rcode} and records written {@code "OWNER TYPE RDATA"}. */
    static Message reply(int rcode, String... records) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString("www.x.test."), Type.A, DClass.IN));
            m.getHeader().setFlag(Flags.QR);
            m.getHeader().setRcode(rcode);
            for (String r : records) {
                String[] f = r.split(" ", 3);
                m.addRecord(Record.fromString(Name.fromString(f[0] + "."), Type.value(f[1]), DClass.IN, 300, f[2],
                        Name.root), Section.ANSWER);
            }
            return m;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Message ok(String... records) {
        return reply(Rcode.NOERROR, records);
    }

    static Stream<Arguments> rows() {
        Message domesticA = ok("www.x.test A 198.51.100.7");
        Message foreignA = ok("www.x.test A 192.0.2.7");
        Message trusted = ok("www.x.test A 192.0.2.7");
        return Stream.of(
                row("all domestic", domesticA, trusted, Kind.DOMESTIC, Reason.DOMESTIC_ADDRESSES, Side.DOMESTIC, true),
                row("all domestic, trusted timed out", domesticA, null, Kind.DOMESTIC, Reason.DOMESTIC_ADDRESSES,
                        Side.DOMESTIC, true),
                row("mixed: one foreign address", ok("www.x.test A 198.51.100.7", "www.x.test A 192.0.2.8"), trusted,
                        Kind.FOREIGN, Reason.FOREIGN_ADDRESS, Side.TRUSTED, true),
                row("all foreign", foreignA, trusted, Kind.FOREIGN, Reason.FOREIGN_ADDRESS, Side.TRUSTED, true),
                row("poison address", ok("www.x.test A 203.0.113.66"), trusted, Kind.FOREIGN, Reason.POISON,
                        Side.TRUSTED, true),
                row("poison beside domestic ones", ok("www.x.test A 198.51.100.7", "www.x.test A 203.0.113.66"),
                        trusted, Kind.FOREIGN, Reason.POISON, Side.TRUSTED, true),
                row("foreign, trusted timed out: never the domestic answer", foreignA, null, Kind.FOREIGN,
                        Reason.FOREIGN_ADDRESS, Side.NONE, true),
                row("foreign, trusted SERVFAIL", foreignA, reply(Rcode.SERVFAIL), Kind.FOREIGN,
                        Reason.FOREIGN_ADDRESS, Side.NONE, true),
                row("foreign, trusted NXDOMAIN (a poisoned name that does not exist)", foreignA,
                        reply(Rcode.NXDOMAIN), Kind.FOREIGN, Reason.FOREIGN_ADDRESS, Side.TRUSTED, true),
                row("domestic NXDOMAIN, trusted foreign", reply(Rcode.NXDOMAIN), trusted, Kind.FOREIGN,
                        Reason.DOMESTIC_NXDOMAIN, Side.TRUSTED, true),
                row("domestic NXDOMAIN, trusted NXDOMAIN", reply(Rcode.NXDOMAIN), reply(Rcode.NXDOMAIN),
                        Kind.UNDECIDED, Reason.NO_ADDRESS, Side.TRUSTED, false),
                row("domestic SERVFAIL, trusted foreign", reply(Rcode.SERVFAIL), trusted, Kind.FOREIGN,
                        Reason.DOMESTIC_FAILED, Side.TRUSTED, false),
                row("domestic timed out, trusted foreign", null, trusted, Kind.FOREIGN, Reason.DOMESTIC_FAILED,
                        Side.TRUSTED, false),
                row("domestic timed out, trusted domestic", null, ok("www.x.test A 198.51.100.9"), Kind.DOMESTIC,
                        Reason.DOMESTIC_FAILED, Side.TRUSTED, false),
                row("both timed out", null, null, Kind.UNDECIDED, Reason.BOTH_FAILED, Side.NONE, false),
                row("CNAME chain to a domestic address", ok("www.x.test CNAME edge.cdn.test.",
                        "edge.cdn.test A 198.51.100.20"), trusted, Kind.DOMESTIC, Reason.DOMESTIC_ADDRESSES,
                        Side.DOMESTIC, true),
                row("CNAME chain to a foreign address", ok("www.x.test CNAME edge.cdn.test.",
                        "edge.cdn.test A 192.0.2.20"), trusted, Kind.FOREIGN, Reason.FOREIGN_ADDRESS, Side.TRUSTED, true),
                row("CNAME only: the trusted answer decides (foreign)", ok("www.x.test CNAME edge.cdn.test."),
                        ok("www.x.test CNAME edge.cdn.test.", "edge.cdn.test A 192.0.2.20"), Kind.FOREIGN,
                        Reason.DOMESTIC_NO_ADDRESS, Side.TRUSTED, true),
                row("CNAME only: the trusted answer decides (domestic)", ok("www.x.test CNAME edge.cdn.test."),
                        ok("www.x.test CNAME edge.cdn.test.", "edge.cdn.test A 198.51.100.20"), Kind.DOMESTIC,
                        Reason.DOMESTIC_NO_ADDRESS, Side.TRUSTED, true),
                row("NODATA both sides", ok(), ok(), Kind.UNDECIDED, Reason.NO_ADDRESS, Side.TRUSTED, false),
                row("NODATA, trusted timed out: the domestic answer routes nothing", ok(), null, Kind.UNDECIDED,
                        Reason.TRUSTED_FAILED, Side.DOMESTIC, false),
                row("IPv6 without an IPv6 list: not judged", ok("www.x.test AAAA 2001:db8:cc::1"),
                        ok("www.x.test AAAA 2001:db8:ff::1"), Kind.UNDECIDED, Reason.NO_ADDRESS, Side.TRUSTED, false),
                row("IPv6 beside a domestic IPv4 address", ok("www.x.test A 198.51.100.7", "www.x.test AAAA 2001:db8::9"),
                        trusted, Kind.DOMESTIC, Reason.DOMESTIC_ADDRESSES, Side.DOMESTIC, true),
                row("poison is caught before the families are judged", ok("www.x.test AAAA 2001:db8:ff::1",
                        "www.x.test A 203.0.113.66"), trusted, Kind.FOREIGN, Reason.POISON, Side.TRUSTED, true));
    }

    private static Arguments row(String what, Message domestic, Message trusted, Kind kind, Reason reason, Side serve,
                                 boolean remember) {
        return Arguments.of(what, domestic, trusted, kind, reason, serve, remember);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_byTheDomesticAnswerThenTheTrustedOne(String what, Message domestic, Message trusted, Kind kind,
                                                    Reason reason, Side serve, boolean remember) {
        Decision d = decide(domestic, trusted, DOMESTIC);

        assertThat(d.verdict().kind()).as("verdict").isEqualTo(kind);
        assertThat(d.verdict().reason()).as("reason").isEqualTo(reason);
        assertThat(d.serve()).as("served").isEqualTo(serve);
        assertThat(d.remember()).as("remembered").isEqualTo(remember);
    }

    /** As the stage composes them for a name with no remembered verdict. */
    private static Decision decide(Message domestic, Message trusted, IpListSet lists) {
        Judgement judged = VerdictRules.judgeDomestic(domestic, lists, POISON);
        return judged.kind() == Kind.DOMESTIC ? new Decision(judged.verdict(), Side.DOMESTIC, true)
                : VerdictRules.afterTrusted(judged, trusted, lists);
    }

    @Test
    void ipv6_withAnIpv6List_isJudgedLikeIpv4() {
        Decision domestic = decide(ok("www.x.test AAAA 2001:db8:cc::1"), ok("www.x.test AAAA 2001:db8:ff::1"), DOMESTIC_V6);
        Decision foreign = decide(ok("www.x.test AAAA 2001:db8:ff::2"), ok("www.x.test AAAA 2001:db8:ff::1"), DOMESTIC_V6);

        assertThat(domestic.verdict().kind()).isEqualTo(Kind.DOMESTIC);
        assertThat(domestic.serve()).isEqualTo(Side.DOMESTIC);
        assertThat(foreign.verdict().kind()).isEqualTo(Kind.FOREIGN);
        assertThat(foreign.verdict().addresses()).containsExactly(InetAddress.ofLiteral("2001:db8:ff::2"));
    }

    @Test
    void verdict_namesTheAddressesAndTheListThatDecided() {
        Decision domestic = decide(ok("www.x.test A 198.51.100.7", "www.x.test A 198.51.100.8"), null, DOMESTIC);
        Decision foreign = decide(ok("www.x.test A 198.51.100.7", "www.x.test A 192.0.2.8"), ok(), DOMESTIC);
        Decision poison = decide(ok("www.x.test A 203.0.113.66"), ok(), DOMESTIC);

        assertThat(domestic.verdict().addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("198.51.100.7", "198.51.100.8");
        assertThat(domestic.verdict().list()).isEqualTo("chnroute");
        assertThat(domestic.verdict().describe()).isEqualTo("every address is in chnroute");
        assertThat(foreign.verdict().addresses()).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.8");
        assertThat(foreign.verdict().describe()).isEqualTo("192.0.2.8 is not in chnroute");
        assertThat(poison.verdict().list()).isEqualTo("gfw-poison");
        assertThat(poison.verdict().describe()).isEqualTo("203.0.113.66 is a known poison address (gfw-poison)");
    }

    @Test
    void addresses_includeHttpsHints() {
        Message https = ok("www.x.test HTTPS 1 . alpn=h2 ipv4hint=192.0.2.30");

        assertThat(VerdictRules.addresses(https)).containsExactly(InetAddress.ofLiteral("192.0.2.30"));
        assertThat(decide(https, ok(), DOMESTIC).verdict().kind()).isEqualTo(Kind.FOREIGN);
    }
}
