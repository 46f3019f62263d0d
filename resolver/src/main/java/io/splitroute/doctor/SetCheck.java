package io.splitroute.doctor;

import io.splitroute.sets.SetConfig;
import io.splitroute.sink.SetInspection;
import java.util.List;

/** A configured kernel set: it exists, holds the configured family, has a type splitroute writes, and timeouts. */
final class SetCheck {
    private SetCheck() {}

    /** Checks the set called {@code name} in the config. */
    static Finding check(String name, SetConfig set, KernelSets kernel) {
        String check = "set " + name;
        SetInspection found;
        try {
            found = kernel.inspect(set.target(), List.of());
        } catch (KernelSets.CannotAsk e) {
            return Finding.fail(check, e.getMessage(), "run doctor as root");
        }
        if (!found.exists()) {
            return Finding.fail(check, found.problem(), "systemctl restart splitroute-routing (its up creates the "
                    + "sets named SET/SET6 in " + RoutingSettings.DEFAULT_FILE + "), or create: true on the set");
        }
        if (found.problem() != null) {
            return Finding.fail(check, found.problem(), "recreate it as the message says, or fix the set in the config");
        }
        String what = set.target().displayName() + " (" + found.type() + ", " + set.target().family().ipsetName() + ")";
        if (!found.timeoutSupport()) {
            return Finding.fail(check, what + " has no timeout support: splitroute writes every address with a "
                    + "timeout, and the kernel refuses them", "destroy it and create it with timeouts (the routing "
                    + "script's up does: ipset ... timeout 0, nft flags timeout)");
        }
        String fill = found.elements() < 0 ? "" : ", " + found.elements() + (found.capacity() > 0 ? " of " + found.capacity() : "")
                + " elements";
        if (found.full()) {
            return Finding.fail(check, what + " is full" + fill + ": new addresses are not added", "raise its maxelem "
                    + "(ipset) or size (nft): recreate it, or lower set-timeout.max so entries expire sooner");
        }
        return Finding.ok(check, what + " exists, with timeouts" + fill);
    }
}
