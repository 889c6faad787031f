package io.cvmboot.stage1.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.testing.RawHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DownloadTest {
    static final Http HTTP = new Http(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)),
            () -> { throw new IllegalStateException("no https in this test"); });

    @Test
    void stream_hashesEveryRequestedAlgorithmWhileStreaming() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(data);
        try (RawHttpServer s = new RawHttpServer((req, out) -> RawHttpServer.send(out, 200, data))) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            DownloadResult r = Download.stream(HTTP, s.base().resolve("/s2"), data.length, Set.of(HashAlgorithm.SHA384),
                    sink::write, Log.NONE);
            assertEquals(data.length, r.size());
            assertArrayEquals(data, sink.toByteArray());
            assertEquals(Digest.compute(HashAlgorithm.SHA256, data), r.sha256());
            assertEquals(Digest.compute(HashAlgorithm.SHA384, data), r.digests().get(HashAlgorithm.SHA384));
        }
    }

    @Test
    void stream_followsRelativeRedirect() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.path().equals("/a")) {
                RawHttpServer.send(out, 302, Map.of("Location", "/b"), new byte[0]);
            } else {
                RawHttpServer.send(out, 200, "B".getBytes(StandardCharsets.US_ASCII));
            }
        })) {
            DownloadResult r = Download.stream(HTTP, s.base().resolve("/a"), 10, Set.of(), ByteSink.DISCARD, Log.NONE);
            assertEquals(s.base().resolve("/b"), r.finalUri());
            assertEquals(1, r.size());
        }
    }

    @Test
    void stream_redirectLoop_bounded() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) ->
                RawHttpServer.send(out, 301, Map.of("Location", req.path() + "x"), new byte[0]))) {
            IOException e = assertThrows(IOException.class,
                    () -> Download.stream(HTTP, s.base().resolve("/a"), 10, Set.of(), ByteSink.DISCARD, Log.NONE));
            assertTrue(e.getMessage().contains("more than 5 redirects"), e.getMessage());
            assertEquals(Download.MAX_REDIRECTS + 1, s.requests().size());
        }
    }

    @Test
    void stream_httpsToHttpRedirect_refused() {
        IOException e = assertThrows(IOException.class, () -> {
            java.net.URI from = java.net.URI.create("https://example.invalid/a");
            Download.checkRedirect(from, from.resolve("http://example.invalid/b"));
        });
        assertTrue(e.getMessage().contains("refusing redirect from https"), e.getMessage());
    }

    @Test
    void stream_overLimit_stopsWithoutReadingEverything() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[65536];
            for (int i = 0; i < 1000; i++) {
                out.write(chunk);
            }
        })) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            IOException e = assertThrows(BodyTooLargeException.class,
                    () -> Download.stream(HTTP, s.base().resolve("/big"), 1_000_000, Set.of(), sink::write, Log.NONE));
            assertTrue(sink.size() <= 1_000_000, "never more than the limit passed on");
            assertTrue(e.getMessage().contains("at most 1000000"), e.getMessage());
        }
    }

    @Test
    void stream_truncated_isAnError() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> out.write(
                "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\nonly this".getBytes(StandardCharsets.US_ASCII)))) {
            IOException e = assertThrows(IOException.class,
                    () -> Download.stream(HTTP, s.base().resolve("/t"), 10_000, Set.of(), ByteSink.DISCARD, Log.NONE));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("Premature EOF"), e.getMessage());
        }
    }

    @Test
    void stream_status404_isAnError() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> RawHttpServer.send(out, 404, new byte[3]))) {
            HttpStatusException e = assertThrows(HttpStatusException.class,
                    () -> Download.stream(HTTP, s.base().resolve("/x"), 10, Set.of(), ByteSink.DISCARD, Log.NONE));
            assertEquals(404, e.status());
        }
    }
}
