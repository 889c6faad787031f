package io.cvmboot.stage1.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small HTTP/1.1 client over {@link HttpURLConnection} ({@code java.net.http} costs start-up time):
 * no proxies, no automatic redirects, explicit timeouts, status checked, body size bounded.
 */
public final class Http {
    private final Timeouts timeouts;
    private final Supplier<SSLSocketFactory> tls;

    /**
     * @param tls the trust for https, asked for on the first https request only (so plain-http use
     *     works without a CA bundle); may throw {@link IllegalStateException} to refuse https
     */
    public Http(Timeouts timeouts, Supplier<SSLSocketFactory> tls) {
        this.timeouts = Objects.requireNonNull(timeouts);
        this.tls = Objects.requireNonNull(tls);
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /** A response whose body is still to be read; the caller closes it. */
    public static final class Response implements AutoCloseable {
        private final HttpURLConnection connection;
        private final int status;
        private final long contentLength;
        private final InputStream body;

        Response(HttpURLConnection connection, int status, InputStream body) {
            this.connection = connection;
            this.status = status;
            this.contentLength = connection.getContentLengthLong();
            this.body = body;
        }

        /** 200, or a redirect status when the caller allowed redirects. */
        public int status() {
            return status;
        }

        /** Content-Length, or -1 when the body is chunked or unbounded. */
        public long contentLength() {
            return contentLength;
        }

        public InputStream body() {
            return body;
        }

        public String header(String name) {
            return connection.getHeaderField(name);
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // nothing more to read; the connection is released either way
            }
            connection.disconnect();
        }
    }

    /**
     * Sends one request and returns the response of status {@code 200}; 3xx are returned to callers
     * that allow them ({@code allowRedirect}), everything else is an {@link HttpStatusException}.
     */
    public Response open(String method, URI uri, Map<String, String> headers, byte[] body, boolean allowRedirect)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        if (c instanceof HttpsURLConnection https) {
            try {
                https.setSSLSocketFactory(tls.get());
            } catch (IllegalStateException e) {
                c.disconnect();
                throw new IOException(e.getMessage(), e.getCause());
            }
        }
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(timeouts.connectMillis());
        c.setReadTimeout(timeouts.readMillis());
        c.setRequestMethod(method);
        c.setRequestProperty("Accept-Encoding", "identity");
        for (var h : new LinkedHashMap<>(headers).entrySet()) {
            c.setRequestProperty(h.getKey(), h.getValue());
        }
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status;
        try {
            status = c.getResponseCode();
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
        if (status == 200 || (allowRedirect && isRedirect(status))) {
            return new Response(c, status, status == 200 ? c.getInputStream() : InputStream.nullInputStream());
        }
        c.disconnect();
        throw new HttpStatusException(method + " " + uri, status);
    }

    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** One request whose whole body (at most {@code maxBytes}) is returned; no redirects. */
    public byte[] fetch(String method, URI uri, Map<String, String> headers, byte[] body, long maxBytes)
            throws IOException {
        String what = method + " " + uri;
        try (Response r = open(method, uri, headers, body, false)) {
            if (r.contentLength() > maxBytes) {
                throw new BodyTooLargeException(what, maxBytes, "Content-Length " + r.contentLength());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = r.body().read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new BodyTooLargeException(what, maxBytes, "more");
                }
                out.write(buf, 0, n);
            }
            requireComplete(what, r.contentLength(), total);
            return out.toByteArray();
        }
    }

    /** A body shorter than its Content-Length was cut off: never treat it as the document. */
    static void requireComplete(String what, long contentLength, long received) throws IOException {
        if (contentLength >= 0 && received != contentLength) {
            throw new IOException(what + ": body truncated, expected " + contentLength + " bytes, got " + received);
        }
    }
}
