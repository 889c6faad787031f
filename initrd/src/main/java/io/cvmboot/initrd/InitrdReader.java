package io.cvmboot.initrd;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.tukaani.xz.SingleXZInputStream;

/**
 * Reads any initrd the kernel could unpack into a {@link InitrdListing}: a sequence of zero
 * padding, uncompressed newc archives and compressed streams (gzip, xz, zstd, lz4 legacy), as
 * init/initramfs.c {@code unpack_to_rootfs} walks it. The whole file is held in memory; file data
 * inside it is only hashed.
 */
public final class InitrdReader {
    private static final int GZIP_TRAILER = 8;

    private final byte[] data;
    private final String input;

    private InitrdReader(byte[] data, String input) {
        this.data = data;
        this.input = input;
    }

    public static InitrdListing read(Path file) throws IOException, ArtefactInputException {
        return read(Files.readAllBytes(file), "initrd " + file);
    }

    /** @param input names the bytes for error messages */
    public static InitrdListing read(byte[] data, String input) throws IOException, ArtefactInputException {
        return new InitrdReader(data, input).readSegments();
    }

    private InitrdListing readSegments() throws IOException, ArtefactInputException {
        List<ListedSegment> segments = new ArrayList<>();
        int pos = 0;
        while (true) {
            while (pos < data.length && data[pos] == 0) {
                pos++;
            }
            if (pos >= data.length) {
                break;
            }
            ListedSegment s = readSegment(pos);
            segments.add(s);
            pos = Math.toIntExact(s.offset() + s.length());
        }
        if (segments.isEmpty()) {
            throw new ArtefactInputException(input + ": expected at least one cpio archive, found "
                    + (data.length == 0 ? "an empty file" : "only zero bytes"));
        }
        return new InitrdListing(segments);
    }

    private ListedSegment readSegment(int pos) throws IOException, ArtefactInputException {
        int b0 = data[pos] & 0xFF;
        int b1 = pos + 1 < data.length ? data[pos + 1] & 0xFF : -1;
        String where = input + " segment at offset " + pos;
        if (b0 == '0' && b1 == '7') {
            if (pos % 4 != 0) {
                throw new ArtefactInputException(where + ": a newc archive must start 4-byte aligned");
            }
            var reader = new NewcReader(new ByteArrayInputStream(data, pos, data.length - pos), input, pos);
            List<ListedEntry> entries = new ArrayList<>();
            reader.readArchive(entries);
            return new ListedSegment(pos, reader.position(), Compression.NONE, entries);
        }
        // Magic numbers as lib/decompress.c compressed_formats[] lists them.
        if (b0 == 0x1F && b1 == 0x8B) {
            return readGzip(pos, where);
        }
        if (b0 == 0xFD && b1 == 0x37) {
            return readXz(pos, where);
        }
        if (b0 == 0x28 && b1 == 0xB5) {
            return readZstd(pos, where);
        }
        if (b0 == 0x02 && b1 == 0x21) {
            return readLz4(pos, where);
        }
        String name = b0 == 0x42 && b1 == 0x5A ? "bzip2" : b0 == 0x5D && b1 == 0x00 ? "lzma"
                : b0 == 0x89 && b1 == 0x4C ? "lzo" : b0 == 0x1F && b1 == 0x9E ? "old gzip" : null;
        throw new ArtefactInputException(where + ": " + (name != null
                ? name + " compression is not supported here (only none, gzip, xz, zstd, lz4)"
                : String.format(java.util.Locale.ROOT,
                        "expected a newc archive or a gzip/xz/zstd/lz4 stream, found bytes %02x %02x", b0, b1)));
    }

