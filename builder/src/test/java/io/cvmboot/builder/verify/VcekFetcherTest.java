package io.cvmboot.builder.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.cvmboot.builder.cli.UserInputException;
import io.cvmboot.measure.report.AttestationReport;
import io.cvmboot.measure.report.SnpProduct;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --fetch-vcek against a loopback KDS that serves Oak's Genoa VCEK at the path KDS would. */
class VcekFetcherTest {
    @TempDir
    Path cache;

    private HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] vcek = VerifyFixtures.bytes("genoa_oc_vcek.der");
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            boolean known = exchange.getRequestURI().getPath().startsWith("/vcek/v1/Genoa/d2421d976f95ce0b");
            exchange.sendResponseHeaders(known ? 200 : 404, known ? vcek.length : -1);
            if (known) {
                exchange.getResponseBody().write(vcek);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void fetch_thenServedFromCache() throws Exception {
        AttestationReport r = AttestationReport.parse("genoa", VerifyFixtures.bytes("genoa_oc_report.bin"));
        VcekFetcher f = new VcekFetcher(base(), cache);
        StringWriter progress = new StringWriter();
        byte[] first = f.fetch(r, SnpProduct.GENOA, new PrintWriter(progress, true));
        assertArrayEquals(VerifyFixtures.bytes("genoa_oc_vcek.der"), first);
        assertEquals(1, requests.size());
        assertTrue(requests.get(0).contains("?blSPL=10&teeSPL=0&snpSPL=25&ucodeSPL=84"), requests.get(0));
        byte[] second = f.fetch(r, SnpProduct.GENOA, new PrintWriter(progress, true));
        assertArrayEquals(first, second);
        assertEquals(1, requests.size(), "the second lookup must come from the cache");
        assertTrue(progress.toString().contains("using cached VCEK"));
        try (var files = Files.walk(cache)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "no partial files left behind");
        }
    }

    @Test
    void unknownChip_failsWithHttpStatusAndCachesNothing() throws Exception {
        AttestationReport r = AttestationReport.parse("turin", VerifyFixtures.bytes("turin_oc_report.bin"));
        IOException e = assertThrows(IOException.class,
                () -> new VcekFetcher(base(), cache).fetch(r, SnpProduct.TURIN, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        try (var files = Files.walk(cache)) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void vlekReport_cannotBeFetched() throws Exception {
        AttestationReport r = AttestationReport.parse("vlek", VerifyFixtures.bytes("test-vlek-report.bin"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> new VcekFetcher(base(), cache).fetch(r, SnpProduct.MILAN, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("VLEK"));
        assertEquals(0, requests.size());
    }

    /** The CLI path: verify-report --fetch-vcek against the loopback KDS, exit 0, then from cache. */
    @Test
    void verifyReport_withFetchVcek() throws Exception {
        String report = VerifyFixtures.file(Files.createDirectories(cache.resolve("input")), "genoa_oc_report.bin");
        String[] args = {"verify-report", "--report", report, "--fetch-vcek", "--kds-url", base().toString(),
            "--vcek-cache", cache.resolve("vcek").toString(), "--at", "2025-10-01T00:00:00Z"};
        VerifyFixtures.Run first = VerifyFixtures.run(args);
        assertEquals(0, first.exitCode(), first.out() + first.err());
        assertTrue(first.err().contains("fetching VCEK http://127.0.0.1:"), first.err());
        server.stop(0);
        VerifyFixtures.Run second = VerifyFixtures.run(args);
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertTrue(second.err().contains("using cached VCEK"), second.err());
    }
}
