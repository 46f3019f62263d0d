package io.splitroute.upstream;

import io.splitroute.logging.ThrottledLog;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/** The steps every query to an encrypted server takes around its {@link SessionPool}: checks, counters, TLS log. */
final class EncryptedQueries {

    /** A refused certificate is logged once per server and cause per minute; every refusal is counted. */
    private static final ThrottledLog TLS_LOG = new ThrottledLog(LoggerFactory.getLogger(TlsUpstream.class), 60);

    private EncryptedQueries() {}

    static CompletableFuture<Message> send(Message query, String name, UpstreamStats stats, SessionPool pool) {
        if (query.getQuestion() == null) {
            return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Reason.INVALID_QUERY,
                    name, "query " + query.getHeader().getID() + " has no question"));
        }
        stats.countQuery();
        long start = System.nanoTime();
        return UpstreamStats.after(stats.track(pool.send(query), start), (reply, error) -> {
            if (error instanceof UpstreamException u && u.reason() == UpstreamException.Reason.TLS) {
                TLS_LOG.warn(name + " " + causeKey(u), u.getMessage());
            }
        });
    }

    /** The kind of refusal (unknown CA, wrong name, wrong pin) or of handshake failure, never a detail that varies. */
    private static String causeKey(UpstreamException u) {
        for (Throwable t = u.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.splitroute.upstream.tls.CertificateRejectedException rejected) {
                return rejected.kind().name();
            }
        }
        return "handshake";
    }
}
