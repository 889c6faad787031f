package io.cvmboot.builder.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against a loopback HTTP server playing deb.debian.org. */
class PackageFetcherTest {
    private static final String POOL_PATH = "pool/main/h/hello/hello_2.10-3_amd64.deb";

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final byte[] deb = debBytes(300_000);

    @BeforeEach
    void startMirror() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/debian/", this::serve);
        server.start();
        files.put("/debian/" + POOL_PATH, deb);
    }

    @AfterEach
    void stopMirror() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        byte[] body = files.get(exchange.getRequestURI().getPath());
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private MirrorSet mirror() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/debian");
        return new MirrorSet(base, base);
    }

    private PackagePin pin(byte[] expected) throws Exception {
        return PackagePin.of("hello", "2.10-3", "amd64", sha256Hex(expected),
                new PackageLocation.Pool(Archive.DEBIAN, POOL_PATH));
    }

    private PackageFetcher fetcher(MirrorSet mirrors) {
        return new PackageFetcher(mirrors, new DebCache(tmp.resolve("cache")));
    }

    @Test
    void goodDownload_isVerifiedCachedAndReported() throws Exception {
        List<FetchEvent> events = new ArrayList<>();
        try (var fetcher = fetcher(mirror())) {
            FetchedPackage fetched = fetcher.fetch(pin(deb), events::add);
            assertFalse(fetched.fromCache());
            assertEquals(deb.length, fetched.size());
            assertArrayEquals(deb, Files.readAllBytes(fetched.file()));
            assertEquals(tmp.resolve("cache").resolve(sha256Hex(deb)).resolve("hello_2.10-3_amd64.deb"), fetched.file());
        }
        assertInstanceOf(FetchEvent.DownloadStarted.class, events.getFirst());
        assertEquals(deb.length, ((FetchEvent.DownloadStarted) events.getFirst()).expectedSize());
        var done = assertInstanceOf(FetchEvent.Downloaded.class, events.getLast());
        assertEquals(sha256Hex(deb), done.sha256().hex());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void wrongPin_leavesNothingInCacheAndNamesPackageAndBothDigests() throws Exception {
        byte[] other = debBytes(1000);
        try (var fetcher = fetcher(mirror())) {
            var ex = assertThrows(PackageException.class, () -> fetcher.fetch(pin(other), FetchListener.NONE));
            assertTrue(ex.getMessage().startsWith("package hello 2.10-3 (amd64) from http://127.0.0.1:"), ex.getMessage());
            assertTrue(ex.getMessage().contains("expected sha256 " + sha256Hex(other) + ", got " + sha256Hex(deb)),
                    ex.getMessage());
        }
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void notFound_isAMirrorErrorNamingStatusAndUrl() throws Exception {
        files.clear();
        try (var fetcher = fetcher(mirror())) {
            var ex = assertThrows(MirrorException.class, () -> fetcher.fetch(pin(deb), FetchListener.NONE));
            assertTrue(ex.getMessage().startsWith("mirror answered HTTP 404 for package hello 2.10-3 (amd64) (http://"),
                    ex.getMessage());
            assertTrue(ex.getMessage().contains(POOL_PATH), ex.getMessage());
        }
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void unreachableMirror_saysSo() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + closedPort + "/debian");
        try (var fetcher = fetcher(new MirrorSet(dead, dead))) {
            var ex = assertThrows(MirrorException.class, () -> fetcher.fetch(pin(deb), FetchListener.NONE));
            assertEquals("cannot reach the mirror for package hello 2.10-3 (amd64): connection to 127.0.0.1:"
                    + closedPort + " refused or failed (" + dead + "/" + POOL_PATH + ")", ex.getMessage());
        }
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void truncatedBody_isAMirrorErrorAndNothingIsCached() throws Exception {
        try (var broken = new RawMirror(deb.length, 100_000, false);
                var fetcher = fetcher(broken.mirrors())) {
            var ex = assertThrows(MirrorException.class, () -> fetcher.fetch(pin(deb), FetchListener.NONE));
            assertTrue(ex.getMessage().startsWith("download of package hello 2.10-3 (amd64) from http://"),
                    ex.getMessage());
            assertTrue(ex.getMessage().contains("broke off after 100000 of 300000 bytes"), ex.getMessage());
        }
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void stalledMirror_failsAfterTheReadTimeout() throws Exception {
        try (var stalled = new RawMirror(deb.length, 50_000, true);
                var fetcher = new PackageFetcher(stalled.mirrors(), new DebCache(tmp.resolve("cache")),
                        PackageFetcher.DEFAULT_MAX_BYTES, Duration.ofSeconds(5), Duration.ofMillis(500))) {
            var ex = assertThrows(MirrorException.class, () -> fetcher.fetch(pin(deb), FetchListener.NONE));
            assertTrue(ex.getMessage().contains("broke off after 50000 of 300000 bytes: Read timed out"), ex.getMessage());
        }
        assertEquals(List.of(), cacheContents());
    }

    /**
     * A one-shot HTTP/1.1 server that announces {@code length} bytes, sends {@code sent} of them,
     * then drops the connection or (stall) keeps it open without sending more. com.sun.net.httpserver
     * cannot do either: it keeps a short response's connection alive.
     */
    private static final class RawMirror implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;

        RawMirror(int length, int sent, boolean stall) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = Thread.ofVirtual().start(() -> {
                try (var client = socket.accept()) {
                    var in = client.getInputStream();
                    // Read the request up to its blank line.
                    for (int state = 0; state < 4; ) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
                    }
                    var out = client.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.write(new byte[sent]);
                    out.flush();
                    if (stall) {
                        Thread.sleep(10_000);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
        }

        MirrorSet mirrors() {
            URI base = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/debian");
            return new MirrorSet(base, base);
        }

        @Override
        public void close() throws IOException {
            thread.interrupt();
            socket.close();
        }
    }

    @Test
    void cacheHit_needsNoNetwork() throws Exception {
        PackagePin pin = pin(deb);
        try (var fetcher = fetcher(mirror())) {
            fetcher.fetch(pin, FetchListener.NONE);
        }
        server.stop(0);
        server = null;
        List<FetchEvent> events = new ArrayList<>();
        URI dead = URI.create("http://127.0.0.1:9/debian");
        try (var offline = fetcher(new MirrorSet(dead, dead))) {
            FetchedPackage again = offline.fetch(pin, events::add);
            assertTrue(again.fromCache());
            assertArrayEquals(deb, Files.readAllBytes(again.file()));
        }
        assertEquals(1, events.size());
        assertInstanceOf(FetchEvent.CacheHit.class, events.getFirst());
    }

    @Test
    void damagedCacheEntry_isDiscardedAndDownloadedAgain() throws Exception {
        PackagePin pin = pin(deb);
        try (var fetcher = fetcher(mirror())) {
            Path entry = fetcher.fetch(pin, FetchListener.NONE).file();
            byte[] damaged = deb.clone();
            damaged[1234] ^= 1;
            Files.write(entry, damaged);
            List<FetchEvent> events = new ArrayList<>();
            FetchedPackage again = fetcher.fetch(pin, events::add);
            assertFalse(again.fromCache());
            assertArrayEquals(deb, Files.readAllBytes(again.file()));
            assertInstanceOf(FetchEvent.CacheEntryDiscarded.class, events.getFirst());
        }
        assertEquals(2, requests.get());
    }

    @Test
    void sizeLimit_refusesLargerDownloads() throws Exception {
        try (var fetcher = new PackageFetcher(mirror(), new DebCache(tmp.resolve("cache")), 1000,
                Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            var ex = assertThrows(PackageException.class, () -> fetcher.fetch(pin(deb), FetchListener.NONE));
            assertTrue(ex.getMessage().endsWith("is " + deb.length + " bytes, more than the limit of 1000"), ex.getMessage());
        }
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void progressEvents_comeEveryStep() throws Exception {
        byte[] big = debBytes((int) (PackageFetcher.PROGRESS_STEP * 2 + 10));
        files.put("/debian/" + POOL_PATH, big);
        List<FetchEvent> events = new ArrayList<>();
        try (var fetcher = fetcher(mirror())) {
            fetcher.fetch(pin(big), events::add);
        }
        List<Long> progress = events.stream().filter(e -> e instanceof FetchEvent.DownloadProgress)
                .map(e -> ((FetchEvent.DownloadProgress) e).received()).toList();
        assertEquals(2, progress.size());
        assertTrue(progress.get(0) >= PackageFetcher.PROGRESS_STEP && progress.get(1) >= 2 * PackageFetcher.PROGRESS_STEP);
        assertTrue(FetchProgressFormatter.format(events.get(1)).startsWith("package hello 2.10-3: 4.0 MiB of 8.0 MiB ("),
                FetchProgressFormatter.format(events.get(1)));
    }

    @Test
    void fileUrl_isCopiedAndVerified() throws Exception {
        Path local = Files.write(tmp.resolve("hello.deb"), deb);
        PackagePin pin = PackagePin.of("hello", "2.10-3", "amd64", sha256Hex(deb), new PackageLocation.Url(local.toUri()));
        try (var fetcher = fetcher(mirror())) {
            assertArrayEquals(deb, Files.readAllBytes(fetcher.fetch(pin, FetchListener.NONE).file()));
        }
        assertEquals(0, requests.get());
    }

    private List<Path> cacheContents() throws IOException {
        Path cache = tmp.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> !p.equals(cache)).toList();
        }
    }

    private List<Path> leftovers() throws IOException {
        return cacheContents().stream().filter(p -> p.getFileName().toString().startsWith(".partial-")).toList();
    }

    private static byte[] debBytes(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    private static String sha256Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
