package io.cvmboot.stage1.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.net.Http;
import io.cvmboot.stage1.net.Timeouts;
import io.cvmboot.stage1.testing.RawHttpServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One loopback server plays all three metadata services (they share 169.254.169.254 in the clouds too). */
class MetadataChainTest {
    static final byte[] CONFIG = "{\"_stage2\":{}}".getBytes(StandardCharsets.UTF_8);
    static final Http HTTP = new Http(new Timeouts(Duration.ofMillis(500), Duration.ofMillis(300)),
            () -> { throw new IllegalStateException("no https in this test"); });
    static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1));

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private FetchedConfig fetch(RawHttpServer server, int maxBytes) throws Exception {
        Log l = log::add;
        return new MetadataChain(MetadataChain.standardSources(server.base(), server.base(), server.base()), FAST, l)
                .fetch(HTTP, maxBytes);
    }

    @Test
    void aws_tokenThenUserData() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.method().equals("PUT") && req.path().equals("/latest/api/token")
                    && req.header("X-aws-ec2-metadata-token-ttl-seconds") != null) {
                RawHttpServer.send(out, 200, "TOKEN123".getBytes(StandardCharsets.US_ASCII));
            } else if (req.path().equals("/latest/user-data") && "TOKEN123".equals(req.header("X-aws-ec2-metadata-token"))) {
                RawHttpServer.send(out, 200, CONFIG);
            } else {
                RawHttpServer.send(out, 401, new byte[0]);
            }
        })) {
            FetchedConfig c = fetch(s, 1 << 20);
            assertEquals("aws", c.source());
            assertArrayEquals(CONFIG, c.bytes());
            assertEquals(2, s.requests().size());
            assertTrue(log.getFirst().contains("metadata aws attempt 1/3: got 14 bytes, sha256 "), log.toString());
        }
    }

    @Test
    void gcp_afterAws404_needsFlavorHeader() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.path().equals("/computeMetadata/v1/instance/attributes/user-data")
                    && "Google".equals(req.header("Metadata-Flavor"))) {
                RawHttpServer.send(out, 200, Map.of("Metadata-Flavor", "Google"), CONFIG);
            } else {
                RawHttpServer.send(out, 404, new byte[0]);
            }
        })) {
            FetchedConfig c = fetch(s, 1 << 20);
            assertEquals("gcp", c.source());
            assertEquals(2, s.requests().size(), "a 404 is an answer: AWS is asked once, not retried");
        }
    }

    @Test
    void azure_afterAws500sAreRetried_decodesBase64() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.path().startsWith("/latest/")) {
                RawHttpServer.send(out, 500, new byte[0]);
            } else if (req.path().equals("/metadata/instance/compute/userData?api-version=2021-02-01&format=text")
                    && "true".equals(req.header("Metadata"))) {
                RawHttpServer.send(out, 200, Base64.getEncoder().encode(CONFIG));
            } else {
                RawHttpServer.send(out, 404, new byte[0]);
            }
        })) {
            FetchedConfig c = fetch(s, 1 << 20);
            assertEquals("azure", c.source());
            assertArrayEquals(CONFIG, c.bytes());
            assertEquals(3, s.requests().stream().filter(r -> r.path().equals("/latest/api/token")).count(),
                    "5xx is transient: three attempts");
            assertTrue(log.stream().anyMatch(l -> l.contains("aws attempt 3/3") && l.contains("500")), log.toString());
        }
    }

    @Test
    void azure_badBase64_allFailuresReported() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.path().startsWith("/metadata/")) {
                RawHttpServer.send(out, 200, "eyJh\nYmMi".getBytes(StandardCharsets.US_ASCII));
            } else {
                RawHttpServer.send(out, 403, new byte[0]);
            }
        })) {
            String m = assertThrows(Stage1Exception.class, () -> fetch(s, 1 << 20)).getMessage();
            assertTrue(m.contains("aws: PUT") && m.contains("403"), m);
            assertTrue(m.contains("gcp: GET"), m);
            assertTrue(m.contains("azure: GET") && m.contains("base64"), m);
        }
    }

    @Test
    void timeout_isRetriedThenNextService() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.path().startsWith("/latest/")) {
                Thread.sleep(2000); // longer than the 300 ms read timeout
            } else if (req.path().startsWith("/computeMetadata/")) {
                RawHttpServer.send(out, 200, CONFIG);
            }
        })) {
            long start = System.nanoTime();
            FetchedConfig c = fetch(s, 1 << 20);
            assertEquals("gcp", c.source());
            assertEquals(3, s.requests().stream().filter(r -> r.path().equals("/latest/api/token")).count());
            assertTrue(log.stream().anyMatch(l -> l.contains("SocketTimeoutException")), log.toString());
            assertTrue(System.nanoTime() - start < 1_900_000_000L, "timeouts bounded each attempt");
        }
    }

    @Test
    void truncatedBody_isNotTakenAsConfig() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.path().equals("/latest/api/token")) {
                RawHttpServer.send(out, 200, "T".getBytes(StandardCharsets.US_ASCII));
            } else if (req.path().equals("/latest/user-data")) {
                OutputStream o = out;
                o.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"_stage2\"".getBytes(
                        StandardCharsets.US_ASCII));
                // and the connection closes: 10 of 100 bytes
            } else {
                RawHttpServer.send(out, 404, new byte[0]);
            }
        })) {
            String m = assertThrows(Stage1Exception.class, () -> fetch(s, 1 << 20)).getMessage();
            assertTrue(m.contains("aws: "), m);
            assertTrue(log.stream().filter(l -> l.contains("aws attempt")).allMatch(l -> !l.contains("got ")), log.toString());
        }
    }

    @Test
    void hugeBody_refusedWithoutRetry() throws Exception {
        try (RawHttpServer s = new RawHttpServer((req, out) -> {
            if (req.path().startsWith("/computeMetadata/")) {
                // chunked, never-ending body: the client must stop at its limit
                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".getBytes(
                        StandardCharsets.US_ASCII));
                byte[] chunk = ("1000\r\n" + "x".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 10_000; i++) {
                    out.write(chunk);
                }
            } else if (req.path().startsWith("/metadata/")) {
                RawHttpServer.send(out, 200, Map.of(), ("x".repeat(100_000)).getBytes(StandardCharsets.US_ASCII));
            } else {
                RawHttpServer.send(out, 404, new byte[0]);
            }
        })) {
            String m = assertThrows(Stage1Exception.class, () -> fetch(s, 64 * 1024)).getMessage();
            assertTrue(m.contains("gcp: GET") && m.contains("at most 65536 bytes"), m);
            assertTrue(m.contains("azure: GET") && m.contains("Content-Length 100000"), m);
            assertEquals(1, s.requests().stream().filter(r -> r.path().startsWith("/computeMetadata/")).count());
        }
    }
}
