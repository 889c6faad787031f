package io.cvmboot.initrd;

import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * The lz4 legacy frame: magic 0x184C2102 (little endian), then for every 8 MiB of input a
 * little-endian 32-bit compressed size and one LZ4 block (lz4 programs/lz4io.c, LEGACY_MAGICNUMBER
 * and LEGACY_BLOCKSIZE; lib/decompress_unlz4.c reads the same). The format has no end marker.
 *
 * <p>Uses liblz4 through JNI explicitly: the pure-Java compressor emits different bytes, and
 * {@code fastestInstance()} would choose between them by platform.
 */
final class Lz4LegacyOutputStream extends OutputStream {
    static final int MAGIC = 0x184C2102;
    static final int BLOCK_SIZE = 8 << 20;

    private final OutputStream out;
    private final LZ4Compressor compressor;
    private final byte[] block = new byte[BLOCK_SIZE];
    private final byte[] compressed;
    private int filled;
    private boolean closed;

    Lz4LegacyOutputStream(OutputStream out, int level) throws IOException {
        this.out = out;
        LZ4Factory factory = LZ4Factory.nativeInstance();
        this.compressor = level <= 1 ? factory.fastCompressor() : factory.highCompressor(level);
        this.compressed = new byte[compressor.maxCompressedLength(BLOCK_SIZE)];
        writeLe32(MAGIC);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK_SIZE - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK_SIZE) {
                flushBlock();
            }
        }
    }

    private void flushBlock() throws IOException {
        if (filled == 0) {
            return;
        }
        int size = compressor.compress(block, 0, filled, compressed, 0, compressed.length);
        writeLe32(size);
        out.write(compressed, 0, size);
        filled = 0;
    }

    private void writeLe32(int v) throws IOException {
        out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            flushBlock();
            out.close();
        }
    }
}
