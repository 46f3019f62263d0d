package io.splitroute.pipeline;

import io.splitroute.query.QueryStage;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Rcode;

/** Answers REFUSED to clients outside the configured networks, so a router never becomes an open resolver. */
public final class AccessControl implements QueryStage {
    private final List<IpSubnetFilterRule> allowed;
    private final QueryStage next;

    /**
     * @param cidrs allowed client networks, such as {@code 192.168.0.0/16} (validated by the config loader)
     * @param next  the next stage
     */
    public AccessControl(List<String> cidrs, QueryStage next) {
        this.allowed = cidrs.stream().map(AccessControl::rule).toList();
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        for (IpSubnetFilterRule rule : allowed) {
            if (rule.matches(query.client())) {
                return next.resolve(query);
            }
        }
        return CompletableFuture.completedFuture(Resolution.error(query, Rcode.REFUSED, Source.REFUSED));
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        return new IpSubnetFilterRule(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)),
                IpFilterRuleType.ACCEPT);
    }
}
