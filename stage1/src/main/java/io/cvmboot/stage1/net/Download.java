package io.cvmboot.stage1.net;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.Log;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Streams a URL into a {@link ByteSink}, hashing while the bytes pass ({@link HashingPipeline}):
 * memory stays at a few buffers whatever the size. Redirects are followed up to {@link #MAX_REDIRECTS} and never from https to
 * http (that would drop the transport's authentication of the server).
 */
public final class Download {
    public static final int MAX_REDIRECTS = 5;

    private Download() {}

    public static DownloadResult stream(Http http, URI uri, long maxBytes, Set<HashAlgorithm> algorithms,
            ByteSink sink, Log log) throws IOException {
        Set<HashAlgorithm> algs = EnumSet.of(HashAlgorithm.SHA256);
        algs.addAll(algorithms);
        URI current = uri;
        for (int hop = 0; ; hop++) {
            try (Http.Response r = http.open("GET", current, Map.of(), null, true)) {
                if (Http.isRedirect(r.status())) {
                    String location = r.header("Location");
                    if (location == null) {
                        throw new IOException("GET " + current + ": redirect " + r.status() + " without Location");
                    }
                    if (hop >= MAX_REDIRECTS) {
                        throw new IOException("GET " + uri + ": more than " + MAX_REDIRECTS + " redirects");
                    }
                    URI next = current.resolve(location);
                    checkRedirect(current, next);
                    log.line("redirect " + current + " -> " + next);
                    current = next;
                    continue;
                }
                if (r.contentLength() > maxBytes) {
                    throw new BodyTooLargeException("GET " + current, maxBytes, "Content-Length " + r.contentLength());
                }
                URI from = current;
                HashingPipeline.Result copied = HashingPipeline.copy(r.body(), maxBytes, algs, sink,
                        total -> { throw new BodyTooLargeException("GET " + from, maxBytes, "more"); });
                Http.requireComplete("GET " + current, r.contentLength(), copied.size());
                return new DownloadResult(current, copied.size(), copied.digests());
            }
        }
    }

    /** A redirect may not leave http(s), and may not drop from https to http. */
    static void checkRedirect(URI from, URI to) throws IOException {
        if ("https".equals(from.getScheme()) && !"https".equals(to.getScheme())) {
            throw new IOException("GET " + from + ": refusing redirect from https to " + to);
        }
        if (!"http".equals(to.getScheme()) && !"https".equals(to.getScheme())) {
            throw new IOException("GET " + from + ": redirect to a non-http(s) URL " + to);
        }
    }
}
