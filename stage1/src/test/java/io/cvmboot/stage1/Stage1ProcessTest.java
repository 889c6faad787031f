package io.cvmboot.stage1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.stage1.Stage1PcrValues;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import io.cvmboot.stage1.testing.RawHttpServer;
import io.cvmboot.stage1.testing.SwtpmTcp;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import io.cvmboot.stage1.tpm.TpmSignature;
import io.cvmboot.stage1.tpm.TpmsAttest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stage1 run as its own process on the host (execveat replaces the process, so it cannot run inside
 * the test JVM), against swtpm over TCP and a loopback server. stage2 is {@code /bin/echo}: a real
 * ELF whose output proves what argv it got.
 */
class Stage1ProcessTest {

    record Run(int exit, String stdout, String stderr) {}

    static Run stage1(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.cvmboot.stage1.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("stage1 did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    static String config(String url, String sha256) {
        return "{\"_stage2\":{\"x86_64\":{\"url\":\"" + url + "\",\"sha256\":\"" + sha256 + "\"},"
                + "\"aarch64\":{\"url\":\"" + url + "\",\"sha256\":\"" + sha256 + "\"},"
                + "\"args\":[\"hello\",\"from stage1\"]},\"custom\":{\"n\":1}}";
    }

    @Test
    void file_downloadsMeasuresAttestsAndExecsStage2(@TempDir Path dir) throws Exception {
        byte[] echo = Files.readAllBytes(Path.of("/bin/echo"));
        String sha = Digest.compute(HashAlgorithm.SHA256, echo).hex();
        try (SwtpmTcp tpm = SwtpmTcp.start(dir.resolve("tpm"), true);
                RawHttpServer http = new RawHttpServer((req, out) -> RawHttpServer.send(out, 200, echo))) {
            byte[] config = config(http.base() + "/stage2", sha).getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve("config.json"), config);
            Path tmp = Files.createDirectory(dir.resolve("tmp"));
            Run r = stage1(dir, "--file", "config.json", "--tpm", "tcp:127.0.0.1:" + tpm.port(), "--tmp", tmp.toString());

            assertEquals(0, r.exit(), r.stderr());
            assertEquals("hello from stage1\n", r.stdout(), "stage2 (echo) ran with the config's args");
            assertArrayEquals(config, Files.readAllBytes(tmp.resolve("stage2-config.json")));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("stage2-config.json"))));
            assertFalse(Files.exists(tmp.resolve("stage2.exe")), "no path copy unless asked for");

            Map<String, Object> attest = flatten(Files.readAllBytes(tmp.resolve("stage1.attest")));
            // PCR 14/15 in every bank equal measure's prediction.
            int banks = 0;
            for (HashAlgorithm bank : HashAlgorithm.values()) {
                Object pcr14 = attest.get("pcrs." + bank.label() + ".14");
                if (pcr14 == null) {
                    continue;
                }
                banks++;
                Stage1PcrValues predicted = Stage1Pcrs.predict(bank, echo, config);
                assertEquals(predicted.stage2Pcr().hex(), pcr14, bank + " PCR 14");
                assertEquals(predicted.configPcr().hex(), attest.get("pcrs." + bank.label() + ".15"), bank + " PCR 15");
            }
            assertTrue(banks >= 1);
            assertEquals(sha, attest.get("stage2.sha256"));
            assertEquals(Digest.compute(HashAlgorithm.SHA256, config).hex(), attest.get("config.sha256"));

            // The quote verifies with the AK, carries the documented nonce and covers the PCR values listed.
            byte[] quoted = Base64.getDecoder().decode((String) attest.get("quote.attest"));
            byte[] signature = Base64.getDecoder().decode((String) attest.get("quote.signature"));
            PublicKey ak = TpmPublicKey.toJca(Base64.getDecoder().decode((String) attest.get("ak.public")));
            TpmSignature.verify(ak, quoted, signature);
            PublicKey spki = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode((String) attest.get("ak.spki"))));
            assertEquals(ak, spki);
            TpmsAttest q = TpmsAttest.parse(quoted);
            MessageDigest nonce = MessageDigest.getInstance("SHA-256");
            nonce.update(HexFormat.of().parseHex(sha));
            nonce.update(Digest.compute(HashAlgorithm.SHA256, config).bytes());
            byte[] expectedNonce = nonce.digest();
            assertArrayEquals(expectedNonce, q.extraData());
            assertEquals(HexFormat.of().formatHex(expectedNonce), attest.get("nonce"));
            MessageDigest pcrDigest = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < 16; i++) {
                pcrDigest.update(HexFormat.of().parseHex((String) attest.get("pcrs.sha256." + i)));
            }
            assertArrayEquals(pcrDigest.digest(), q.pcrDigest());
            // swtpm_setup made an EK certificate; it is in the attestation.
            assertTrue(attest.containsKey("ek.certificates.0"), attest.keySet().toString());
        }
    }

    @Test
    void file_wrongSha256_nothingExecutedNothingMeasured(@TempDir Path dir) throws Exception {
        byte[] echo = Files.readAllBytes(Path.of("/bin/echo"));
        String wrong = Digest.compute(HashAlgorithm.SHA256, "other".getBytes(StandardCharsets.UTF_8)).hex();
        try (SwtpmTcp tpm = SwtpmTcp.start(dir.resolve("tpm"), false);
                RawHttpServer http = new RawHttpServer((req, out) -> RawHttpServer.send(out, 200, echo))) {
            Files.writeString(dir.resolve("config.json"), config(http.base() + "/stage2", wrong));
            Path tmp = Files.createDirectory(dir.resolve("tmp"));
            Run r = stage1(dir, "--file", "config.json", "--tpm", "tcp:127.0.0.1:" + tpm.port(), "--tmp", tmp.toString(),
                    "--compat-stage2-exe");
            assertEquals(1, r.exit());
            assertEquals("", r.stdout(), "stage2 did not run");
            assertTrue(r.stderr().contains("expected sha256 " + wrong) && r.stderr().contains("nothing executed"), r.stderr());
            try (var files = Files.list(tmp)) {
                assertEquals(0, files.count(), "no config, attestation or exe written");
            }
        }
    }

    @Test
    void url_configFromUrl_execsStage2WithoutTpmWhenAskedExplicitly(@TempDir Path dir) throws Exception {
        byte[] echo = Files.readAllBytes(Path.of("/bin/echo"));
        String sha = Digest.compute(HashAlgorithm.SHA256, echo).hex();
        try (RawHttpServer http = new RawHttpServer((req, out) -> RawHttpServer.send(out, 200,
                req.path().equals("/config") ? new byte[0] : echo))) {
            byte[] config = config(http.base() + "/stage2", sha).getBytes(StandardCharsets.UTF_8);
            http.handler((req, out) -> RawHttpServer.send(out, 200, req.path().equals("/config") ? config : echo));
            Path tmp = Files.createDirectory(dir.resolve("tmp"));
            Run r = stage1(dir, "--url", http.base() + "/config", "--tpm", "none", "--tmp", tmp.toString());
            assertEquals(0, r.exit(), r.stderr());
            assertEquals("hello from stage1\n", r.stdout());
            assertTrue(r.stderr().contains("config " + http.base() + "/config: " + config.length + " bytes, sha256 "
                    + Digest.compute(HashAlgorithm.SHA256, config).hex()), r.stderr());
            assertTrue(r.stderr().contains("NOT measured"), r.stderr());
            assertFalse(Files.exists(tmp.resolve("stage1.attest")));
        }
    }

    @Test
    void file_noTpmDevice_refusesToRunStage2(@TempDir Path dir) throws Exception {
        byte[] echo = Files.readAllBytes(Path.of("/bin/echo"));
        String sha = Digest.compute(HashAlgorithm.SHA256, echo).hex();
        try (RawHttpServer http = new RawHttpServer((req, out) -> RawHttpServer.send(out, 200, echo))) {
            Files.writeString(dir.resolve("config.json"), config(http.base() + "/stage2", sha));
            Run r = stage1(dir, "--file", "config.json", "--tpm", "device:" + dir.resolve("no-tpm"), "--tmp", dir.toString());
            assertEquals(1, r.exit());
            assertEquals("", r.stdout());
            assertTrue(r.stderr().contains("no TPM") && r.stderr().contains("will not run it unmeasured"), r.stderr());
        }
    }

    @Test
    void attest_challengeIsHashedIntoTheNonce(@TempDir Path dir) throws Exception {
        try (SwtpmTcp tpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            String challenge = "x".repeat(200); // longer than TPM2B_DATA allows unhashed
            Run r = stage1(dir, "--attest", challenge, "--tpm", "tcp:127.0.0.1:" + tpm.port(), "--ak", "rsa");
            assertEquals(0, r.exit(), r.stderr());
            Map<String, Object> attest = flatten(r.stdout().getBytes(StandardCharsets.UTF_8));
            String expected = Digest.compute(HashAlgorithm.SHA256, challenge.getBytes(StandardCharsets.UTF_8)).hex();
            assertEquals(expected, attest.get("nonce"));
            TpmSignature.verify(TpmPublicKey.toJca(Base64.getDecoder().decode((String) attest.get("ak.public"))),
                    Base64.getDecoder().decode((String) attest.get("quote.attest")),
                    Base64.getDecoder().decode((String) attest.get("quote.signature")));
            assertFalse(attest.containsKey("stage2.url"));
        }
    }

    @Test
    void makeConfig_mergesIntoExistingAndRefusesTruncatedSelf(@TempDir Path dir) throws Exception {
        byte[] blob = "binary".getBytes(StandardCharsets.US_ASCII);
        try (RawHttpServer http = new RawHttpServer((req, out) -> RawHttpServer.send(out, 200, blob))) {
            Files.writeString(dir.resolve("existing.json"), "{\"keep\":true,\"_stage2\":{\"aarch64\":{\"url\":\"http://h/a\","
                    + "\"sha256\":\"" + "00".repeat(32) + "\"}}}");
            Run r = stage1(dir, "--make-config", "x86_64", http.base() + "/b", "existing.json");
            assertEquals(0, r.exit(), r.stderr());
            var parsed = io.cvmboot.stage1.config.ConfigParser.parse(r.stdout().getBytes(StandardCharsets.UTF_8), "out");
            assertEquals(Digest.compute(HashAlgorithm.SHA256, blob),
                    parsed.target(io.cvmboot.stage1.config.Architecture.X86_64).sha256());
            assertTrue(r.stdout().contains("\"keep\" : true"));

            // The README mistake of the stage1 this follows: > config.json truncates the input first.
            Process p = new ProcessBuilder("sh", "-c", String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.cvmboot.stage1.Main",
                    "--make-config", "x86_64", http.base() + "/b", "existing.json", "> existing.json"))
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.waitFor());
            assertTrue(out.contains("standard output is the input config"), out);
        }
    }

    /** The JSON as dotted paths → scalar values (array elements by index). */
    static Map<String, Object> flatten(byte[] json) throws IOException {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            walk(p, "", out);
        }
        return out;
    }

    private static void walk(JsonParser p, String prefix, Map<String, Object> out) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                walk(p, prefix.isEmpty() ? name : prefix + "." + name, out);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                walk(p, prefix + "." + i++, out);
            }
        } else if (t == JsonToken.VALUE_STRING) {
            out.put(prefix, p.getText());
        } else {
            out.put(prefix, p.getText());
        }
    }
}
