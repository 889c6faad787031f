package io.cvmboot.builder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Recursive delete and copy of scratch directories (staging output, QEMU and boot work trees). */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes {@code dir} and everything below it; a missing directory is fine. Links are not followed. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** As {@link #delete}, for scratch directories under the system temp: what cannot be removed stays. */
    public static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException e) {
            // best effort
        }
    }

    /** Copies the tree {@code from} to {@code to} (which must not exist yet). */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
