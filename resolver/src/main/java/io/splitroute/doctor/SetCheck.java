package io.splitroute.doctor;

import io.splitroute.sets.SetConfig;
import java.util.List;

/** A configured kernel set: it exists, holds the configured family, has a type splitroute writes, and timeouts. */
final class SetCheck {
    private SetCheck() {}

    /** Checks the set called {@code name} in the config. */
    static Finding check(String name, SetConfig set, KernelSets kernel) {
        String check = "set " + name;
        String what = set.target().displayName() + " (" + set.target().family().ipsetName() + ")";
        SetFacts facts = kernel.inspect(set.target(), List.of());
        if (!facts.exists()) {
            return Finding.fail(check, facts.problem(), "systemctl restart splitroute-routing (its up creates the "
                    + "sets named SET/SET6 in " + RoutingSettings.DEFAULT_FILE + "), or create: true on the set");
        }
        if (facts.problem() != null) {
            return Finding.fail(check, facts.problem(), "recreate it as the message says, or fix the set in the config");
        }
        if (Boolean.FALSE.equals(facts.timeoutSupport())) {
            return Finding.fail(check, what + " has no timeout support: splitroute writes every address with a "
                    + "timeout, and the kernel refuses them", "destroy it and create it with timeouts (the routing "
                    + "script's up does: ipset ... timeout 0, nft flags timeout)");
        }
        return Finding.ok(check, what + " exists" + (facts.timeoutSupport() == null ? "" : ", with timeouts"));
    }
}
