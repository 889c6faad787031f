package io.cvmboot.builder.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Streams one file from a mirror (http, https or file URL) with a size limit and timeouts, and says
 * in its errors what was being downloaded ({@code what}, e.g. "package busybox-static 1:1.35.0-4 (amd64)").
 */
final class MirrorConnection {
    private static final String USER_AGENT = "cvmboot-builder";

    private final Duration connectTimeout;
    private final Duration readTimeout;

    MirrorConnection(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** A response body and its announced length (-1 when unknown). */
    record Body(InputStream in, long length, HttpURLConnection connection) implements AutoCloseable {
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

    /** The whole file in memory (Release files and indexes, not packages). */
    byte[] get(URI url, String what, long maxBytes) throws PackageException, IOException {
        try (Body body = open(url, what)) {
            var out = new ByteArrayOutputStream();
            copy(body, url, what, out, null, maxBytes, received -> { });
            return out.toByteArray();
        }
    }

    Body open(URI url, String what) throws MirrorException, IOException {
        if (url.getScheme().equals("file")) {
            Path file = Path.of(url);
            try {
                return new Body(Files.newInputStream(file), Files.size(file), null);
            } catch (NoSuchFileException e) {
                throw new MirrorException(what + ": no such file " + file, e);
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
            throw new MirrorException("mirror did not answer for " + what + " within "
                    + connectTimeout.plus(readTimeout).toSeconds() + " s (" + url + ")", e);
        } catch (ConnectException e) {
            connection.disconnect();
            throw new MirrorException("cannot reach the mirror for " + what + ": connection to "
                    + authority(url) + " refused or failed (" + url + ")", e);
        } catch (UnknownHostException e) {
            connection.disconnect();
            throw new MirrorException("cannot reach the mirror for " + what + ": unknown host "
                    + url.getHost() + " (" + url + ")", e);
        } catch (IOException e) {
            connection.disconnect();
            throw new MirrorException("cannot reach the mirror for " + what + " at " + url + ": " + e.getMessage(), e);
        }
        if (status != HttpURLConnection.HTTP_OK) {
            connection.disconnect();
            String hint = status == HttpURLConnection.HTTP_NOT_FOUND
                    ? "; check the pool path, or use a snapshot.debian.org mirror for versions Debian has removed" : "";
            throw new MirrorException("mirror answered HTTP " + status + " for " + what + " (" + url + ")" + hint);
        }
        return new Body(connection.getInputStream(), connection.getContentLengthLong(), connection);
    }

    /**
     * Copies the body, updating {@code digest} (may be null) and calling {@code progress} with the
     * byte count after every read; checks the size limit and the announced length.
     *
     * @return the number of bytes copied
     */
    long copy(Body body, URI url, String what, OutputStream out, MessageDigest digest, long maxBytes,
            LongConsumer progress) throws PackageException, IOException {
        if (body.length() > maxBytes) {
            throw new PackageException(what + " at " + url + " is " + body.length() + " bytes, more than the limit of "
                    + maxBytes);
        }
        byte[] buffer = new byte[1 << 16];
        long received = 0;
        while (true) {
            int n;
            try {
                n = body.in().read(buffer);
            } catch (IOException e) {
                throw new MirrorException("download of " + what + " from " + url + " broke off after " + received
                        + (body.length() >= 0 ? " of " + body.length() : "") + " bytes: " + e.getMessage(), e);
            }
            if (n < 0) {
                break;
            }
            received += n;
            if (received > maxBytes) {
                throw new PackageException(what + " at " + url + " is larger than the limit of " + maxBytes + " bytes");
            }
            if (digest != null) {
                digest.update(buffer, 0, n);
            }
            out.write(buffer, 0, n);
            progress.accept(received);
        }
        if (body.length() >= 0 && received != body.length()) {
            throw new MirrorException("download of " + what + " from " + url + " broke off after " + received + " of "
                    + body.length() + " bytes");
        }
        return received;
    }

    private static String authority(URI url) {
        return url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }
}
