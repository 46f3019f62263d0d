package io.splitroute.admin;

import io.netty.util.NetUtil;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.SetWrite;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Formats one finished query as the query log's JSON line. */
final class QueryLogLine {
    private QueryLogLine() {}

    /** Formats one query as a JSON line (without the newline). */
    static String line(Query query, Resolution resolution, long nanos, Instant time) {
        Route route = resolution.route() != null ? resolution.route() : query.route();
        StringBuilder json = new StringBuilder(256).append("{\"time\":\"").append(time).append('"');
        field(json, "client", NetUtil.toAddressString(query.client().getAddress()));
        field(json, "transport", query.transport().name().toLowerCase(Locale.ROOT));
        field(json, "name", query.name());
        field(json, "type", Type.string(query.qtype()));
        field(json, "route", route == null ? QueryMeters.NO_ROUTE : route.name());
        if (resolution.upstream() != null) {
            field(json, "upstream", resolution.upstream());
        }
        field(json, "source", resolution.source().name().toLowerCase(Locale.ROOT));
        field(json, "rcode", Rcode.string(resolution.rcode()));
        json.append(",\"latency_ms\":").append(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
        SetWrite written = resolution.written();
        if (written != null) {
            json.append(",\"sets\":[");
            List<String> sets = written.sets();
            for (int i = 0; i < sets.size(); i++) {
                string(json.append(i == 0 ? "" : ","), sets.get(i));
            }
            json.append("],\"addresses\":[");
            List<InetAddress> addresses = written.addresses();
            for (int i = 0; i < addresses.size(); i++) {
                string(json.append(i == 0 ? "" : ","), NetUtil.toAddressString(addresses.get(i)));
            }
            json.append(']');
            if (written.outcome() != SetWrite.Outcome.WRITTEN) {
                field(json, "set_write", written.outcome().name().toLowerCase(Locale.ROOT));
            }
        }
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String key, String value) {
        json.append(",\"").append(key).append("\":");
        string(json, value);
    }

    /** Appends {@code value} as a JSON string: query names may hold quotes, backslashes and control bytes. */
    private static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
