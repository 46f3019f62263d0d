package io.splitroute.doctor;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.KernelSetWriter;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetInspection;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * Asks the kernel about sets over netlink, through the ipset-sink splitroute writes with ({@link
 * SetWriter#inspect}): whether each exists and can be written as configured, its type and timeout support,
 * and which addresses it holds.
 */
final class KernelSets implements AutoCloseable {
    private SetWriter writer;

    /** Why the kernel could not be asked at all (no privileges, no netlink); the message says what to do. */
    static final class CannotAsk extends Exception {
        CannotAsk(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Returns what the kernel says about {@code target}, and which of {@code addresses} it holds; a missing or
     * unusable set is an answer.
     *
     * @throws CannotAsk when the kernel cannot be asked
     */
    SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) throws CannotAsk {
        try {
            if (writer == null) {
                writer = KernelSetWriter.open(null);
            }
            return writer.inspect(target, addresses);
        } catch (SetException e) {
            throw new CannotAsk(e.kind() == SetError.Kind.PERMISSION
                    ? "cannot read kernel sets without CAP_NET_ADMIN (" + e.getMessage() + "): run doctor as root"
                    : "cannot ask the kernel about " + target.displayName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new CannotAsk("cannot ask the kernel about " + target.displayName() + ": " + e);
        }
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
