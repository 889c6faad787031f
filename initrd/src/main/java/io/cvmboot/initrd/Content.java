package io.cvmboot.initrd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data of a regular file entry: bytes held in memory, or a file on the host streamed when the
 * archive is written (a stage1 runtime is tens of MB, no need to hold it).
 */
public sealed interface Content permits Content.InMemory, Content.HostFile {

    /** Largest file a newc header can describe: the filesize field is 8 hex digits. */
    long MAX_SIZE = 0xFFFF_FFFFL;

    Content EMPTY = new InMemory(new byte[0]);

    long size();

    /** Writes exactly {@link #size()} bytes, or fails. */
    void writeTo(OutputStream out) throws IOException, ArtefactInputException;

    static Content ofBytes(byte[] data) {
        return new InMemory(data.clone());
    }

    /**
     * A host file, whose size is read now and checked again while it is streamed: a file that
     * changes in between fails the write rather than producing a corrupt archive.
     */
    static Content ofFile(Path file) throws IOException, ArtefactInputException {
        if (!Files.isRegularFile(file)) {
            if (!Files.exists(file)) {
                throw new ArtefactInputException("source file " + file + " does not exist");
            }
            throw new ArtefactInputException("source file " + file + " is not a regular file");
        }
        long size = Files.size(file);
        if (size > MAX_SIZE) {
            throw new ArtefactInputException("source file " + file + " has " + size
                    + " bytes; newc holds at most " + MAX_SIZE + " (32-bit filesize field)");
        }
        return new HostFile(file, size);
    }

    /** Bytes in memory; never exposes its array. */
    final class InMemory implements Content {
        private final byte[] data;

        private InMemory(byte[] data) {
            this.data = data;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(data);
        }

        /** A copy of the bytes. */
        public byte[] bytes() {
            return data.clone();
        }
    }

    /** A host file streamed at write time. */
    record HostFile(Path file, long size) implements Content {
        public HostFile {
            if (size < 0 || size > MAX_SIZE) {
                throw new IllegalArgumentException("file size out of newc range: " + size);
            }
        }

        @Override
        public void writeTo(OutputStream out) throws IOException, ArtefactInputException {
            long copied;
            try (InputStream in = Files.newInputStream(file)) {
                copied = in.transferTo(out);
            }
            if (copied != size) {
                throw new ArtefactInputException("source file " + file + " changed while the initrd was written: "
                        + "expected " + size + " bytes, read " + copied);
            }
        }
    }
}
