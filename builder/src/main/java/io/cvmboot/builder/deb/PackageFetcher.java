package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.URI;
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
    /** The longest the mirror may stay silent, before the headers or in the middle of the body. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    private static final String USER_AGENT = "cvmboot-builder";
    /** A progress event every this many bytes. */
    public static final long PROGRESS_STEP = 4L * 1024 * 1024;

    private final MirrorSet mirrors;
    private final DebCache cache;
    private final long maxBytes;
    private final Duration connectTimeout;
    private final Duration readTimeout;

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
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
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
    private record Body(InputStream in, long length, HttpURLConnection connection) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                in.close();
            } finally {
                if (connection != null) {
                    connection.disconnect();
                }
            }
        }
    }

    private Body open(PackagePin pin, URI url) throws MirrorException, IOException {
        if (url.getScheme().equals("file")) {
            Path file = Path.of(url);
            try {
                return new Body(Files.newInputStream(file), Files.size(file), null);
            } catch (NoSuchFileException e) {
                throw new MirrorException("package " + pin.label() + ": no such file " + file, e);
            }
        }
        // HttpURLConnection rather than java.net.http: only it has a read timeout on a streamed
        // body, and a mirror that stalls mid-download must fail, not hang the build.
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
        connection.setReadTimeout(Math.toIntExact(readTimeout.toMillis()));
        connection.setInstanceFollowRedirects(true); // never across http/https
        connection.setRequestProperty("User-Agent", USER_AGENT);
        int status;
        try {
            status = connection.getResponseCode();
        } catch (SocketTimeoutException e) {
            connection.disconnect();
            throw new MirrorException("mirror did not answer for package " + pin.label() + " within "
                    + connectTimeout.plus(readTimeout).toSeconds() + " s (" + url + ")", e);
        } catch (ConnectException e) {
            connection.disconnect();
            throw new MirrorException("cannot reach the mirror for package " + pin.label() + ": connection to "
                    + authority(url) + " refused or failed (" + url + ")", e);
        } catch (UnknownHostException e) {
            connection.disconnect();
            throw new MirrorException("cannot reach the mirror for package " + pin.label() + ": unknown host "
                    + url.getHost() + " (" + url + ")", e);
        } catch (IOException e) {
            connection.disconnect();
            throw new MirrorException("cannot reach the mirror for package " + pin.label() + " at " + url + ": "
                    + e.getMessage(), e);
        }
        if (status != HttpURLConnection.HTTP_OK) {
            connection.disconnect();
            String hint = status == HttpURLConnection.HTTP_NOT_FOUND
                    ? "; check the pool path, or use a snapshot.debian.org mirror for versions Debian has removed" : "";
            throw new MirrorException("mirror answered HTTP " + status + " for package " + pin.label()
                    + " (" + url + ")" + hint);
        }
        return new Body(connection.getInputStream(), connection.getContentLengthLong(), connection);
    }

    private static String authority(URI url) {
        return url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    @Override
    public void close() {
        // Nothing held between downloads; AutoCloseable so callers need not change if that changes.
    }
}
