package io.cvmboot.builder.deb;

import static io.cvmboot.builder.deb.InReleaseVerifierTest.keyring;
import static io.cvmboot.builder.deb.InReleaseVerifierTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chain downloaded from a loopback mirror serving the real bookworm-security files. */
class ArchiveChainTest {
    private static final String BY_HASH = "/debian-security/dists/bookworm-security/main/binary-amd64/by-hash/SHA256/"
            + "d3a45860a3f001b55d20eb371c8ed4095115c4bf77666c2847bb3c9d0bb46986";
    private static final Instant WHILE_VALID = Instant.parse("2026-11-22T06:00:00Z");

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @BeforeEach
    void startMirror() throws IOException {
        files.put("/debian-security/dists/bookworm-security/InRelease", resource("bookworm-security_InRelease"));
        files.put(BY_HASH, resource("bookworm-security_main_binary-amd64_Packages.xz"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopMirror() {
        server.stop(0);
    }

    private ArchiveChain chain(String keyringName) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new ArchiveChain(new MirrorSet(base.resolve("/debian"), base.resolve("/debian-security")),
                keyring(keyringName), ReleaseFreshness.at(WHILE_VALID));
    }

    private static PackagePin caCertificates(String sha256) {
        return PackagePin.of("ca-certificates", "20250419~deb12u2", "all", sha256, new PackageLocation.Pool(Archive.SECURITY,
                "pool/updates/main/c/ca-certificates/ca-certificates_20250419~deb12u2_all.deb"));
    }

    @Test
    void pinsOfTheDefaultBuild_areInTheSignedSecurityIndex() throws Exception {
        var kernel = PackagePin.of("linux-image-6.1.0-56-cloud-amd64", "6.1.192-2", "amd64",
                "e7d02b943971edcb8790e256c02cfab3bca6c3d37c1bf25392a57c71300615ee", new PackageLocation.Pool(Archive.SECURITY,
                        "pool/updates/main/l/linux-signed-amd64/linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb"));
        var ca = caCertificates("b9f76b5271a7ac373fd5e7e1b5b826a71ddd702b42a0d104955ecb1acfffc94b");
        List<PackagesEntry> entries = chain("debian-archive-keyring.gpg")
                .verify(Archive.SECURITY, "bookworm-security", "amd64", List.of(kernel, ca));
        assertEquals(List.of(26_713_492L, 160_948L), entries.stream().map(PackagesEntry::size).toList());
    }

    @Test
    void wrongPin_failsAgainstTheSignedIndex() throws Exception {
        String wrong = "1".repeat(64);
        var ex = assertThrows(PackageException.class, () -> chain("debian-archive-keyring.gpg")
                .verify(Archive.SECURITY, "bookworm-security", "amd64", List.of(caCertificates(wrong))));
        assertTrue(ex.getMessage().startsWith("package ca-certificates 20250419~deb12u2 (all) is pinned to sha256 " + wrong
                + " but main/binary-amd64/Packages of http://127.0.0.1:"), ex.getMessage());
    }

    @Test
    void mirrorServingAnotherIndex_isCaught() throws Exception {
        byte[] other = resource("bookworm-security_main_binary-amd64_Packages.xz");
        other[100] ^= 1;
        files.put(BY_HASH, other);
        var ex = assertThrows(PackageException.class, () -> chain("debian-archive-keyring.gpg")
                .verify(Archive.SECURITY, "bookworm-security", "amd64", List.of()));
        assertTrue(ex.getMessage().startsWith("main/binary-amd64/Packages.xz does not match http://"), ex.getMessage());
    }

    @Test
    void wrongKeyring_stopsAtTheRelease() throws Exception {
        var ex = assertThrows(PackageException.class, () -> chain("debian-archive-trixie-security-automatic.gpg")
                .verify(Archive.SECURITY, "bookworm-security", "amd64", List.of()));
        assertTrue(ex.getMessage().contains("is not signed by any key in keyring"), ex.getMessage());
    }

    @Test
    void missingSuite_isAMirrorError() throws Exception {
        var ex = assertThrows(MirrorException.class, () -> chain("debian-archive-keyring.gpg")
                .verify(Archive.SECURITY, "trixie-security", "amd64", List.of()));
        assertTrue(ex.getMessage().startsWith("mirror answered HTTP 404 for InRelease of trixie-security"), ex.getMessage());
    }
}
