package io.cvmboot.stage1.net;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies a stream to a sink while hashing it, with reading and hashing+writing on two threads, so
 * that the network and the digests overlap instead of taking turns. A fixed set of buffers
 * circulates between the two: memory stays at {@link #BUFFERS} × {@link #BUFFER_BYTES} whatever
 * the size of the stream.
 */
final class HashingPipeline {
    static final int BUFFERS = 4;
    static final int BUFFER_BYTES = 1 << 20;

    private record Chunk(byte[] data, int length) {}

    private static final Chunk END = new Chunk(new byte[0], 0);

    /** What was copied: byte count and digests. */
    record Result(long size, Map<HashAlgorithm, Digest> digests) {}

    private HashingPipeline() {}

    /**
     * @param tooLarge called with the running total once it exceeds {@code maxBytes}; must throw
     */
    static Result copy(InputStream in, long maxBytes, Set<HashAlgorithm> algorithms, ByteSink sink,
            TooLarge tooLarge) throws IOException {
        Map<HashAlgorithm, MessageDigest> mds = new EnumMap<>(HashAlgorithm.class);
        for (HashAlgorithm a : algorithms) {
            mds.put(a, a.newMessageDigest());
        }
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER_BYTES]);
        }
        AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
        Thread consumer = Thread.ofPlatform().name("stage1-hash").start(() -> {
            try {
                for (Chunk c = full.take(); c != END; c = full.take()) {
                    for (MessageDigest md : mds.values()) {
                        md.update(c.data(), 0, c.length());
                    }
                    sink.write(c.data(), 0, c.length());
                    free.put(c.data());
                }
            } catch (Throwable t) {
                consumerFailure.set(t);
            }
        });
        long total = 0;
        boolean ended = false;
        try {
            while (true) {
                byte[] buf = null;
                while (buf == null) {
                    failIfConsumerFailed(consumerFailure);
                    buf = free.poll(100, TimeUnit.MILLISECONDS);
                }
                int n = in.readNBytes(buf, 0, buf.length);
                if (n <= 0) {
                    break;
                }
                total += n;
                if (total > maxBytes) {
                    tooLarge.exceeded(total);
                }
                full.put(new Chunk(buf, n));
            }
            full.put(END);
            ended = true;
            consumer.join();
            failIfConsumerFailed(consumerFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading");
        } finally {
            if (!ended) {
                consumer.interrupt();
            }
        }
        Map<HashAlgorithm, Digest> digests = new EnumMap<>(HashAlgorithm.class);
        mds.forEach((a, md) -> digests.put(a, Digest.of(a, md.digest())));
        return new Result(total, digests);
    }

    private static void failIfConsumerFailed(AtomicReference<Throwable> failure) throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException e) {
            throw e;
        }
        if (t != null) {
            throw new IOException("hashing thread failed: " + t, t);
        }
    }

    @FunctionalInterface
    interface TooLarge {
        void exceeded(long total) throws IOException;
    }
}
