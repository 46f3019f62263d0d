package io.splitroute.config;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code acl: ["192.168.0.0/16", ...]}: the client networks answered; a bare IP is a /32 or /128. */
final class AclSection {
    static final Set<String> KEYS = Set.of("acl");

    private AclSection() {}

    static List<String> read(YamlNodes yaml, Node node) {
        if (node == null) {
            return SplitrouteConfig.DEFAULT_ACL;
        }
        return yaml.list(node, "acl", (item, key) -> cidr(yaml, item, key));
    }

    static String cidr(YamlNodes yaml, Node node, String key) {
        String text = yaml.string(node, key);
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        try {
            String ip = slash < 0 ? text : text.substring(0, slash);
            InetAddress address = ListenAddress.parseIp(ip, text);
            int max = address instanceof Inet4Address ? 32 : 128;
            int prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix /" + prefix + " in '" + text + "' is not between 0 and " + max);
            }
            new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
            return NetUtil.toAddressString(address) + "/" + prefix;
        } catch (NumberFormatException e) {
            yaml.problem(node, key, "'" + text + "' is not a network such as 192.168.0.0/16");
        } catch (IllegalArgumentException e) {
            yaml.problem(node, key, e.getMessage());
        }
        return null;
    }
}
