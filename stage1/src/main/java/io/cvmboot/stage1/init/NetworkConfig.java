package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Stage1Exception;
import java.io.IOException;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * How PID 1 brings up the machine, read from {@code /stage1/init.properties} in the initrd (and so
 * covered by the initrd's measurement):
 *
 * <pre>
 * modules=/lib/modules/cvmboot/virtio.ko,...,optional:/lib/modules/cvmboot/ena.ko
 *                         (loaded in this order; the key is optional; entries marked optional: may be
 *                          skipped when their hardware is absent, see ModuleFailurePolicy)
 * interface=eth0          (optional; default: the first non-loopback interface that appears)
 * address=10.0.2.15/24    (static IPv4 address and prefix, or "dhcp": lease from the network)
 * gateway=10.0.2.2        (default route; optional; with dhcp: from the lease)
 * dns=10.0.2.3            (written to /etc/resolv.conf; optional; with dhcp: from the lease)
 * </pre>
 *
 * Without the file, the interface is configured for QEMU user networking: 10.0.2.15/24 via 10.0.2.2, DNS 10.0.2.3.
 *
 * @param modules kernel module files, in load order
 * @param interfaceName the interface to configure, or null for the first one that appears
 * @param address the IPv4 address, or null for DHCP
 * @param prefixLength its prefix length (ignored for DHCP)
 * @param gateway the default gateway, or null
 * @param dns name servers for /etc/resolv.conf
 */
public record NetworkConfig(List<ModuleEntry> modules, String interfaceName, Inet4Address address, int prefixLength,
        Inet4Address gateway, List<Inet4Address> dns) {
    public static final Path DEFAULT_PATH = Path.of("/stage1/init.properties");
    private static final Set<String> KEYS = Set.of("modules", "interface", "address", "gateway", "dns");

    public NetworkConfig {
        modules = List.copyOf(modules);
        dns = List.copyOf(dns);
        if (address != null && (prefixLength < 1 || prefixLength > 32)) {
            throw new IllegalArgumentException("prefix length must be 1..32");
        }
    }

    /** The address comes from a DHCP server (clouds). */
    public boolean dhcp() {
        return address == null;
    }

    /** QEMU user networking (slirp) defaults: guest 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3. */
    public static NetworkConfig qemuUserDefaults() {
        try {
            return new NetworkConfig(List.of(), null, ipv4("10.0.2.15"), 24, ipv4("10.0.2.2"), List.of(ipv4("10.0.2.3")));
        } catch (Stage1Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static NetworkConfig load(Path file) throws Stage1Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return qemuUserDefaults();
        } catch (IOException e) {
            throw new Stage1Exception("init config " + file + " could not be read: " + e.getMessage(), e);
        }
        return parse(p, file.toString());
    }

    static NetworkConfig parse(Properties p, String source) throws Stage1Exception {
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new Stage1Exception("init config " + source + ": expected keys " + KEYS + ", found '" + key + "'");
            }
        }
        String address = p.getProperty("address", "10.0.2.15/24").strip();
        String iface = p.getProperty("interface");
        if (address.equals("dhcp")) {
            return new NetworkConfig(modules(p, source), iface == null || iface.isBlank() ? null
                    : iface.strip(), null, 0, null, List.of());
        }
        int slash = address.indexOf('/');
        if (slash < 0) {
            throw new Stage1Exception("init config " + source + ": expected address=A.B.C.D/PREFIX, found '" + address + "'");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(address.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new Stage1Exception("init config " + source + ": bad prefix length in '" + address + "'", e);
        }
        if (prefix < 1 || prefix > 32) {
            throw new Stage1Exception("init config " + source + ": prefix length must be 1..32, found " + prefix);
        }
        String gateway = p.getProperty("gateway");
        List<Inet4Address> dns = new ArrayList<>();
        for (String d : split(p.getProperty("dns", ""))) {
            dns.add(ipv4(d));
        }
        return new NetworkConfig(modules(p, source), iface == null || iface.isBlank() ? null : iface.strip(),
                ipv4(address.substring(0, slash)), prefix, gateway == null ? null : ipv4(gateway.strip()), dns);
    }

    private static List<ModuleEntry> modules(Properties p, String source) throws Stage1Exception {
        List<ModuleEntry> out = new ArrayList<>();
        for (String entry : split(p.getProperty("modules", ""))) {
            out.add(ModuleEntry.parse(entry, source));
        }
        return out;
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** Parses a dotted-quad literal only: never a name lookup. */
    static Inet4Address ipv4(String literal) throws Stage1Exception {
        if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new Stage1Exception("expected an IPv4 address A.B.C.D, found '" + literal + "'");
        }
        try {
            byte[] b = new byte[4];
            String[] parts = literal.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    throw new Stage1Exception("expected an IPv4 address, found '" + literal + "'");
                }
                b[i] = (byte) v;
            }
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new Stage1Exception("expected an IPv4 address, found '" + literal + "'", e);
        }
    }

    /** The netmask bytes of the prefix length. */
    public byte[] netmask() {
        return netmask(prefixLength);
    }

    static byte[] netmask(int prefixLength) {
        int mask = prefixLength == 32 ? -1 : ~(-1 >>> prefixLength);
        return new byte[] {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    }
}
