package io.splitroute.pipeline;

import io.splitroute.query.QueryStage;
import io.splitroute.query.Query;
import io.splitroute.query.Replies;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.routing.Explanation;
import io.splitroute.routing.Routing;
import io.splitroute.upstream.SystemResolvers;
import io.splitroute.upstream.SystemServers;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Answers class CHAOS queries itself, never forwarding them: {@code version.bind}/{@code version.server}
 * and {@code id.server}/{@code hostname.bind} as usual, and TXT for any other name with the explanation of
 * how that name is routed ({@code dig @router www.google.com TXT CH}), first string {@code route=NAME}.
 */
public final class ChaosResponder implements QueryStage {
    private static final List<String> VERSION_NAMES = List.of("version.bind.", "version.server.");
    private static final List<String> ID_NAMES = List.of("id.server.", "hostname.bind.");

    private final Supplier<Routing> routing;
    private final QueryStage next;
    private final String version;
    private final Path resolvConf;

    /**
     * Answers with {@code system} groups shown as the nameservers of {@code /etc/resolv.conf}.
     *
     * @param version what {@code version.bind} answers, such as {@code splitroute 0.1.0}
     * @param routing the current routing, for explanations
     * @param next    the next stage, for every query not of class CHAOS
     */
    public ChaosResponder(String version, Supplier<Routing> routing, QueryStage next) {
        this(version, routing, SystemResolvers.DEFAULT_RESOLV_CONF, next);
    }

    /**
     * @param version    what {@code version.bind} answers, such as {@code splitroute 0.1.0}
     * @param routing    the current routing, for explanations
     * @param resolvConf the file whose nameservers a {@code system} group stands for
     * @param next       the next stage, for every query not of class CHAOS
     */
    public ChaosResponder(String version, Supplier<Routing> routing, Path resolvConf, QueryStage next) {
        this.version = version;
        this.routing = routing;
        this.resolvConf = resolvConf;
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        if (query.qclass() != DClass.CH) {
            return next.resolve(query);
        }
        Record question = query.question();
        int type = question.getType();
        if (type != Type.TXT && type != Type.ANY) {
            return CompletableFuture.completedFuture(Resolution.error(query, Rcode.NOERROR, Source.LOCAL));
        }
        String name = question.getName().toString().toLowerCase(Locale.ROOT);
        List<String> strings;
        if (VERSION_NAMES.contains(name)) {
            strings = List.of(version);
        } else if (ID_NAMES.contains(name)) {
            strings = List.of(hostname());
        } else {
            Explanation explained = Explanation.of(query.name(), routing.get());
            // As check shows them: "system" as the nameservers of resolv.conf (a CHAOS query is rare; one file read).
            strings = explained.withServers(SystemServers.expand(explained.servers(), resolvConf)).txtStrings();
        }
        Message reply = Replies.empty(query.message(), Rcode.NOERROR);
        reply.addRecord(new TXTRecord(question.getName(), DClass.CH, 0, strings), Section.ANSWER);
        return CompletableFuture.completedFuture(new Resolution(reply, Source.LOCAL, null, null, null));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "splitroute";
        }
    }
}
