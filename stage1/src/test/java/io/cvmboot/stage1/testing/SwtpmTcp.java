package io.cvmboot.stage1.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh swtpm on loopback TCP for one test (started, not needing init). The builder module has a
 * fuller launcher; stage1 cannot depend on the builder, so this is the few lines it needs.
 */
public final class SwtpmTcp implements AutoCloseable {
    private final Process process;
    private final int port;

    private SwtpmTcp(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "swtpm"))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the test when swtpm is absent. With {@code manufacture}, swtpm_setup creates EK certificates first. */
    public static SwtpmTcp start(Path stateDir, boolean manufacture) throws IOException, InterruptedException {
        Assumptions.assumeTrue(available(), "swtpm not on PATH (Debian: apt-get install swtpm swtpm-tools)");
        Files.createDirectories(stateDir);
        if (manufacture) {
            Process setup = new ProcessBuilder("swtpm_setup", "--tpm2", "--tpmstate", stateDir.toString(),
                    "--create-ek-cert", "--create-platform-cert", "--overwrite")
                    .redirectErrorStream(true).redirectOutput(stateDir.resolve("setup.log").toFile()).start();
            if (setup.waitFor() != 0) {
                throw new IOException("swtpm_setup failed: " + Files.readString(stateDir.resolve("setup.log")));
            }
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePortPair();
            Process p = new ProcessBuilder(List.of("swtpm", "socket", "--tpm2",
                    "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
                    "--ctrl", "type=tcp,port=" + (port + 1) + ",bindaddr=127.0.0.1",
                    "--flags", "not-need-init,startup-clear", "--tpmstate", "dir=" + stateDir))
                    .redirectErrorStream(true).redirectOutput(stateDir.resolve("swtpm.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new SwtpmTcp(p, port);
                } catch (IOException notYet) {
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly();
        }
        throw new IOException("swtpm did not start on a loopback port");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static int freePortPair() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // next pair
            }
        }
        throw new IOException("no free loopback port pair");
    }
}
