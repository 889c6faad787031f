package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.cvmboot.builder.Main;
import io.cvmboot.measure.Digest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code builder build}: each fails with a one-line error, exit 2, and leaves no output. */
class BuildCommandTest {
    @TempDir
    Path dir;

    private HttpServer mirror;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private byte[] deb;

    @BeforeEach
    void startMirror() throws IOException {
        deb = io.cvmboot.builder.build.TestDebAccess.deb("tools", "1.0", "amd64",
                Map.of("usr/bin/tool", "tool".getBytes(StandardCharsets.UTF_8)));
        mirror = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        mirror.createContext("/debian/pool/main/t/tools/tools_1.0_amd64.deb", x -> {
            x.sendResponseHeaders(200, deb.length);
            x.getResponseBody().write(deb);
            x.close();
        });
        mirror.start();
    }

    @AfterEach
    void stopMirror() {
        mirror.stop(0);
    }

    private String spec(String debSha256, String mirrorUrl, String member) {
        return """
                version: 1
                mirrors: {debian: "%s/debian", security: "%s/debian-security"}
                packages:
                  tools: {name: tools, version: "1.0", path: pool/main/t/tools/tools_1.0_amd64.deb, sha256: %s}
                kernel: {package: tools, path: %s}
                firmware: {package: tools, path: usr/bin/tool}
                stub: {package: tools, path: usr/bin/tool}
                cmdline: console=ttyS0
                stage1: {config: {"_stage2": {"x86_64": {"url": "https://example.org/s2", "sha256": "%s"}}}}
                """.formatted(mirrorUrl, mirrorUrl, debSha256, member, "00".repeat(32));
    }

    private String mirrorUrl() {
        return "http://127.0.0.1:" + mirror.getAddress().getPort();
    }

    private int build(String specText) throws IOException {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), specText);
        return Main.run(new PrintWriter(out), new PrintWriter(err), "build", spec.toString(), "-o",
                dir.resolve("out").toString(), "--cache", dir.resolve("cache").toString());
    }

    private void assertNothingWritten() throws IOException {
        assertFalse(Files.exists(dir.resolve("out")), "no output directory");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out")), "no staging directory left");
        }
    }

    private String sha256(byte[] b) {
        return Digest.compute(Digest.HashAlgorithm.SHA256, b).hex();
    }

    @Test
    void wrongPin_namesPackageAndBothDigests_andKeepsTheDownloadOutOfTheCache() throws IOException {
        String wrong = "ab".repeat(32);
        assertEquals(2, build(spec(wrong, mirrorUrl(), "usr/bin/tool")), err::toString);
        String e = err.toString();
        assertTrue(e.contains("tools") && e.contains(wrong) && e.contains(sha256(deb)), e);
        assertEquals(1, e.strip().lines().filter(l -> l.startsWith("builder build:")).count(), e);
        try (Stream<Path> cached = Files.walk(dir.resolve("cache"))) {
            assertTrue(cached.noneMatch(p -> p.toString().endsWith(".deb")), "the bad download is not cached");
        }
        assertNothingWritten();
    }

    @Test
    void unreachableMirror_isAClearError() throws IOException {
        int code = build(spec(sha256(deb), "http://127.0.0.1:1", "usr/bin/tool"));
        assertTrue(code == 1 || code == 2, "exit " + code);
        assertTrue(err.toString().contains("127.0.0.1:1"), err::toString);
        assertNothingWritten();
    }

    @Test
    void packageWithoutTheFile_namesPackageAndPath() throws IOException {
        assertEquals(2, build(spec(sha256(deb), mirrorUrl(), "boot/vmlinuz")), err::toString);
        assertTrue(err.toString().contains("boot/vmlinuz") && err.toString().contains("tools"), err::toString);
        assertNothingWritten();
    }

    @Test
    void unknownField_isRejectedBeforeAnyDownload() throws IOException {
        assertEquals(2, build(spec(sha256(deb), mirrorUrl(), "usr/bin/tool") + "colour: blue\n"));
        assertTrue(err.toString().contains("unknown field 'colour'"), err::toString);
        assertFalse(Files.exists(dir.resolve("cache")), "nothing fetched");
    }

    @Test
    void existingOutput_isRefusedWithoutForce() throws IOException {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/keep"), "x");
        assertEquals(2, build(spec(sha256(deb), mirrorUrl(), "usr/bin/tool")));
        assertTrue(err.toString().contains("--force"), err::toString);
        assertEquals("x", Files.readString(dir.resolve("out/keep")));
    }
}
