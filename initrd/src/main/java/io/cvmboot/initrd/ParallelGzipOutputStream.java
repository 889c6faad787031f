package io.cvmboot.initrd;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) compressed on several cores the way pigz does it: the input is cut into fixed
 * 512 KiB chunks, each deflated independently with the previous 32 KiB as preset dictionary and
 * ended with a sync flush, and the raw deflate pieces are concatenated into one stream. Because
 * the chunking is fixed, the bytes do not depend on the number of threads or their timing.
 *
 * <p>The header is that of {@code gzip -n}: mtime 0, no name, OS 3 (Unix), XFL 2 for level 9 and 4
 * for level 1 (RFC 1952, 2.3.1).
 */
final class ParallelGzipOutputStream extends OutputStream {
    /**
     * Chunk size. pigz uses 128 KiB; larger chunks spend less on priming each chunk's dictionary
     * (32 KiB re-hashed per chunk) at the same compression ratio within 0.1%.
     */
    static final int CHUNK = 512 * 1024;
    /** The deflate window (RFC 1951): the most a match can reach back. */
    static final int DICTIONARY = 32 * 1024;

    private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final OutputStream out;
    private final int level;
    private final int threads;
    private final ExecutorService pool;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    /** Deflaters reused across chunks: reset() gives the state of a new one, without its set-up cost. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Deflater> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final CRC32 crc = new CRC32();
    private byte[] chunk = new byte[CHUNK];
    private int filled;
    private byte[] dictionary;
    private long total;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
        this(out, level, THREADS);
    }

    /** With an explicit thread count, which changes the speed but never the bytes. */
    ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("gzip level " + level);
        }
        this.out = out;
        this.level = level;
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gzip-worker");
            t.setDaemon(true);
            return t;
        });
        int xfl = level == 9 ? 2 : level == 1 ? 4 : 0;
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) xfl, 3});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        crc.update(b, off, len);
        total += len;
        while (len > 0) {
            int n = Math.min(len, CHUNK - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == CHUNK) {
                submit(false);
            }
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] data = filled == chunk.length ? chunk : Arrays.copyOf(chunk, filled);
        byte[] dict = dictionary;
        int lvl = level;
        pending.add(pool.submit(() -> deflate(data, dict, lvl, last)));
        dictionary = Arrays.copyOfRange(data, Math.max(0, data.length - DICTIONARY), data.length);
        chunk = new byte[CHUNK];
        filled = 0;
        // Bound memory: write finished pieces in order, keeping at most two per thread in flight.
        while (pending.size() > 2 * threads || (last && !pending.isEmpty())) {
            out.write(await(pending.removeFirst()));
        }
    }

    private byte[] deflate(byte[] data, byte[] dictionary, int level, boolean last) {
        Deflater deflater = idle.poll();
        if (deflater == null) {
            deflater = new Deflater(level, true);
        }
        try {
            if (dictionary != null) {
                deflater.setDictionary(dictionary);
            }
            deflater.setInput(data);
            if (last) {
                deflater.finish();
            }
            var result = new java.io.ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n = last ? deflater.deflate(buf) : deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                result.write(buf, 0, n);
                if (last ? deflater.finished() : n < buf.length && deflater.needsInput()) {
                    return result.toByteArray();
                }
            }
        } finally {
            deflater.reset();
            idle.add(deflater);
        }
    }

    private static byte[] await(Future<byte[]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing", e);
        } catch (ExecutionException e) {
            throw new IOException("gzip compression failed", e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            submit(true);
            long c = crc.getValue();
            out.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
                (byte) total, (byte) (total >>> 8), (byte) (total >>> 16), (byte) (total >>> 24)});
        } finally {
            pool.shutdownNow();
            for (Deflater d; (d = idle.poll()) != null; ) {
                d.end();
            }
            out.close();
        }
    }
}
