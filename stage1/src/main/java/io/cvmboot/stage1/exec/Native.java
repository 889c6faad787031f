package io.cvmboot.stage1.exec;

import io.cvmboot.stage1.Stage1Exception;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The Linux calls stage1 needs that the JDK does not offer, through the FFM API (JEP 454): memfd,
 * seals, execveat, close_range, mount, finit_module, network ioctls, sync and reboot. Every call
 * captures errno; a failure becomes a {@link Stage1Exception} naming the call and its argument.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;


    // One holder class per function: the JVM initialises a class on first use, so a run links only
    // the calls it makes (linking a downcall costs milliseconds, far more under emulation).
    private static final class MemfdCreateCall {
        static final MethodHandle H = handle("memfd_create", FunctionDescriptor.of(INT, ADDRESS, INT));
    }

    private static final class FcntlIntCall {
        static final MethodHandle H = handle("fcntl", FunctionDescriptor.of(INT, INT, INT, INT), 2);
    }

    private static final class WriteCall {
        static final MethodHandle H = handle("write", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG));
    }

    private static final class CloseCall {
        static final MethodHandle H = handle("close", FunctionDescriptor.of(INT, INT));
    }

    private static final class OpenCall {
        static final MethodHandle H = handle("open", FunctionDescriptor.of(INT, ADDRESS, INT), 2);
    }

    private static final class MountCall {
        static final MethodHandle H = handle("mount",
                FunctionDescriptor.of(INT, ADDRESS, ADDRESS, ADDRESS, LONG, ADDRESS));
    }

    private static final class SyncCall {
        static final MethodHandle H = handle("sync", FunctionDescriptor.ofVoid());
    }

    private static final class RebootCall {
        static final MethodHandle H = handle("reboot", FunctionDescriptor.of(INT, INT));
    }

    private static final class SocketCall {
        static final MethodHandle H = handle("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    }

    private static final class IoctlPtrCall {
        static final MethodHandle H = handle("ioctl", FunctionDescriptor.of(INT, INT, LONG, ADDRESS), 2);
    }

    private static final class Syscall6Call {
        static final MethodHandle H = handle("syscall",
                FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG), 1);
    }

    private static final class SetsockoptCall {
        static final MethodHandle H = handle("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ADDRESS, INT));
    }

    private static final class BindCall {
        static final MethodHandle H = handle("bind", FunctionDescriptor.of(INT, INT, ADDRESS, INT));
    }

    private static final class SendtoCall {
        static final MethodHandle H = handle("sendto",
                FunctionDescriptor.of(LONG, INT, ADDRESS, LONG, INT, ADDRESS, INT));
    }

    private static final class RecvCall {
        static final MethodHandle H = handle("recv", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG, INT));
    }

    private Native() {}

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return handle(name, fd, -1);
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, int firstVariadic) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return firstVariadic < 0
                ? LINKER.downcallHandle(symbol, fd, ERRNO_OPTION)
                : LINKER.downcallHandle(symbol, fd, ERRNO_OPTION, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** Per-architecture syscall numbers of calls glibc 2.36 has no wrapper for (or that need flags it lacks). */
    enum Syscall {
        // arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h.
        FINIT_MODULE(313, 273),
        EXECVEAT(322, 281),
        CLOSE_RANGE(436, 436);

        private final long x86_64;
        private final long aarch64;

        Syscall(long x86_64, long aarch64) {
            this.x86_64 = x86_64;
            this.aarch64 = aarch64;
        }

        long number() {
            String arch = System.getProperty("os.arch");
            return "aarch64".equals(arch) ? aarch64 : x86_64;
        }
    }

    /** The errno of a failed call and what it was. */
    static Stage1Exception failure(String call, int errno) {
        return new Stage1Exception(call + " failed: " + Errno.describe(errno));
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // --- memfd and seals ---------------------------------------------------------------------------

    // include/uapi/linux/memfd.h
    static final int MFD_CLOEXEC = 0x0001;
    static final int MFD_ALLOW_SEALING = 0x0002;
    static final int MFD_EXEC = 0x0010;
    // include/uapi/linux/fcntl.h
    static final int F_ADD_SEALS = 1024 + 9;
    static final int F_GET_SEALS = 1024 + 10;
    static final int F_SEAL_SEAL = 0x0001;
    static final int F_SEAL_SHRINK = 0x0002;
    static final int F_SEAL_GROW = 0x0004;
    static final int F_SEAL_WRITE = 0x0008;
    static final int EINVAL = 22;

    /**
     * memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC). Linux 6.3 added MFD_EXEC (and a
     * sysctl that may make memfds non-executable by default); older kernels reject the unknown flag
     * with EINVAL and are asked again without it.
     */
    public static int memfdCreate(String name) throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment cname = arena.allocateFrom(name);
            int fd = (int) MemfdCreateCall.H.invokeExact(state, cname, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
            if (fd < 0 && errno(state) == EINVAL) {
                fd = (int) MemfdCreateCall.H.invokeExact(state, cname, MFD_CLOEXEC | MFD_ALLOW_SEALING);
            }
            if (fd < 0) {
                throw failure("memfd_create(" + name + ")", errno(state));
            }
            return fd;
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Seals the memfd against any further change, including adding or removing seals. */
    public static void sealAll(int fd) throws Stage1Exception {
        int seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) FcntlIntCall.H.invokeExact(state, fd, F_ADD_SEALS, seals) != 0) {
                throw failure("fcntl(F_ADD_SEALS)", errno(state));
            }
            int now = (int) FcntlIntCall.H.invokeExact(state, fd, F_GET_SEALS, 0);
            if (now < 0 || (now & seals) != seals) {
                throw new Stage1Exception(String.format(Locale.ROOT,
                        "memfd seals: expected 0x%x set, found 0x%x", seals, now));
            }
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The seals of {@code fd} (F_GET_SEALS). */
    public static int seals(int fd) throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int now = (int) FcntlIntCall.H.invokeExact(state, fd, F_GET_SEALS, 0);
            if (now < 0) {
                throw failure("fcntl(F_GET_SEALS)", errno(state));
            }
            return now;
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Writes all of {@code data} (a native segment) to {@code fd}, looping over short writes. */
    public static void writeFully(int fd, MemorySegment data, long length) throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long done = 0;
            while (done < length) {
                long n = (long) WriteCall.H.invokeExact(state, fd, data.asSlice(done), length - done);
                if (n < 0) {
                    int e = errno(state);
                    if (e == 4) { // EINTR
                        continue;
                    }
                    throw failure("write(memfd)", e);
                }
                done += n;
            }
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CloseCall.H.invokeExact(arena.allocate(CAPTURE), fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // --- exec ---------------------------------------------------------------------------------------

    static final int AT_EMPTY_PATH = 0x1000;
    static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    /**
     * Marks every descriptor from 3 up close-on-exec (close_range with CLOSE_RANGE_CLOEXEC, Linux
     * 5.11), so stage2 inherits only stdin, stdout and stderr. Closing them outright would pull files
     * from under the running JVM; close-on-exec drops them at the exec itself.
     */
    public static void cloexecFrom3() throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = (long) Syscall6Call.H.invokeExact(state, Syscall.CLOSE_RANGE.number(), 3L, 0xFFFFFFFFL,
                    (long) CLOSE_RANGE_CLOEXEC, 0L, 0L, 0L);
            if (r != 0) {
                throw failure("close_range(3, ~0, CLOSE_RANGE_CLOEXEC)", errno(state));
            }
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * execveat(fd, "", argv, envp, AT_EMPTY_PATH): runs the file the descriptor refers to, with no
     * path lookup at all. Returns only on failure.
     */
    public static Stage1Exception execveat(int fd, java.util.List<String> argv, java.util.List<String> envp) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment empty = arena.allocateFrom("");
            long r = (long) Syscall6Call.H.invokeExact(state, Syscall.EXECVEAT.number(), (long) fd, empty.address(),
                    stringArray(arena, argv).address(), stringArray(arena, envp).address(), (long) AT_EMPTY_PATH, 0L);
            return failure("execveat(memfd)", r < 0 ? errno(state) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static MemorySegment stringArray(Arena arena, java.util.List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    // --- PID 1 --------------------------------------------------------------------------------------

    // include/uapi/linux/mount.h
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    static final int EBUSY = 16;

    /** mount(2); an already-mounted target (EBUSY) counts as done. */
    public static void mount(String source, String target, String fsType, long flags, String data)
            throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            // A local, not a conditional in the call: that would be typed Object for invokeExact.
            MemorySegment options = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int r = (int) MountCall.H.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fsType), flags, options);
            if (r != 0 && errno(state) != EBUSY) {
                throw failure("mount(" + fsType + " on " + target + ")", errno(state));
            }
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int EEXIST = 17;

    /**
     * Loads a kernel module from a file (finit_module(2)); an already loaded module (EEXIST) is fine.
     *
     * @throws FinitModuleException the kernel refused the module (its errno says why; the caller
     *     decides whether the boot can go on without it)
     * @throws Stage1Exception the file cannot be opened
     */
    public static void finitModule(String path) throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OpenCall.H.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw failure("open(" + path + ")", errno(state));
            }
            try {
                long r = (long) Syscall6Call.H.invokeExact(state, Syscall.FINIT_MODULE.number(), (long) fd,
                        arena.allocateFrom("").address(), 0L, 0L, 0L, 0L);
                int e = errno(state);
                if (r != 0 && e != EEXIST) {
                    throw new FinitModuleException(path, e);
                }
            } finally {
                int ignored = (int) CloseCall.H.invokeExact(state, fd);
            }
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** finit_module(2) refused a module file; {@link #errno()} is the kernel's answer. */
    public static final class FinitModuleException extends Stage1Exception {
        private final String path;
        private final int errno;

        public FinitModuleException(String path, int errno) {
            super("finit_module(" + path + ") failed: " + Errno.describe(errno)
                    // The kernel answers ENOENT for a symbol no loaded module exports.
                    + (errno == 2 ? ": unknown symbol, a module it depends on is not loaded (list dependencies first)" : ""));
            this.path = path;
            this.errno = errno;
        }

        public String path() {
            return path;
        }

        public int errno() {
            return errno;
        }
    }

    public static void sync() {
        try (Arena arena = Arena.ofConfined()) {
            SyncCall.H.invokeExact(arena.allocate(CAPTURE));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** RB_POWER_OFF (include/uapi/linux/reboot.h LINUX_REBOOT_CMD_POWER_OFF). */
    static final int RB_POWER_OFF = 0x4321FEDC;

    /** Powers the machine off; returns only if the kernel refused. */
    public static Stage1Exception powerOff() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) RebootCall.H.invokeExact(state, RB_POWER_OFF);
            return failure("reboot(RB_POWER_OFF)", r == 0 ? 0 : errno(state));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // --- network ioctls -----------------------------------------------------------------------------

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;

    /** A datagram socket for interface ioctls (the kernel's SIOC* calls need any socket of the family). */
    public static int inetSocket() throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SocketCall.H.invokeExact(state, AF_INET, SOCK_DGRAM | O_CLOEXEC, 0);
            if (fd < 0) {
                throw failure("socket(AF_INET)", errno(state));
            }
            return fd;
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** ioctl(fd, request, arg) with a pointer argument. */
    public static void ioctl(int fd, long request, MemorySegment arg, String what) throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) IoctlPtrCall.H.invokeExact(state, fd, request, arg);
            if (r != 0) {
                throw failure(what, errno(state));
            }
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // --- DHCP socket ------------------------------------------------------------------------------

    // include/uapi/asm-generic/socket.h
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_BROADCAST = 6;
    static final int SO_RCVTIMEO = 20;
    static final int SO_BINDTODEVICE = 25;
    static final int EAGAIN = 11;

    /**
     * A UDP socket bound to 0.0.0.0:{@code port} on one interface (SO_BINDTODEVICE), allowed to
     * broadcast, with a receive timeout: what a DHCP client needs before the interface has an address
     * (the kernel then sends limited broadcasts out of that interface from 0.0.0.0).
     */
    public static int udpSocketOnDevice(String device, int port, int receiveTimeoutMillis) throws Stage1Exception {
        int fd = inetSocket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment one = arena.allocate(INT);
            one.set(INT, 0, 1);
            setsockopt(state, fd, SO_REUSEADDR, one, 4, "SO_REUSEADDR");
            setsockopt(state, fd, SO_BROADCAST, one, 4, "SO_BROADCAST");
            MemorySegment dev = arena.allocateFrom(device);
            setsockopt(state, fd, SO_BINDTODEVICE, dev, (int) dev.byteSize(), "SO_BINDTODEVICE(" + device + ")");
            MemorySegment tv = arena.allocate(16, 8); // struct timeval {long tv_sec; long tv_usec;}
            tv.set(LONG, 0, receiveTimeoutMillis / 1000L);
            tv.set(LONG, 8, (receiveTimeoutMillis % 1000L) * 1000L);
            setsockopt(state, fd, SO_RCVTIMEO, tv, 16, "SO_RCVTIMEO");
            MemorySegment addr = sockaddrIn(arena, new byte[4], port);
            if ((int) BindCall.H.invokeExact(state, fd, addr, 16) != 0) {
                throw failure("bind(0.0.0.0:" + port + " on " + device + ")", errno(state));
            }
            return fd;
        } catch (Stage1Exception e) {
            close(fd);
            throw e;
        } catch (Throwable t) {
            close(fd);
            throw unexpected(t);
        }
    }

    private static void setsockopt(MemorySegment state, int fd, int option, MemorySegment value, int length, String what)
            throws Throwable {
        if ((int) SetsockoptCall.H.invokeExact(state, fd, SOL_SOCKET, option, value, length) != 0) {
            throw failure("setsockopt(" + what + ")", errno(state));
        }
    }

    private static MemorySegment sockaddrIn(Arena arena, byte[] address, int port) {
        MemorySegment a = arena.allocate(16, 4);
        a.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        a.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >>> 8));
        a.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
        MemorySegment.copy(address, 0, a, ValueLayout.JAVA_BYTE, 4, 4);
        return a;
    }

    /** sendto(fd, data, address:port). */
    public static void sendTo(int fd, byte[] data, byte[] address, int port) throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
            MemorySegment to = sockaddrIn(arena, address, port);
            long n = (long) SendtoCall.H.invokeExact(state, fd, buf, (long) data.length, 0, to, 16);
            if (n != data.length) {
                throw failure("sendto(DHCP)", n < 0 ? errno(state) : 0);
            }
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** One datagram, or null when the receive timeout passed. */
    public static byte[] receive(int fd, int maxBytes) throws Stage1Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(maxBytes);
            long n = (long) RecvCall.H.invokeExact(state, fd, buf, (long) maxBytes, 0);
            if (n < 0) {
                int e = errno(state);
                if (e == EAGAIN || e == 4) {
                    return null;
                }
                throw failure("recv(DHCP)", e);
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (Stage1Exception e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
