package io.cvmboot.stage1.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DHCP client against busybox udhcpd (an independent server) across a veth pair between two
 * network namespaces, so the host's own network is not touched. Needs root, iproute2 and busybox.
 */
class DhcpClientTest {
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Test
    void lease_fromBusyboxUdhcpd(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "iproute2 absent");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "busybox absent (Debian: busybox-static)");
        String tag = Long.toString(ProcessHandle.current().pid() % 100000);
        String srv = "cvmb-dhs-" + tag;
        String cli = "cvmb-dhc-" + tag;
        String srvIf = "dhs" + tag;
        String cliIf = "dhc" + tag;
        List<Process> started = new ArrayList<>();
        try {
            run("ip", "netns", "add", srv);
            run("ip", "netns", "add", cli);
            run("ip", "link", "add", srvIf, "type", "veth", "peer", "name", cliIf);
            run("ip", "link", "set", srvIf, "netns", srv);
            run("ip", "link", "set", cliIf, "netns", cli);
            run("ip", "-n", srv, "addr", "add", "10.99.0.1/24", "dev", srvIf);
            run("ip", "-n", srv, "link", "set", srvIf, "up");
            run("ip", "-n", cli, "link", "set", cliIf, "up");
            Path conf = Files.writeString(dir.resolve("udhcpd.conf"), String.join("\n",
                    "start 10.99.0.20", "end 10.99.0.30", "interface " + srvIf,
                    "lease_file " + dir.resolve("leases"), "pidfile " + dir.resolve("udhcpd.pid"),
                    "option subnet 255.255.255.0", "option router 10.99.0.1", "option dns 10.99.0.53 10.99.0.54", ""));
            Files.createFile(dir.resolve("leases"));
            started.add(new ProcessBuilder("ip", "netns", "exec", srv, "/bin/busybox", "udhcpd", "-f", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("udhcpd.log").toFile()).start());
            Thread.sleep(300);
            Process probe = new ProcessBuilder("ip", "netns", "exec", cli,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "io.cvmboot.stage1.init.DhcpProbe", cliIf)
                    .redirectError(dir.resolve("probe.err").toFile()).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
            String err = Files.readString(dir.resolve("probe.err")) + "\nudhcpd:\n" + Files.readString(dir.resolve("udhcpd.log"));
            assertEquals(0, probe.exitValue(), err);
            assertTrue(out.matches("(?s)address=10\\.99\\.0\\.(2\\d|30)/24\n.*"), out + err);
            assertTrue(out.contains("gateway=10.99.0.1\n"), out);
            assertTrue(out.contains("dns=[10.99.0.53, 10.99.0.54]\n"), out);
            assertTrue(out.contains("server=10.99.0.1\n"), out);
        } finally {
            for (Process p : started) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            new ProcessBuilder("ip", "netns", "del", srv).start().waitFor();
            new ProcessBuilder("ip", "netns", "del", cli).start().waitFor();
        }
    }
}