    private ListedSegment readGzip(int pos, String where) throws IOException, ArtefactInputException {
        // RFC 1952, 2.3: ID1 ID2 CM FLG MTIME(4) XFL OS, then optional fields by FLG.
        int p = pos + 10;
        requireBytes(p, where, "a gzip header");
        if ((data[pos + 2] & 0xFF) != 8) {
            throw new ArtefactInputException(where + ": gzip method " + (data[pos + 2] & 0xFF) + ", expected 8 (deflate)");
        }
        int flags = data[pos + 3] & 0xFF;
        if ((flags & 0x04) != 0) {
            requireBytes(p + 2, where, "gzip FEXTRA length");
            p += 2 + ((data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8);
        }
        for (int flag : new int[] {0x08, 0x10}) {
            if ((flags & flag) != 0) {
                while (p < data.length && data[p] != 0) {
                    p++;
                }
                p++;
            }
        }
        if ((flags & 0x02) != 0) {
            p += 2;
        }
        requireBytes(p, where, "gzip header fields");
        var inflater = new Inflater(true);
        try {
            var in = new InflaterInputStream(new ByteArrayInputStream(data, p, data.length - p), inflater, 64 * 1024);
            List<ListedEntry> entries = readStream(in, where + " (gzip)");
            long end = p + inflater.getBytesRead() + GZIP_TRAILER;
            if (!inflater.finished() || end > data.length) {
                throw new ArtefactInputException(where + ": gzip stream is truncated");
            }
            return new ListedSegment(pos, end - pos, Compression.GZIP, entries);
        } catch (java.util.zip.ZipException e) {
            throw new ArtefactInputException(where + ": corrupt gzip data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private ListedSegment readXz(int pos, String where) throws IOException, ArtefactInputException {
        var raw = new ByteArrayInputStream(data, pos, data.length - pos);
        try (var in = new SingleXZInputStream(raw)) {
            List<ListedEntry> entries = readStream(in, where + " (xz)");
            // SingleXZInputStream reads exactly to the end of the stream footer.
            long length = data.length - pos - raw.available();
            return new ListedSegment(pos, length, Compression.XZ, entries);
        } catch (org.tukaani.xz.XZIOException | java.io.EOFException e) {
            throw new ArtefactInputException(where + ": corrupt xz data: " + e.getMessage(), e);
        }
    }

    private ListedSegment readZstd(int pos, String where) throws IOException, ArtefactInputException {
        long length = Zstd.findFrameCompressedSize(data, pos);
        if (Zstd.isError(length) || length <= 0 || pos + length > data.length) {
            throw new ArtefactInputException(where + ": corrupt or truncated zstd frame ("
                    + (Zstd.isError(length) ? Zstd.getErrorName(length) : "length " + length) + ")");
        }
        try (var in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(data, pos, (int) length))) {
            return new ListedSegment(pos, length, Compression.ZSTD, readStream(in, where + " (zstd)"));
        } catch (com.github.luben.zstd.ZstdIOException e) {
            throw new ArtefactInputException(where + ": corrupt zstd data: " + e.getMessage(), e);
        }
    }

    private ListedSegment readLz4(int pos, String where) throws IOException, ArtefactInputException {
        var in = new Lz4LegacyInputStream(pos);
        List<ListedEntry> entries = readStream(in, where + " (lz4)");
        return new ListedSegment(pos, in.end - pos, Compression.LZ4, entries);
    }

    private List<ListedEntry> readStream(InputStream in, String where) throws IOException, ArtefactInputException {
        List<ListedEntry> entries = new NewcReader(in, where, -1).readAll();
        // Drain to the end of the compressed stream so its length (and check) is known.
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return entries;
    }

    private void requireBytes(int end, String where, String what) throws ArtefactInputException {
        if (end > data.length) {
            throw new ArtefactInputException(where + ": file ends inside " + what);
        }
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    /**
     * Decompresses lz4 legacy blocks. Like lib/decompress_unlz4.c it stops at the end of the
     * data or at a zero size word (zero padding after the last segment).
     */
    private final class Lz4LegacyInputStream extends InputStream {
        private final LZ4SafeDecompressor decompressor = LZ4Factory.safeInstance().safeDecompressor();
        private final byte[] block = new byte[Lz4LegacyOutputStream.BLOCK_SIZE];
        private int blockLength;
        private int blockPos;
        private int end;

        Lz4LegacyInputStream(int pos) {
            this.end = pos + 4;
        }

        private boolean fill() throws IOException {
            while (blockPos == blockLength) {
                if (end + 4 > data.length) {
                    return false;
                }
                int size = le32(data, end);
                if (size == 0) {
                    return false;
                }
                if (size == Lz4LegacyOutputStream.MAGIC) {
                    end += 4;
                    continue;
                }
                if (size < 0 || end + 4L + size > data.length) {
                    throw new IOException(input + ": lz4 block at offset " + end + " of " + (size & 0xFFFFFFFFL)
                            + " bytes runs past the end of the file");
                }
                try {
                    blockLength = decompressor.decompress(data, end + 4, size, block, 0, block.length);
                } catch (net.jpountz.lz4.LZ4Exception e) {
                    throw new IOException(input + ": corrupt lz4 block at offset " + end, e);
                }
                blockPos = 0;
                end += 4 + size;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? block[blockPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, blockLength - blockPos);
            System.arraycopy(block, blockPos, b, off, n);
            blockPos += n;
            return n;
        }
    }
}
