package io.cvmboot.builder.build;

import io.cvmboot.builder.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output directory that appears all at once: artefacts are written into a hidden sibling
 * directory, which {@link #commit()} renames to the target. Closing without committing removes
 * the partial output, so a failed build never leaves half-written artefacts behind.
 */
public final class OutputDirectory implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final boolean replace;
    private boolean committed;

    private OutputDirectory(Path target, Path staging, boolean replace) {
        this.target = target;
        this.staging = staging;
        this.replace = replace;
    }

    /**
     * Prepares to write {@code target}. Refuses an existing target unless {@code force}, in which
     * case the old directory is replaced only on {@link #commit()}.
     */
    public static OutputDirectory create(Path target, boolean force) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new FileAlreadyExistsException(absolute.toString(), null,
                    "output directory exists (use --force to replace it)");
        }
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".partial-");
        return new OutputDirectory(absolute, staging, force);
    }

    /** Where to write artefacts before the commit. */
    public Path staging() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /** Moves the staged artefacts into place. */
    public void commit() throws IOException {
        if (replace && Files.exists(target)) {
            FileTrees.delete(target);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            FileTrees.delete(staging);
        }
    }
}
