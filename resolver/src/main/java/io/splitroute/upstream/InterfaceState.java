package io.splitroute.upstream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads whether a network interface is up, with one {@code ioctl(SIOCGIFFLAGS)} through the FFM API, so a
 * query for a server bound to a downed tunnel fails before it is sent. The ioctl goes through a socket each
 * thread opens once (an event loop asks thousands of times), which also makes the answer that of the thread's
 * network namespace, like the sockets it opens.
 */
final class InterfaceState {

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final int IFF_UP = 0x1;
    private static final int IFF_RUNNING = 0x40;
    private static final int ENODEV = 19;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final ThreadLocal<Probe> PROBE = ThreadLocal.withInitial(Probe::open);

    private InterfaceState() {}

    /** Why {@code iface} cannot carry packets now ("interface wg0 is down"), or {@code null} if it can. */
    static String problem(String iface) {
        Probe probe = PROBE.get();
        if (probe.fd < 0) {
            return null; // cannot ask: let the bound socket itself fail (it still never leaves another way)
        }
        int flags = probe.flags(iface);
        if (flags == -ENODEV) {
            return "interface " + iface + " does not exist (ENODEV)";
        } else if (flags < 0) {
            return null;
        } else if ((flags & IFF_UP) == 0) {
            return "interface " + iface + " is down (ENETDOWN)";
        } else if ((flags & IFF_RUNNING) == 0) {
            return "interface " + iface + " has no carrier (ENETDOWN)";
        }
        return null;
    }

    /** One thread's socket and buffers. */
    private static final class Probe {
        final int fd;
        final MemorySegment ifreq;
        final MemorySegment state;

        private Probe(int fd, Arena arena) {
            this.fd = fd;
            this.ifreq = arena.allocate(IFREQ_SIZE);
            this.state = arena.allocate(CAPTURE);
        }

        static Probe open() {
            Arena arena = Arena.ofAuto();
            MemorySegment state = arena.allocate(CAPTURE);
            int fd;
            try {
                fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            } catch (Throwable e) {
                fd = -1;
            }
            return new Probe(fd, arena); // the fd lives as long as the thread (event loops live as long as the process)
        }

        /** The interface flags, or {@code -errno}. */
        int flags(String iface) {
            ifreq.fill((byte) 0);
            byte[] name = iface.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(name, 0, ifreq, JAVA_BYTE, 0, Math.min(name.length, IFNAMSIZ - 1));
            try {
                int rc = (int) IOCTL.invokeExact(state, fd, SIOCGIFFLAGS, ifreq);
                if (rc < 0) {
                    return -(int) ERRNO.get(state, 0L);
                }
            } catch (Throwable e) {
                return -1;
            }
            return Short.toUnsignedInt(ifreq.get(JAVA_SHORT, IFNAMSIZ));
        }
    }

    @SuppressWarnings("restricted") // reading interface flags is this class's purpose; enabled by --enable-native-access
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(symbol, descriptor, all);
    }
}
