package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    /** How long to wait for the response headers (not for the whole body). */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    /** A progress event every this many bytes. */
    public static final long PROGRESS_STEP = 4L * 1024 * 1024;

    private final MirrorSet mirrors;
    private final DebCache cache;
    private final long maxBytes;
    private final Duration responseTimeout;
    private final HttpClient http;

    public PackageFetcher(MirrorSet mirrors, DebCache cache) {
        this(mirrors, cache, DEFAULT_MAX_BYTES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT);
    }

    public PackageFetcher(MirrorSet mirrors, DebCache cache, long maxBytes, Duration connectTimeout,
            Duration responseTimeout) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("size limit must be positive, got " + maxBytes);
        }
        this.mirrors = mirrors;
        this.cache = cache;
        this.maxBytes = maxBytes;
        this.responseTimeout = responseTimeout;
        // NORMAL follows redirects but never from https to http.
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
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
            try (Body body = open(pin, url); OutputStream out = Files.newOutputStream(partial)) {
                listener.on(new FetchEvent.DownloadStarted(pin, url, body.length()));
                if (body.length() > maxBytes) {
                    throw new PackageException("package " + pin.label() + " at " + url + " is " + body.length()
                            + " bytes, more than the limit of " + maxBytes);
                }
                MessageDigest md = HashAlgorithm.SHA256.newMessageDigest();
                size = copy(pin, url, body, out, md, listener);
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

    private long copy(PackagePin pin, URI url, Body body, OutputStream out, MessageDigest md, FetchListener listener)
            throws PackageException, MirrorException, IOException {
        byte[] buffer = new byte[1 << 16];
        long received = 0;
        long nextProgress = PROGRESS_STEP;
        while (true) {
            int n;
            try {
                n = body.in().read(buffer);
            } catch (IOException e) {
                throw new MirrorException("download of package " + pin.label() + " from " + url + " broke off after "
                        + received + (body.length() >= 0 ? " of " + body.length() : "") + " bytes: " + e.getMessage(), e);
            }
            if (n < 0) {
                break;
            }
            received += n;
            if (received > maxBytes) {
                throw new PackageException("package " + pin.label() + " at " + url + " is larger than the limit of "
                        + maxBytes + " bytes");
            }
            md.update(buffer, 0, n);
            out.write(buffer, 0, n);
            if (received >= nextProgress) {
                listener.on(new FetchEvent.DownloadProgress(pin, received, body.length()));
                nextProgress += PROGRESS_STEP;
            }
        }
        if (body.length() >= 0 && received != body.length()) {
            throw new MirrorException("download of package " + pin.label() + " from " + url + " broke off after "
                    + received + " of " + body.length() + " bytes");
        }
        return received;
    }

    /** A response body and its announced length (-1 when unknown). */
    private record Body(InputStream in, long length) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private Body open(PackagePin pin, URI url) throws MirrorException, IOException {
        if (url.getScheme().equals("file")) {
            Path file = Path.of(url);
            try {
                return new Body(Files.newInputStream(file), Files.size(file));
            } catch (NoSuchFileException e) {
                throw new MirrorException("package " + pin.label() + ": no such file " + file, e);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(responseTimeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new MirrorException("cannot reach the mirror for package " + pin.label() + ": connecting to "
                    + url.getHost() + " timed out (" + url + ")", e);
        } catch (ConnectException e) {
            throw new MirrorException("cannot reach the mirror for package " + pin.label() + ": connection to "
                    + authority(url) + " refused or failed (" + url + ")", e);
        } catch (HttpTimeoutException e) {
            throw new MirrorException("mirror did not answer for package " + pin.label() + " within "
                    + responseTimeout.toSeconds() + " s (" + url + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MirrorException("download of package " + pin.label() + " was interrupted (" + url + ")", e);
        } catch (IOException | UnresolvedAddressException e) {
            throw new MirrorException("cannot reach the mirror for package " + pin.label() + " at " + url + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            String hint = response.statusCode() == 404
                    ? "; check the pool path, or use a snapshot.debian.org mirror for versions Debian has removed" : "";
            throw new MirrorException("mirror answered HTTP " + response.statusCode() + " for package " + pin.label()
                    + " (" + url + ")" + hint);
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Body(response.body(), length);
    }

    private static String authority(URI url) {
        return url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    @Override
    public void close() {
        http.close();
    }
}
