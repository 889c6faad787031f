package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Downloads pinned .deb files into a {@link DebCache}. The SHA-256 is computed while the body is
 * streamed into a temporary file beside the cache entries; the file is renamed into place only if
 * it matches the pin, so a wrong pin, an error status or a broken-off body leaves nothing behind.
 */
public final class PackageFetcher implements AutoCloseable {
    /** The largest .deb accepted; the pinned kernel is 27 MB, the largest bookworm .debs are ~1 GB. */
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** The longest the mirror may stay silent, before the headers or in the middle of the body. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** A progress event every this many bytes. */
    public static final long PROGRESS_STEP = 4L * 1024 * 1024;

    private final MirrorSet mirrors;
    private final DebCache cache;
    private final long maxBytes;
    private final MirrorConnection connection;

    public PackageFetcher(MirrorSet mirrors, DebCache cache) {
        this(mirrors, cache, DEFAULT_MAX_BYTES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public PackageFetcher(MirrorSet mirrors, DebCache cache, long maxBytes, Duration connectTimeout,
            Duration readTimeout) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("size limit must be positive, got " + maxBytes);
        }
        this.mirrors = mirrors;
        this.cache = cache;
        this.maxBytes = maxBytes;
        this.connection = new MirrorConnection(connectTimeout, readTimeout);
    }

    public DebCache cache() {
        return cache;
    }

    /**
     * The pinned .deb from the cache, or downloaded, verified and cached.
     *
     * @throws PackageException the download does not match the pin (names the package and both digests)
     *     or exceeds the size limit
     * @throws MirrorException the mirror is unreachable, answers with an error, or the body breaks off
     */
    public FetchedPackage fetch(PackagePin pin, FetchListener listener) throws PackageException, IOException {
        var cached = cache.lookup(pin, listener);
        if (cached.isPresent()) {
            return new FetchedPackage(pin, cached.get(), Files.size(cached.get()), true);
        }
        URI url = mirrors.resolve(pin);
        Files.createDirectories(cache.directory());
        Path partial = Files.createTempFile(cache.directory(), ".partial-", ".deb");
        try {
            Digest actual;
            long size;
            String what = "package " + pin.label();
            try (MirrorConnection.Body body = connection.open(url, what);
                    OutputStream out = Files.newOutputStream(partial)) {
                listener.on(new FetchEvent.DownloadStarted(pin, url, body.length()));
                MessageDigest md = HashAlgorithm.SHA256.newMessageDigest();
                long[] nextProgress = {PROGRESS_STEP};
                size = connection.copy(body, url, what, out, md, maxBytes, received -> {
                    if (received >= nextProgress[0]) {
                        listener.on(new FetchEvent.DownloadProgress(pin, received, body.length()));
                        nextProgress[0] += PROGRESS_STEP;
                    }
                });
                actual = Digest.of(HashAlgorithm.SHA256, md.digest());
            }
            if (!actual.equals(pin.sha256())) {
                throw new PackageException("package " + pin.label() + " from " + url + " does not match its pin: expected sha256 "
                        + pin.sha256().hex() + ", got " + actual.hex() + " (" + size + " bytes); nothing was cached");
            }
            Path entry = cache.entryFor(pin);
            Files.createDirectories(entry.getParent());
            Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            listener.on(new FetchEvent.Downloaded(pin, entry, size, actual));
            return new FetchedPackage(pin, entry, size, false);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public void close() {
        // Nothing held between downloads; AutoCloseable so callers need not change if that changes.
    }
}
