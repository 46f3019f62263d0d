package io.splitroute.doctor;

import io.netty.util.NetUtil;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.KernelSetWriter;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import java.net.InetAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the kernel about sets: whether each exists and can be written as configured, through the same
 * netlink probe splitroute runs at start ({@link SetWriter#probe}); timeout support and membership through
 * {@code ipset} and {@code nft}.
 */
final class KernelSets implements AutoCloseable {
    // TODO(sink): SetWriter.inspect(target, addresses) answers all of this over netlink (SetInspection); use it
    // once the ipset-sink has it on main, and drop the ipset/nft commands and SetFacts here.
    private final HostTools tools;
    private SetWriter writer;

    KernelSets(HostTools tools) {
        this.tools = tools;
    }

    /** Returns what the kernel says about {@code target}, and which of {@code addresses} it holds. */
    SetFacts inspect(SetTarget target, Collection<InetAddress> addresses) {
        try {
            if (writer == null) {
                writer = KernelSetWriter.open(null);
            }
            writer.probe(target);
        } catch (SetException e) {
            boolean exists = e.kind() != SetError.Kind.MISSING_SET && e.kind() != SetError.Kind.PERMISSION
                    && e.kind() != SetError.Kind.IO;
            String problem = e.kind() == SetError.Kind.PERMISSION
                    ? "cannot read kernel sets without CAP_NET_ADMIN (" + e.getMessage() + "): run doctor as root"
                    : e.getMessage();
            return new SetFacts(exists, problem, null, Map.of());
        } catch (RuntimeException e) {
            return new SetFacts(false, "cannot ask the kernel about " + target.displayName() + ": " + e, null, Map.of());
        }
        Map<InetAddress, Boolean> members = new LinkedHashMap<>();
        for (InetAddress address : addresses) {
            members.put(address, holds(target, address));
        }
        return new SetFacts(true, null, timeoutSupport(target), members);
    }

    private Boolean timeoutSupport(SetTarget target) {
        return switch (target) {
            case IpsetTarget ipset -> {
                HostTools.Output out = tools.run("ipset", "list", "-t", ipset.name());
                yield out.ok() ? out.out().lines().anyMatch(l -> l.startsWith("Header:") && l.contains(" timeout ")) : null;
            }
            case NftSetTarget nft -> {
                HostTools.Output out = tools.run("nft", "-j", "-t", "list", "set", nft.tableFamily(), nft.table(), nft.set());
                yield out.ok() ? nftSetFlags(out.out()).contains("timeout") : null;
            }
        };
    }

    private boolean holds(SetTarget target, InetAddress address) {
        String ip = NetUtil.toAddressString(address);
        HostTools.Output out = switch (target) {
            case IpsetTarget ipset -> tools.run("ipset", "test", ipset.name(), ip);
            case NftSetTarget nft -> tools.run("nft", "get", "element", nft.tableFamily(), nft.table(), nft.set(),
                    "{ " + ip + " }");
        };
        return out.ok();
    }

    /** Returns the flags of the set in {@code nft -j list set} output ({@code timeout}, {@code interval}, ...). */
    static List<?> nftSetFlags(String json) {
        if (HostTools.json(json) instanceof Map<?, ?> root) {
            for (Map<String, Object> item : HostTools.objects(root.get("nftables"))) {
                if (item.get("set") instanceof Map<?, ?> set) {
                    return set.get("flags") instanceof List<?> flags ? flags : List.of();
                }
            }
        }
        return List.of();
    }

    /** Returns the addresses of {@code list} of the family {@code target} holds. */
    static List<InetAddress> ofFamily(SetTarget target, List<InetAddress> list) {
        return list.stream().filter(a -> AddressFamily.of(a) == target.family()).toList();
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
