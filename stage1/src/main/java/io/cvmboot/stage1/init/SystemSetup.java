package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.exec.Native;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What PID 1 does before stage1's real work: the pseudo file systems, kernel modules, one-way
 * hardening sysctls, loopback and a static IPv4 interface.
 */
public final class SystemSetup {
    private final Log log;

    public SystemSetup(Log log) {
        this.log = log;
    }

    public void run(NetworkConfig net) throws Stage1Exception, InterruptedException {
        mounts();
        new ModuleLoader(log).loadAll(net.modules());
        hardening();
        InterfaceSetup.up("lo");
        String iface = net.interfaceName() != null ? net.interfaceName() : waitForInterface();
        waitFor(iface);
        if (net.dhcp()) {
            InterfaceSetup.up(iface);
            DhcpLease lease = new DhcpClient(log).lease(iface);
            net = new NetworkConfig(net.modules(), iface, lease.address(), lease.prefixLength(), lease.gateway(), lease.dns());
        }
        InterfaceSetup.configure(iface, net.address(), net.netmask());
        if (net.gateway() != null) {
            InterfaceSetup.defaultRoute(net.gateway());
        }
        if (!net.dns().isEmpty()) {
            StringBuilder resolv = new StringBuilder();
            for (Inet4Address d : net.dns()) {
                resolv.append("nameserver ").append(d.getHostAddress()).append('\n');
            }
            write(Path.of("/etc/resolv.conf"), resolv.toString());
        }
        log.line("network: " + iface + " " + net.address().getHostAddress() + "/" + net.prefixLength()
                + (net.gateway() != null ? " via " + net.gateway().getHostAddress() : ""));
    }

    private void mounts() throws Stage1Exception {
        mkdirs("/proc", "/sys", "/dev", "/tmp", "/etc");
        Native.mount("proc", "/proc", "proc", Native.MS_NOSUID | Native.MS_NODEV | Native.MS_NOEXEC, null);
        Native.mount("sysfs", "/sys", "sysfs", Native.MS_NOSUID | Native.MS_NODEV | Native.MS_NOEXEC, null);
        Native.mount("devtmpfs", "/dev", "devtmpfs", Native.MS_NOSUID, "mode=0755");
        Native.mount("securityfs", "/sys/kernel/security", "securityfs",
                Native.MS_NOSUID | Native.MS_NODEV | Native.MS_NOEXEC, null);
        // /tmp is root-only: nothing but stage1 and stage2 (root) has any business there.
        Native.mount("tmpfs", "/tmp", "tmpfs", Native.MS_NOSUID | Native.MS_NODEV, "mode=0700");
        log.line("mounted /proc /sys /dev /sys/kernel/security /tmp");
    }

    /**
     * One-way switches, as the stage1 this follows set them from its shell init: no further kernel
     * modules, no kexec, no unprivileged BPF or user namespaces, symlink/hardlink protections.
     */
    private void hardening() {
        String[][] sysctls = {
                {"kernel/modules_disabled", "1"},
                {"kernel/kexec_load_disabled", "1"},
                {"kernel/unprivileged_bpf_disabled", "1"},
                {"user/max_user_namespaces", "0"},
                {"fs/protected_symlinks", "1"},
                {"fs/protected_hardlinks", "1"},
                {"fs/protected_regular", "2"},
        };
        for (String[] s : sysctls) {
            try {
                write(Path.of("/proc/sys", s[0]), s[1]);
            } catch (Stage1Exception e) {
                log.line("sysctl " + s[0] + " not set: " + e.getMessage());
            }
        }
    }

    /** The first non-loopback interface; NIC drivers probe asynchronously after their module loads. */
    private String waitForInterface() throws Stage1Exception, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
                List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("lo")).sorted().toList();
                if (!names.isEmpty()) {
                    return names.getFirst();
                }
            } catch (IOException e) {
                throw new Stage1Exception("cannot list /sys/class/net: " + e.getMessage(), e);
            }
            Thread.sleep(20);
        }
        throw new Stage1Exception("no network interface appeared within 10 s (NIC driver module missing from init.properties?)");
    }

    private static void waitFor(String iface) throws Stage1Exception, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(Path.of("/sys/class/net", iface))) {
            if (System.nanoTime() > deadline) {
                throw new Stage1Exception("network interface " + iface + " did not appear within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static void mkdirs(String... dirs) throws Stage1Exception {
        for (String d : dirs) {
            try {
                Files.createDirectories(Path.of(d));
            } catch (IOException e) {
                throw new Stage1Exception("cannot create " + d + ": " + e.getMessage(), e);
            }
        }
    }

    private static void write(Path file, String content) throws Stage1Exception {
        try {
            Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new Stage1Exception("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
