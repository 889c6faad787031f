package io.cvmboot.initrd;

import io.cvmboot.measure.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * A complete initrd: one or more segments written back to back, as the kernel unpacks them
 * (init/initramfs.c: zero padding, uncompressed newc, or a compressed stream, in any sequence).
 * Use an uncompressed first segment for early microcode (arch/x86/kernel/cpu/microcode reads it
 * with lib/earlycpio.c, which cannot decompress).
 */
public record InitrdImage(List<Segment> segments, NewcOptions options) {
    /** Segments start 4-byte aligned, as ukify's join_initrds and the kernel's header parser expect. */
    static final int SEGMENT_ALIGNMENT = 4;
    private static final int BUFFER = 256 * 1024;

    public InitrdImage {
        segments = List.copyOf(segments);
        Objects.requireNonNull(options, "options");
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("an initrd needs at least one segment");
        }
        for (int i = 0; i < segments.size() - 1; i++) {
            if (segments.get(i).compression() == Compression.LZ4) {
                // The legacy lz4 frame has no end marker: anything after it would be read as a block.
                throw new IllegalArgumentException("an lz4 segment must be the last one (segment " + i
                        + " of " + segments.size() + ")");
            }
        }
    }

    public static InitrdImage of(CpioArchive archive, Compression compression) {
        return new InitrdImage(List.of(Segment.of(archive, compression)), NewcOptions.DEFAULT);
    }

    /** Writes the initrd to {@code out} (left open) and returns its size and SHA-256. */
    public WriteResult write(OutputStream out) throws IOException, ArtefactInputException {
        MessageDigest sha256 = Digest.HashAlgorithm.SHA256.newMessageDigest();
        var counting = new CountingOutputStream(new DigestOutputStream(out, sha256));
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (i > 0) {
                counting.padTo(SEGMENT_ALIGNMENT);
            }
            try (OutputStream buffered = new BufferedOutputStream(s.compression().wrap(counting, s.level()), BUFFER)) {
                NewcWriter.write(s.archive(), options, buffered);
            }
        }
        counting.flush();
        return new WriteResult(counting.count(), Digest.of(Digest.HashAlgorithm.SHA256, sha256.digest()));
    }

    /**
     * Writes the initrd to {@code target} through a temporary file in the same directory, renamed
     * into place only when complete: a failed write leaves no partial file. The file gets mode
     * 0644 whatever the umask.
     */
    public WriteResult write(Path target) throws IOException, ArtefactInputException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            WriteResult result;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                result = write(out);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return result;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Counts bytes and pads; every write goes through here so the count is exact. */
    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        void padTo(int alignment) throws IOException {
            while (count % alignment != 0) {
                write(0);
            }
        }

        long count() {
            return count;
        }
    }
}
