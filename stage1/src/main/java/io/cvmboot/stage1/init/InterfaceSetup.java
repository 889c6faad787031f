package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.exec.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;

/**
 * Static IPv4 set-up with the classic interface ioctls (netdevice(7), route(4)): address, netmask,
 * link up, default route. No netlink code and no DHCP client: the address comes from the initrd.
 */
final class InterfaceSetup {
    // include/uapi/linux/sockios.h
    static final long SIOCADDRT = 0x890B;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCSIFADDR = 0x8916;
    static final long SIOCSIFNETMASK = 0x891C;
    // include/uapi/linux/if.h
    static final short IFF_UP = 0x1;
    // include/uapi/linux/route.h
    static final short RTF_UP = 0x1;
    static final short RTF_GATEWAY = 0x2;
    /** struct ifreq: char ifr_name[16] + a 24-byte union (struct ifmap is the largest member). */
    static final int IFREQ_SIZE = 40;
    /** struct rtentry on LP64 (x86_64, aarch64). */
    static final int RTENTRY_SIZE = 120;
    static final int RT_DST = 8;
    static final int RT_GATEWAY = 24;
    static final int RT_GENMASK = 40;
    static final int RT_FLAGS = 56;

    private InterfaceSetup() {}

    static void up(String name) throws Stage1Exception {
        int sock = Native.inetSocket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = ifreq(arena, name);
            Native.ioctl(sock, SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS(" + name + ")");
            short flags = ifr.get(ValueLayout.JAVA_SHORT, 16);
            ifr.set(ValueLayout.JAVA_SHORT, 16, (short) (flags | IFF_UP));
            Native.ioctl(sock, SIOCSIFFLAGS, ifr, "SIOCSIFFLAGS(" + name + ", up)");
        } finally {
            Native.close(sock);
        }
    }

    static void configure(String name, Inet4Address address, byte[] netmask) throws Stage1Exception {
        int sock = Native.inetSocket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = ifreq(arena, name);
            sockaddrIn(ifr, 16, address.getAddress());
            Native.ioctl(sock, SIOCSIFADDR, ifr, "SIOCSIFADDR(" + name + ", " + address.getHostAddress() + ")");
            MemorySegment mask = ifreq(arena, name);
            sockaddrIn(mask, 16, netmask);
            Native.ioctl(sock, SIOCSIFNETMASK, mask, "SIOCSIFNETMASK(" + name + ")");
        } finally {
            Native.close(sock);
        }
        up(name);
    }

    static void defaultRoute(Inet4Address gateway) throws Stage1Exception {
        int sock = Native.inetSocket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rt = arena.allocate(RTENTRY_SIZE, 8);
            sockaddrIn(rt, RT_DST, new byte[4]);
            sockaddrIn(rt, RT_GATEWAY, gateway.getAddress());
            sockaddrIn(rt, RT_GENMASK, new byte[4]);
            rt.set(ValueLayout.JAVA_SHORT, RT_FLAGS, (short) (RTF_UP | RTF_GATEWAY));
            Native.ioctl(sock, SIOCADDRT, rt, "SIOCADDRT(default via " + gateway.getHostAddress() + ")");
        } finally {
            Native.close(sock);
        }
    }

    private static MemorySegment ifreq(Arena arena, String name) throws Stage1Exception {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length >= 16) {
            throw new Stage1Exception("interface name '" + name + "' longer than IFNAMSIZ-1 (15)");
        }
        MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8);
        MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
        return ifr;
    }

    /** struct sockaddr_in: family (host order), port 0, address (network order), zero padding. */
    private static void sockaddrIn(MemorySegment s, long offset, byte[] address) {
        s.set(ValueLayout.JAVA_SHORT, offset, (short) 2); // AF_INET
        MemorySegment.copy(address, 0, s, ValueLayout.JAVA_BYTE, offset + 4, 4);
    }
}
