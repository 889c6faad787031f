package io.cvmboot.initrd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Runs the independent reference tools (GNU cpio, gzip, xz, zstd, lz4) the tests compare against. */
final class ExternalTools {
    private ExternalTools() {}

    /** Skips the calling test when {@code tool} is not on PATH. */
    static void assume(String tool) {
        Assumptions.assumeTrue(onPath(tool), tool + " not found on PATH: install it (CI's .ci/run does) to run this test");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code sh -c script} in {@code dir} with {@code stdin}, returns stdout; fails on a non-zero exit. */
    static byte[] sh(Path dir, String script, byte[] stdin) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(List.of("sh", "-c", script)).directory(dir.toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        var err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        Thread writer = Thread.ofVirtual().start(() -> {
            try (var os = p.getOutputStream()) {
                if (stdin != null) {
                    os.write(stdin);
                }
            } catch (IOException ignored) {
                // the tool may exit before reading all input; its exit code tells
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        writer.join();
        errReader.join();
        if (rc != 0) {
            throw new IOException("'" + script + "' exited " + rc + ": " + err.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // stderr is only for the failure message
        }
    }
}
