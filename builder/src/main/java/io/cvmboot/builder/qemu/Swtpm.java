package io.cvmboot.builder.qemu;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A software TPM 2.0 (swtpm) for a guest or for tests: either listening on a UNIX control socket
 * for QEMU's {@code -tpmdev emulator}, or on two loopback TCP ports (command and control) for
 * clients that speak the TPM command protocol directly.
 */
public final class Swtpm implements AutoCloseable {
    public static final String BINARY = "swtpm";

    private final Process process;
    private final Path stateDir;
    private final Path socket;
    private final int port;

    private Swtpm(Process process, Path stateDir, Path socket, int port) {
        this.process = process;
        this.stateDir = stateDir;
        this.socket = socket;
        this.port = port;
    }

    public static boolean available() {
        return Tools.onPath(BINARY);
    }

    /**
     * Starts a TPM for QEMU, its state in {@code stateDir}. QEMU's firmware sends TPM2_Startup, so
     * the TPM is not started here.
     */
    public static Swtpm start(Path stateDir) throws QemuException, IOException, InterruptedException {
        return start(stateDir, false);
    }

    /**
     * As {@link #start(Path)}; with {@code manufacture}, first runs {@code swtpm_setup} so that the
     * TPM has EK certificates in NV (as a cloud vTPM has).
     */
    public static Swtpm start(Path stateDir, boolean manufacture)
            throws QemuException, IOException, InterruptedException {
        requireBinary();
        Files.createDirectories(stateDir);
        if (manufacture) {
            manufacture(stateDir);
        }
        Path socket = stateDir.resolve("swtpm.sock");
        Files.deleteIfExists(socket);
        Process p = new ProcessBuilder(BINARY, "socket", "--tpm2",
                        "--tpmstate", "dir=" + stateDir,
                        "--ctrl", "type=unixio,path=" + socket,
                        "--log", "file=" + stateDir.resolve("swtpm.log") + ",level=1")
                .redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("swtpm.out").toFile())
                .start();
        waitFor(() -> Files.exists(socket), p, "control socket " + socket);
        return new Swtpm(p, stateDir, socket, -1);
    }

    /**
     * Starts a TPM on loopback TCP: commands on {@link #port()}, control on port + 1, already
     * initialised and started (TPM2_Startup(CLEAR)).
     */
    public static Swtpm startTcp(Path stateDir) throws QemuException, IOException, InterruptedException {
        requireBinary();
        Files.createDirectories(stateDir);
        QemuException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePortPair();
            Process p = new ProcessBuilder(BINARY, "socket", "--tpm2",
                            "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
                            "--ctrl", "type=tcp,port=" + (port + 1) + ",bindaddr=127.0.0.1",
                            "--flags", "not-need-init,startup-clear",
                            "--tpmstate", "dir=" + stateDir)
                    .redirectErrorStream(true)
                    .redirectOutput(stateDir.resolve("swtpm.out").toFile())
                    .start();
            try {
                waitFor(() -> canConnect(port), p, "TCP port " + port);
                return new Swtpm(p, stateDir, null, port);
            } catch (QemuException e) {
                p.destroyForcibly();
                last = e;
            }
        }
        throw last;
    }

    private static void manufacture(Path stateDir) throws QemuException, IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("swtpm_setup", "--tpm2", "--tpmstate", stateDir.toString(),
                "--create-ek-cert", "--create-platform-cert", "--overwrite"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new QemuException("swtpm_setup failed for " + stateDir + ": " + out.strip());
        }
    }

    /** The control socket for QEMU, or null for a TCP TPM. */
    public Path socket() {
        return socket;
    }

    /** The TCP command port, or -1 for a socket TPM. */
    public int port() {
        return port;
    }

    public Path stateDir() {
        return stateDir;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static void requireBinary() throws QemuException {
        if (!available()) {
            throw new QemuException(BINARY + " not found on the PATH (Debian: apt-get install swtpm swtpm-tools)");
        }
    }

    private interface Check {
        boolean ok();
    }

    private static void waitFor(Check check, Process p, String what) throws QemuException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            if (!p.isAlive()) {
                throw new QemuException("swtpm exited with " + p.exitValue() + " before its " + what + " was ready");
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new QemuException("swtpm did not open its " + what + " within 10 s");
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePortPair() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port < 65535) {
                try (ServerSocket next = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IOException("no free pair of loopback ports for swtpm");
    }
}
