package io.splitroute.unlisted;

import io.splitroute.query.Verdict;
import io.splitroute.query.Verdict.Kind;
import io.splitroute.query.Verdict.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The rules that decide a name on no list from its two answers. The domestic answer is judged first and
 * alone ({@link #judgeDomestic}): when every address it has is in {@code domestic-ips} (and none is a known
 * poison address) it is served; when one is foreign or poison, the trusted answer is served. When it has no
 * address to judge (CNAME only, NODATA, NXDOMAIN) or the domestic side failed, the trusted answer's addresses
 * decide ({@link #afterTrusted}). Pure functions of the answers and the lists: no time, no state.
 *
 * <p>An address of a family the {@code domestic-ips} lists have no network of (IPv6 with chnroutes, which is
 * IPv4 only) is neither domestic nor foreign: it is not judged.
 */
final class VerdictRules {
    /** The most addresses a verdict keeps (for explanations and logs): enough to show, small to remember. */
    static final int KEPT_ADDRESSES = 4;

    private VerdictRules() {}

    /** Which answer is served. */
    enum Side {
        /** The domestic answer. */
        DOMESTIC,
        /** The trusted answer. */
        TRUSTED,
        /** Neither: SERVFAIL (never the domestic answer when it was judged foreign). */
        NONE
    }

    /**
     * The domestic answer judged alone.
     *
     * @param kind      {@link Kind#DOMESTIC} (serve it now), {@link Kind#FOREIGN} (serve the trusted answer), or
     *                  {@code null}: the trusted answer decides
     * @param reason    why
     * @param addresses the addresses that decided it (at most {@value #KEPT_ADDRESSES})
     * @param list      the list that decided, or {@code null}
     */
    record Judgement(Kind kind, Reason reason, List<InetAddress> addresses, String list) {
        /** Returns whether the trusted answer decides. */
        boolean pending() {
            return kind == null;
        }

        Verdict verdict() {
            return new Verdict(kind, reason, addresses, list, false);
        }
    }

    /**
     * What to serve, and why.
     *
     * @param verdict  the verdict
     * @param serve    the answer served
     * @param remember whether the verdict is good for later queries of the name: only when the domestic side
     *                 answered (a failure or timeout there says nothing about the name)
     */
    record Decision(Verdict verdict, Side serve, boolean remember) {}

    /**
     * Judges the domestic answer ({@code null}: the domestic side failed or timed out).
     *
     * @param domestic the {@code domestic-ips} lists
     * @param poison   the {@code poison-ips} lists
     */
    static Judgement judgeDomestic(Message reply, IpListSet domestic, IpListSet poison) {
        if (!answered(reply)) {
            return new Judgement(null, Reason.DOMESTIC_FAILED, List.of(), null);
        }
        if (reply.getRcode() == Rcode.NXDOMAIN) {
            return new Judgement(null, Reason.DOMESTIC_NXDOMAIN, List.of(), null);
        }
        List<InetAddress> addresses = addresses(reply);
        for (InetAddress a : addresses) {
            String list = poison.find(a);
            if (list != null) {
                return new Judgement(Kind.FOREIGN, Reason.POISON, List.of(a), list);
            }
        }
        Judgement judged = judge(addresses, domestic, Reason.DOMESTIC_ADDRESSES, Reason.FOREIGN_ADDRESS);
        return judged != null ? judged : new Judgement(null, Reason.DOMESTIC_NO_ADDRESS, List.of(), null);
    }

    /**
     * Decides once the trusted side is in ({@code trusted} {@code null}: it failed or timed out), after a
     * domestic judgement that did not serve the domestic answer.
     */
    static Decision afterTrusted(Judgement domestic, Message trusted, IpListSet domesticIps) {
        boolean trustedAnswered = answered(trusted);
        if (!domestic.pending()) { // judged foreign (or domestic, which does not wait): no domestic answer served
            return new Decision(domestic.verdict(), trustedAnswered ? Side.TRUSTED
                    : domestic.kind() == Kind.DOMESTIC ? Side.DOMESTIC : Side.NONE, true);
        }
        boolean domesticAnswered = domestic.reason() != Reason.DOMESTIC_FAILED;
        if (!trustedAnswered) {
            // Nothing was judged foreign: a domestic answer without addresses cannot route anything wrongly.
            Reason reason = domesticAnswered ? Reason.TRUSTED_FAILED : Reason.BOTH_FAILED;
            return new Decision(new Verdict(Kind.UNDECIDED, reason, List.of(), null, false),
                    domesticAnswered ? Side.DOMESTIC : Side.NONE, false);
        }
        Judgement judged = trusted.getRcode() == Rcode.NOERROR
                ? judge(addresses(trusted), domesticIps, domestic.reason(), domestic.reason()) : null;
        if (judged == null) {
            Reason reason = domesticAnswered ? Reason.NO_ADDRESS : Reason.DOMESTIC_FAILED;
            return new Decision(new Verdict(Kind.UNDECIDED, reason, List.of(), null, false), Side.TRUSTED, false);
        }
        return new Decision(judged.verdict(), Side.TRUSTED, domesticAnswered);
    }

    /**
     * Judges addresses by the {@code domestic-ips}: domestic when every judgeable one is in a list, foreign when
     * one is in none; {@code null} when none can be judged.
     */
    private static Judgement judge(List<InetAddress> addresses, IpListSet domestic, Reason whenDomestic,
                                   Reason whenForeign) {
        List<InetAddress> foreign = new ArrayList<>(1);
        List<InetAddress> inLists = new ArrayList<>(addresses.size());
        Set<String> lists = new LinkedHashSet<>(2);
        for (InetAddress a : addresses) {
            if (!domestic.covers(a)) {
                continue;
            }
            String found = domestic.find(a);
            if (found == null) {
                foreign.add(a);
            } else {
                inLists.add(a);
                lists.add(found);
            }
        }
        if (!foreign.isEmpty()) {
            return new Judgement(Kind.FOREIGN, whenForeign, kept(foreign), domestic.names());
        }
        return inLists.isEmpty() ? null
                : new Judgement(Kind.DOMESTIC, whenDomestic, kept(inLists), String.join(", ", lists));
    }

    private static List<InetAddress> kept(List<InetAddress> addresses) {
        return addresses.size() <= KEPT_ADDRESSES ? addresses : addresses.subList(0, KEPT_ADDRESSES);
    }

    /** Whether a side gave an answer to judge or serve: NOERROR or NXDOMAIN (SERVFAIL, REFUSED are failures). */
    static boolean answered(Message reply) {
        return reply != null && (reply.getRcode() == Rcode.NOERROR || reply.getRcode() == Rcode.NXDOMAIN);
    }

    /**
     * Every address of the answer section: A and AAAA records of whatever owner (an injected record counts too),
     * and the ipv4hint / ipv6hint of HTTPS and SVCB records.
     */
    static List<InetAddress> addresses(Message reply) {
        List<InetAddress> out = new ArrayList<>(2);
        for (Record r : reply.getSection(Section.ANSWER)) {
            int type = r.getType();
            if (type == Type.A || type == Type.AAAA) {
                try {
                    out.add(InetAddress.getByAddress(r.rdataToWireCanonical()));
                } catch (UnknownHostException e) { // an A record's rdata is 4 bytes, an AAAA's 16: cannot happen
                    throw new IllegalStateException("not an address record: " + r, e);
                }
            } else if (r instanceof SVCBBase svcb) {
                hints(svcb, out);
            }
        }
        return out;
    }

    private static void hints(SVCBBase record, List<InetAddress> out) {
        try {
            if (record.getSvcParamValue(SVCBBase.IPV4HINT) instanceof SVCBBase.ParameterIpv4Hint v4) {
                out.addAll(v4.getAddresses());
            }
            if (record.getSvcParamValue(SVCBBase.IPV6HINT) instanceof SVCBBase.ParameterIpv6Hint v6) {
                out.addAll(v6.getAddresses());
            }
        } catch (UnknownHostException e) {
            // A malformed hint: judged by the rest of the answer.
        }
    }
}
