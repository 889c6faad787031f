package io.cvmboot.initrd;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZOutputStream;

/**
 * Compressors the kernel can unpack an initramfs with (lib/decompress.c picks one by magic), each
 * set up so the same input and level give the same bytes. Output depends on the pinned library
 * version (JDK zlib for gzip, tukaani xz, zstd-jni's bundled libzstd, lz4-java's bundled liblz4).
 */
public enum Compression {
    NONE(0, 0, 0),
    /**
     * RFC 1952 with the header of {@code gzip -n} (mtime 0, no name, OS 3), deflated in parallel
     * 512 KiB pieces like pigz; see {@link ParallelGzipOutputStream}.
     */
    GZIP(1, 9, 6),
    /** CRC32 check: the kernel's xz decoder supports only CRC32 or none (Documentation/staging/xz.rst). */
    XZ(0, 9, 6),
    /**
     * Streaming with worker threads and a checksum, like the zstd CLI's default. Levels stop at 19
     * (windows up to 8 MiB): the ultra levels 20-22 need 32-128 MiB windows, which the kernel must
     * allocate while unpacking and which reach its 128 MiB limit (lib/decompress_unzstd.c).
     */
    ZSTD(1, 19, 3),
    /** The legacy lz4 frame (magic 0x184C2102), the only one lib/decompress_unlz4.c accepts; level 1 = fast, 2..12 = HC. */
    LZ4(1, 12, 9);

    private static final int ZSTD_WORKERS = 2;

    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    Compression(int minLevel, int maxLevel, int defaultLevel) {
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** The name used on the command line: none, gzip, xz, zstd, lz4. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Compression ofCliName(String name) throws ArtefactInputException {
        for (Compression c : values()) {
            if (c.cliName().equals(name)) {
                return c;
            }
        }
        throw new ArtefactInputException("compression '" + name + "': expected none, gzip, xz, zstd or lz4");
    }

    /** Checks a level for this compressor. */
    public void checkLevel(int level) throws ArtefactInputException {
        if (this == NONE && level != 0) {
            throw new ArtefactInputException("compression level " + level + " given, but compression is none");
        }
        if (level < minLevel || level > maxLevel) {
            throw new ArtefactInputException("compression level " + level + " for " + cliName()
                    + ": expected " + minLevel + ".." + maxLevel);
        }
    }

    /**
     * Wraps {@code out} in a compressing stream; closing it finishes the compressed stream but
     * leaves {@code out} open.
     */
    public OutputStream wrap(OutputStream out, int level) throws IOException {
        OutputStream unclosable = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
        return switch (this) {
            case NONE -> unclosable;
            case GZIP -> new ParallelGzipOutputStream(unclosable, level);
            case XZ -> {
                try {
                    yield new XZOutputStream(unclosable, new LZMA2Options(level), org.tukaani.xz.XZ.CHECK_CRC32);
                } catch (UnsupportedOptionsException e) {
                    throw new IllegalArgumentException("xz level " + level, e);
                }
            }
            // Any nbWorkers >= 1 gives the same bytes (zstd tests/cli-tests/determinism); a fixed
            // 2 overlaps compression with reading the entries. nbWorkers 0 would give other bytes.
            case ZSTD -> new ZstdOutputStreamNoFinalizer(unclosable).setLevel(level).setChecksum(true)
                    .setWorkers(ZSTD_WORKERS);
            case LZ4 -> new Lz4LegacyOutputStream(unclosable, level);
        };
    }
}
