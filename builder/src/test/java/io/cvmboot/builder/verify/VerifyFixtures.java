package io.cvmboot.builder.verify;

import io.cvmboot.builder.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test resources of this package (see README.md beside them) and a CLI runner. */
public final class VerifyFixtures {
    private VerifyFixtures() {}

    public static byte[] bytes(String name) {
        try (InputStream in = VerifyFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies resource {@code name} into {@code dir} and returns its path as a string. */
    public static String file(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes(name));
        return p.toString();
    }

    /** The result of one CLI run. */
    public record Run(int exitCode, String out, String err) {}

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }
}
