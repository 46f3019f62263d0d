package io.splitroute.lab;

import io.splitroute.it.ChildProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The DNS server under test, running on the lab's router: started, killed and restarted by the checks.
 * Subclasses say what program and configuration that is.
 */
public abstract class RouterDns implements AutoCloseable {

    /** How long a started server may take before it answers (a JVM start on a loaded 2-core machine). */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final RouterLab lab;
    private ChildProcess process;

    /** Creates the server for {@code lab}; nothing runs until {@link #start()}. */
    protected RouterDns(RouterLab lab) {
        this.lab = lab;
    }

    /** Returns the lab this server runs in. */
    protected RouterLab lab() {
        return lab;
    }

    /** Starts the server on the router and returns the process; called by {@link #start()}. */
    protected abstract ChildProcess launch() throws IOException;

    /**
     * Returns the routing-script commands the server's systemd unit runs under {@code key}
     * ({@code ExecStartPre}: before each start, {@code ExecStopPost}: after each stop or crash); none unless
     * the server's unit runs the script.
     */
    protected List<String> unitRoutingCommands(String key) {
        return List.of();
    }

    /**
     * Starts the server and waits until it answers the LAN client (any rcode).
     *
     * @throws IllegalStateException with the server's output if it exits or stays silent for 60 s
     */
    public void start() throws IOException {
        long start = System.nanoTime();
        unitRoutingCommands("ExecStartPre").forEach(lab::routing);
        process = launch();
        lab.closeWithLab(process);
        try {
            RouterLab.await("DNS server on the router", START_LIMIT, () -> !process.isAlive()
                    || lab.client().execAllowingFailure("dig", "@" + RouterLab.ROUTER_LAN, "+time=1", "+tries=1",
                            "ready.lab.example", "A").output().contains("->>HEADER<<-"));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + ": " + process.describe(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("DNS server exited at start: " + process.describe());
        }
        System.out.printf("%s answering after %d ms%n", process.name(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Kills the server with SIGKILL (a crash, no goodbye), waits until it is gone, then runs what its unit
     * runs after a stop, as systemd would.
     */
    public void kill() {
        ProcessHandle.of(process.pid()).ifPresent(handle -> {
            handle.destroyForcibly();
            handle.onExit().join();
        });
        unitRoutingCommands("ExecStopPost").forEach(lab::routing);
    }

    /** Returns what the server's health endpoint says now, or {@code null} if it has none. */
    public String health() {
        return null;
    }

    /** Returns the server's pid, state and last output, for failure messages. */
    public String describe() {
        return process == null ? "not started" : process.describe();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
