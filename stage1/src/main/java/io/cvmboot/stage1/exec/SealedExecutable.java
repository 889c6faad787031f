package io.cvmboot.stage1.exec;

import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.net.ByteSink;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * stage2 held in an anonymous memory file (memfd) that is written once, sealed, and executed by
 * descriptor. There is no path another process could replace between the digest check and the
 * exec, and after sealing not even this process can change the bytes: what was hashed is what runs.
 */
public final class SealedExecutable implements AutoCloseable {
    private static final int STAGING_BYTES = 256 * 1024;

    private final int fd;
    // Shared: the download pipeline writes from its hashing thread.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment staging = arena.allocate(STAGING_BYTES);
    private boolean sealed;
    private boolean closed;

    private SealedExecutable(int fd) {
        this.fd = fd;
    }

    public static SealedExecutable create(String name) throws Stage1Exception {
        return new SealedExecutable(Native.memfdCreate(name));
    }

    /** A sink that appends to the memfd; refuses once sealed. */
    public ByteSink sink() {
        return (buffer, offset, length) -> {
            if (sealed) {
                throw new IOException("stage2 memfd is sealed");
            }
            int done = 0;
            while (done < length) {
                int n = Math.min(STAGING_BYTES, length - done);
                MemorySegment.copy(buffer, offset + done, staging, ValueLayout.JAVA_BYTE, 0, n);
                try {
                    Native.writeFully(fd, staging, n);
                } catch (Stage1Exception e) {
                    throw new IOException(e.getMessage(), e);
                }
                done += n;
            }
        };
    }

    /** Adds F_SEAL_SEAL | SHRINK | GROW | WRITE and checks they are set. */
    public void seal() throws Stage1Exception {
        Native.sealAll(fd);
        sealed = true;
    }

    public boolean sealed() {
        return sealed;
    }

    public int fd() {
        return fd;
    }

    /**
     * Copies the sealed bytes to {@code target} (mode 0755), for stage2s that expect
     * {@code /tmp/stage2.exe}. The copy is only a courtesy; it is never what gets executed. Refuses
     * an existing file or symlink at the path.
     */
    public void copyTo(Path target) throws Stage1Exception {
        if (!sealed) {
            throw new IllegalStateException("copy only sealed contents");
        }
        Path source = Path.of("/proc/self/fd/" + fd);
        try {
            Files.deleteIfExists(target.resolveSibling(target.getFileName() + ".partial"));
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            try (var out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwx------"));
                Files.copy(source, out);
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(partial);
                throw new Stage1Exception(target + " already exists; refusing to replace it");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new Stage1Exception("could not write the compatibility copy " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Execs the sealed memfd with {@code argv} and {@code envp}, after marking every descriptor but
     * 0-2 close-on-exec. Returns only by throwing.
     */
    public Stage1Exception exec(List<String> argv, List<String> envp) throws Stage1Exception {
        if (!sealed) {
            throw new IllegalStateException("only a sealed memfd is executed");
        }
        Native.cloexecFrom3();
        return Native.execveat(fd, argv, envp);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.close(fd);
            arena.close();
        }
    }
}
