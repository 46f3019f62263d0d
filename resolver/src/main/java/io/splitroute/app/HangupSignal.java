package io.splitroute.app;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Installs the SIGHUP handler (reload) even in a process that inherited SIGHUP as ignored, as {@code nohup}
 * and some supervisors start it: the JVM leaves an ignored SIGHUP ignored, so {@code kill -HUP} and
 * {@code lists update --pid-file} would reload nothing. Here SIGHUP means "reload", never "hang up", so the
 * inherited disposition is reset to the default first (one {@code signal(2)} call, only in that case).
 */
final class HangupSignal {
    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);
    /** SIGHUP is 1 on every Linux architecture. */
    private static final int SIGHUP = 1;

    private HangupSignal() {
    }

    /**
     * Makes SIGHUP run {@code handler}.
     *
     * @return true if the handler is installed
     */
    static boolean install(SignalHandler handler) {
        Signal hup = new Signal("HUP");
        if (Signal.handle(hup, handler) != SignalHandler.SIG_IGN) {
            return true;
        }
        try {
            resetToDefault();
            Signal.handle(hup, handler);
            log.info("SIGHUP was ignored in this process (started under nohup?); it reloads now");
            return true;
        } catch (Throwable e) {
            log.warn("SIGHUP is ignored in this process (started under nohup?) and cannot be taken back ({}): "
                    + "kill -HUP does not reload it; use POST /reload on the admin listener", e.toString());
            return false;
        }
    }

    private static void resetToDefault() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle signal = linker.downcallHandle(linker.defaultLookup().find("signal").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        MemorySegment previous = (MemorySegment) signal.invokeExact(SIGHUP, MemorySegment.NULL); // SIG_DFL
        if (previous.address() == -1L) { // SIG_ERR
            throw new IllegalStateException("signal(SIGHUP, SIG_DFL) failed");
        }
    }
}
