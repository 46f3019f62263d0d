package io.splitroute.lab;

import java.nio.file.Path;

/**
 * Which of the shipped routing scripts ({@code config/routing/}) the router runs, and how the DNS servers
 * and the checks address its IPv4 set.
 */
public enum RoutingFlavour {
    /** {@code splitroute-route-iptables.sh}: ipset {@code gfwlist} + iptables mangle/nat. */
    IPTABLES("splitroute-route-iptables.sh") {
        @Override
        public String splitrouteSet() {
            return "{ type: ipset, name: gfwlist, family: inet }";
        }

        @Override
        public String dnsmasqSetOption(String domain) {
            return "--ipset=/" + domain + "/gfwlist";
        }

        @Override
        public String[] addElement(String address) {
            return new String[] {"ipset", "add", "gfwlist", address};
        }

        @Override
        public String[] deleteElement(String address) {
            return new String[] {"ipset", "del", "gfwlist", address};
        }

        @Override
        public String[] testElement(String address) {
            return new String[] {"ipset", "test", "gfwlist", address};
        }

        @Override
        public String[] flushSet() {
            return new String[] {"ipset", "flush", "gfwlist"};
        }
    },
    /** {@code splitroute-route-nft.sh}: set {@code gfwlist} in table {@code inet splitroute}. */
    NFT("splitroute-route-nft.sh") {
        @Override
        public String splitrouteSet() {
            return "{ type: nftset, table: \"inet splitroute\", name: gfwlist, family: inet }";
        }

        @Override
        public String dnsmasqSetOption(String domain) {
            return "--nftset=/" + domain + "/4#inet#splitroute#gfwlist";
        }

        @Override
        public String[] addElement(String address) {
            return new String[] {"nft", "add", "element", "inet", "splitroute", "gfwlist", "{ " + address + " }"};
        }

        @Override
        public String[] deleteElement(String address) {
            return new String[] {"nft", "delete", "element", "inet", "splitroute", "gfwlist", "{ " + address + " }"};
        }

        @Override
        public String[] testElement(String address) {
            return new String[] {"nft", "get", "element", "inet", "splitroute", "gfwlist", "{ " + address + " }"};
        }

        @Override
        public String[] flushSet() {
            return new String[] {"nft", "flush", "set", "inet", "splitroute", "gfwlist"};
        }
    };

    private final String script;

    RoutingFlavour(String script) {
        this.script = script;
    }

    /** Returns the script's path, found from the working directory up (failsafe runs in {@code resolver/}). */
    public Path script() {
        return RepoFile.find("config/routing/" + script);
    }

    /** Returns the value of a splitroute {@code sets:} entry for the IPv4 set. */
    public abstract String splitrouteSet();

    /** Returns the dnsmasq option that adds the addresses of {@code domain}'s answers to the set. */
    public abstract String dnsmasqSetOption(String domain);

    /** Returns the command (run on the router) that adds {@code address} to the set, without timeout. */
    public abstract String[] addElement(String address);

    /** Returns the command (run on the router) that deletes {@code address} from the set. */
    public abstract String[] deleteElement(String address);

    /** Returns the command (run on the router) that exits 0 iff {@code address} is in the set. */
    public abstract String[] testElement(String address);

    /** Returns the command (run on the router) that empties the set, as it is after a reboot. */
    public abstract String[] flushSet();
}
