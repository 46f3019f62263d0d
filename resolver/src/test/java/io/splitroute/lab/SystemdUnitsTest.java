package io.splitroute.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped units keep routing apart from the resolver: only the routing unit runs the routing script,
 * only {@code up}, and nothing in either unit takes routing down when a unit stops (the lab runs these
 * commands where systemd would; this checks the stop paths it does not exercise).
 */
class SystemdUnitsTest {

    private static final List<String> STOP_KEYS = List.of("ExecStop", "ExecStopPost", "ExecStartPre", "ExecStartPost");

    @Test
    void routingUnit_oneshotThatStaysActive_runsUpOnly() {
        ServiceUnit routing = ServiceUnit.load("splitroute-routing.service");

        assertThat(routing.values("Type")).containsExactly("oneshot");
        assertThat(routing.values("RemainAfterExit")).containsExactly("yes");
        assertThat(routing.routingCommands("ExecStart")).containsExactly("up");
        assertThat(routing.routingCommands("ExecReload")).containsExactly("up");
        for (String key : STOP_KEYS) {
            assertThat(routing.values(key)).as(key).isEmpty();
        }
    }

    @Test
    void resolverUnit_wantsAndFollowsRoutingUnit_neverRunsRoutingScript() {
        ServiceUnit resolver = ServiceUnit.load("splitroute.service");

        assertThat(String.join(" ", resolver.values("Wants")).split("\\s+")).contains("splitroute-routing.service");
        assertThat(String.join(" ", resolver.values("After")).split("\\s+")).contains("splitroute-routing.service");
        for (String key : List.of("ExecStart", "ExecReload", "ExecStop", "ExecStopPost", "ExecStartPre")) {
            assertThat(resolver.routingCommands(key)).as(key).isEmpty();
        }
    }
}
