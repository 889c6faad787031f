package io.cvmboot.stage1.net;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies a stream to a sink while hashing it. The reading thread hands each filled buffer to one
 * worker per hash algorithm and one for the sink, so the network, each digest and the memfd write
 * proceed in parallel (stage1 hashes stage2 in every allocated PCR bank: SHA-1/256/384/512 cost
 * 0.7-1.5 s per GiB each). A fixed set of buffers circulates: memory stays at {@link #BUFFERS} ×
 * {@link #BUFFER_BYTES} whatever the size of the stream; a buffer is reused once every worker is done
 * with it. Each worker sees the chunks in stream order.
 */
final class HashingPipeline {
    static final int BUFFERS = 4;
    static final int BUFFER_BYTES = 1 << 20;

    private record Chunk(byte[] data, int length, AtomicInteger pending) {}

    private static final Chunk END = new Chunk(new byte[0], 0, new AtomicInteger());

    /** What was copied: byte count and digests. */
    record Result(long size, Map<HashAlgorithm, Digest> digests) {}

    @FunctionalInterface
    interface TooLarge {
        void exceeded(long total) throws IOException;
    }

    @FunctionalInterface
    private interface Work {
        void accept(byte[] data, int length) throws Exception;
    }

    private HashingPipeline() {}

    /**
     * @param tooLarge called with the running total once it exceeds {@code maxBytes}; must throw
     */
    static Result copy(InputStream in, long maxBytes, Set<HashAlgorithm> algorithms, ByteSink sink,
            TooLarge tooLarge) throws IOException {
        Map<HashAlgorithm, MessageDigest> mds = new EnumMap<>(HashAlgorithm.class);
        List<Work> work = new ArrayList<>();
        for (HashAlgorithm a : algorithms) {
            MessageDigest md = a.newMessageDigest();
            mds.put(a, md);
            work.add((data, length) -> md.update(data, 0, length));
        }
        work.add((data, length) -> sink.write(data, 0, length));
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER_BYTES]);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<BlockingQueue<Chunk>> queues = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (Work w : work) {
            BlockingQueue<Chunk> q = new ArrayBlockingQueue<>(BUFFERS + 1);
            queues.add(q);
            workers.add(Thread.ofPlatform().name("stage1-copy").start(() -> {
                try {
                    for (Chunk c = q.take(); c != END; c = q.take()) {
                        w.accept(c.data(), c.length());
                        if (c.pending().decrementAndGet() == 0) {
                            free.put(c.data());
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        long total = 0;
        boolean ended = false;
        try {
            while (true) {
                byte[] buf = null;
                while (buf == null) {
                    failIfWorkerFailed(failure);
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
                Chunk c = new Chunk(buf, n, new AtomicInteger(queues.size()));
                for (BlockingQueue<Chunk> q : queues) {
                    q.put(c);
                }
            }
            for (BlockingQueue<Chunk> q : queues) {
                q.put(END);
            }
            ended = true;
            for (Thread t : workers) {
                t.join();
            }
            failIfWorkerFailed(failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading");
        } finally {
            if (!ended) {
                workers.forEach(Thread::interrupt);
            }
        }
        Map<HashAlgorithm, Digest> digests = new EnumMap<>(HashAlgorithm.class);
        mds.forEach((a, md) -> digests.put(a, Digest.of(a, md.digest())));
        return new Result(total, digests);
    }

    private static void failIfWorkerFailed(AtomicReference<Throwable> failure) throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException e) {
            throw e;
        }
        if (t != null) {
            throw new IOException("download worker failed: " + t, t);
        }
    }
}
