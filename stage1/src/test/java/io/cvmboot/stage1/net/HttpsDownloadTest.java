package io.cvmboot.stage1.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.Stage1Exception;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https against a loopback server whose certificate (made by the JDK's keytool for IP 127.0.0.1) is
 * or is not in the PEM bundle given to stage1.
 */
class HttpsDownloadTest {
    static final byte[] BODY = "stage2 over tls".getBytes(StandardCharsets.US_ASCII);

    private static Path keytool(Path dir, String alias) throws Exception {
        Path ks = dir.resolve(alias + ".p12");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", alias, "-dname", "CN=" + alias,
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return ks;
    }

    private static Path pem(Path dir, Path keystore, String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        ks.getCertificate(alias).getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(dir.resolve(alias + ".pem"), pem, StandardCharsets.US_ASCII);
    }

    private static HttpsServer server(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        s.createContext("/", x -> {
            x.sendResponseHeaders(200, BODY.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(BODY);
            }
        });
        s.start();
        return s;
    }

    private static DownloadResult get(HttpsServer s, Path bundle) throws IOException {
        Http http = new Http(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)), () -> {
            try {
                return TrustBundle.load(bundle);
            } catch (Stage1Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return Download.stream(http, URI.create("https://127.0.0.1:" + s.getAddress().getPort() + "/s2"), 1000,
                Set.of(), ByteSink.DISCARD, Log.NONE);
    }

    @Test
    void https_serverInBundle_downloads(@TempDir Path dir) throws Exception {
        Path ks = keytool(dir, "server");
        HttpsServer s = server(ks);
        try {
            DownloadResult r = get(s, pem(dir, ks, "server"));
            assertEquals(Digest.compute(HashAlgorithm.SHA256, BODY), r.sha256());
        } finally {
            s.stop(0);
        }
    }

    @Test
    void https_serverNotInBundle_refused(@TempDir Path dir) throws Exception {
        Path ks = keytool(dir, "server");
        Path other = keytool(dir, "other");
        HttpsServer s = server(ks);
        try {
            IOException e = assertThrows(IOException.class, () -> get(s, pem(dir, other, "other")));
            assertTrue(e.getMessage().contains("PKIX") || e.getMessage().contains("certification path"), e.getMessage());
        } finally {
            s.stop(0);
        }
    }

    @Test
    void https_missingBundle_namesThePath(@TempDir Path dir) throws Exception {
        Path ks = keytool(dir, "server");
        HttpsServer s = server(ks);
        try {
            IOException e = assertThrows(IOException.class, () -> get(s, dir.resolve("no-bundle.crt")));
            assertTrue(e.getMessage().contains("no-bundle.crt") && e.getMessage().contains("does not exist"), e.getMessage());
        } finally {
            s.stop(0);
        }
    }
}
