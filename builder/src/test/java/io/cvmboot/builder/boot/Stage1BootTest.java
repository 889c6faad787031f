package io.cvmboot.builder.boot;

import static io.cvmboot.builder.testing.Prerequisite.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.boot.stage1.Stage1Image;
import io.cvmboot.builder.boot.stage1.Stage1Initrd;
import io.cvmboot.builder.boot.stage1.Stage2Program;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.QemuSpec;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.testing.HostFiles;
import io.cvmboot.builder.testing.Needs;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.stage1.Stage1PcrValues;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import io.cvmboot.stage1.packaging.Stage1Layout;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import io.cvmboot.stage1.tpm.TpmSignature;
import io.cvmboot.stage1.tpm.TpmsAttest;
import io.cvmboot.uki.UkiAssembler;
import io.cvmboot.uki.UkiSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stage1 as PID 1 in a cvmboot-built UKI (systemd-stub 252 + Debian kernel + an initrd holding only
 * the stage1 image, glibc and NIC modules), booted by OVMF under TCG with swtpm attached; the
 * metadata service (GCP flavour, so the AWS probe fails over first) and the stage2 download are a
 * loopback server reached at 169.254.169.254 through QEMU user networking (address by DHCP in the first
 * boot, static in the second). stage2 prints what it
 * got; the test compares argv, config bytes and PCR 14/15 of every bank with measure's
 * prediction and verifies the attestation's quote. A second boot with a wrong sha256 must end
 * with stage1 powering off and nothing executed.
 */
@Needs({QEMU, SWTPM, OVMF, SYSTEMD_STUB, TEST_KERNEL, STAGE1_IMAGE})
class Stage1BootTest {
    static final String CMDLINE = "console=ttyS0 panic=-1 " + Stage1Layout.kernelCommandLine();
    static final Pattern KERNEL_TIME = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");

    /** stage1 takes its address by DHCP (from QEMU's slirp) in this one, a static one in {@link #ukiStatic}. */
    private static byte[] uki;
    private static byte[] ukiStatic;
    private static byte[] stage2;

    @TempDir
    Path dir;

    @BeforeAll
    static void build(@TempDir Path work) throws Exception {
        Path image = Stage1Image.root();
        stage2 = Stage2Program.build(work);
        uki = uki(Stage1Initrd.build(image, true));
        ukiStatic = uki(Stage1Initrd.build(image, false));
    }

    static byte[] uki(byte[] initrd) throws Exception {
        return UkiAssembler.assemble(UkiSpec.builder()
                .stub(Files.readAllBytes(HostFiles.SYSTEMD_STUB))
                .linux(Files.readAllBytes(TestKernel.vmlinuz()))
                .initrd(initrd)
                .cmdline(CMDLINE)
                .osRelease("ID=cvmboot-stage1-test\n".getBytes(StandardCharsets.UTF_8))
                .build()).bytes();
    }

    static byte[] config(String sha256) {
        return ("{\"_stage2\":{\"x86_64\":{\"url\":\"" + MetadataServer.STAGE2_URL + "\",\"sha256\":\"" + sha256
                + "\"},\"args\":[\"one\",\"two words\"]},\"app\":{\"greeting\":\"hello\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private BootResult boot(byte[] image, byte[] config, String stopMarker) throws Exception {
        try (Swtpm tpm = Swtpm.start(dir.resolve("tpm"), true)) {
            return boot(dir, image, config, stage2, tpm, stopMarker);
        }
    }

    /** Boots {@code image} from an ESP under {@code dir} with {@code tpm}, the GCP metadata service and stage2. */
    static BootResult boot(Path dir, byte[] image, byte[] config, byte[] stage2, Swtpm tpm, String stopMarker)
            throws Exception {
        Path boot = Files.createDirectories(dir.resolve("esp/EFI/BOOT"));
        Files.write(boot.resolve("BOOTX64.EFI"), image);
        try (MetadataServer metadata = MetadataServer.start(MetadataServer.Cloud.GCP, config, stage2)) {
            QemuSpec spec = QemuSpec.builder()
                    .ovmf(HostFiles.OVMF_CODE, HostFiles.OVMF_VARS)
                    .esp(dir.resolve("esp"))
                    .tpm(tpm)
                    .metadataServer(metadata.port())
                    .memoryMiB(1024)
                    .build();
            BootResult r = Qemu.boot(spec, Duration.ofMinutes(10), line -> line.contains(stopMarker)
                    || line.contains("Kernel panic"));
            System.err.println("metadata requests: " + metadata.requests());
            return r;
        }
    }

    @Test
    void stage1AsInit_fetchesVerifiesMeasuresAttestsAndExecsStage2() throws Exception {
        String sha = Digest.compute(HashAlgorithm.SHA256, stage2).hex();
        byte[] config = config(sha);
        BootResult r = boot(uki, config, "STAGE2-DONE");
        String serial = r.serial();
        assertTrue(r.stopped(), "stage2 did not finish (timed out: " + r.timedOut() + ")\nQEMU: " + r.qemuErrors()
                + "\nserial:\n" + tail(serial));
        List<String> lines = r.serialLines();

        // The address came from QEMU's DHCP server (dhcpstart of QemuSpec.metadataServer).
        assertTrue(lines.stream().anyMatch(l -> l.contains("stage1: dhcp eth0: 169.254.0.15/16 from ")), tail(serial));
        // stage2 ran as PID 1 (stage1 exec'd it in place) with the config's args and a fixed environment.
        assertTrue(lines.stream().anyMatch(l -> l.matches("STAGE2 started uptime=[0-9.]+ pid=1")), tail(serial));
        assertTrue(lines.contains("STAGE2 argv[1]=one"), tail(serial));
        assertTrue(lines.contains("STAGE2 argv[2]=two words"), tail(serial));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("STAGE2 argv[3]")), tail(serial));
        assertTrue(lines.contains("STAGE2 PATH=/usr/sbin:/usr/bin:/sbin:/bin"), tail(serial));
        // The config reached stage2 byte for byte.
        assertArrayEquals(config, section(lines, "config").getBytes(StandardCharsets.UTF_8));

        // PCR 14/15 in every bank the guest's TPM has are exactly measure's prediction.
        int banks = 0;
        for (HashAlgorithm bank : HashAlgorithm.values()) {
            String p14 = value(lines, "STAGE2 pcr-" + bank.label() + "/14=");
            if (p14 == null) {
                continue;
            }
            banks++;
            Stage1PcrValues predicted = Stage1Pcrs.predict(bank, stage2, config);
            assertEquals(predicted.stage2Pcr().hex(), p14.toLowerCase(Locale.ROOT), bank + " PCR 14");
            assertEquals(predicted.configPcr().hex(), value(lines, "STAGE2 pcr-" + bank.label() + "/15=")
                    .toLowerCase(Locale.ROOT), bank + " PCR 15");
        }
        assertTrue(banks >= 1, "sysfs showed no PCR bank:\n" + tail(serial));

        // The attestation: quote verifies with the AK, nonce as documented, PCR values as quoted.
        JsonNode attest = new ObjectMapper().readTree(section(lines, "attest"));
        assertEquals(1, attest.get("version").asInt());
        byte[] quoted = Base64.getDecoder().decode(attest.at("/quote/attest").asText());
        TpmSignature.verify(TpmPublicKey.toJca(Base64.getDecoder().decode(attest.at("/ak/public").asText())), quoted,
                Base64.getDecoder().decode(attest.at("/quote/signature").asText()));
        TpmsAttest q = TpmsAttest.parse(quoted);
        MessageDigest nonce = MessageDigest.getInstance("SHA-256");
        nonce.update(HexFormat.of().parseHex(sha));
        nonce.update(Digest.compute(HashAlgorithm.SHA256, config).bytes());
        assertArrayEquals(nonce.digest(), q.extraData());
        MessageDigest pcrDigest = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 16; i++) {
            pcrDigest.update(HexFormat.of().parseHex(attest.at("/pcrs/sha256/" + i).asText()));
        }
        assertArrayEquals(pcrDigest.digest(), q.pcrDigest());
        assertEquals(Stage1Pcrs.predict(HashAlgorithm.SHA256, stage2, config).stage2Pcr().hex(),
                attest.at("/pcrs/sha256/14").asText());
        assertTrue(attest.at("/ek/certificates").size() >= 1, "swtpm_setup made an EK certificate");
        assertTrue(attest.has("eventlog"), "the firmware event log was readable through securityfs");

        reportTiming(lines);
        verifyQuoteCli(section(lines, "attest"), stage2, config, sha);
    }

    /**
     * The guest's attestation through {@code builder verify-quote} (issue 7): accepted as written,
     * refused with the named check when a PCR value or an event-log digest is changed.
     */
    private static void verifyQuoteCli(String attestJson, byte[] stage2, byte[] config, String stage2Sha) throws Exception {
        Path dir = Files.createTempDirectory("cvmboot-attest-");
        ObjectMapper json = new ObjectMapper();
        Stage1PcrValues p = Stage1Pcrs.predict(HashAlgorithm.SHA256, stage2, config);
        Path expected = Files.writeString(dir.resolve("expected-measurement.json"),
                "{\"version\":1,\"cmdline\":\"\",\"snp\":[],\"tpm\":{\"sha256\":{\"14\":\"" + p.stage2Pcr().hex()
                        + "\",\"15\":\"" + p.configPcr().hex() + "\"}}}");
        MessageDigest n = MessageDigest.getInstance("SHA-256");
        n.update(HexFormat.of().parseHex(stage2Sha));
        n.update(Digest.compute(HashAlgorithm.SHA256, config).bytes());
        String nonce = HexFormat.of().formatHex(n.digest());

        Path good = Files.writeString(dir.resolve("stage1.attest"), attestJson);
        CliRun ok = verifyQuote(good, expected, nonce);
        assertEquals(0, ok.code(), ok.output());

        com.fasterxml.jackson.databind.node.ObjectNode pcrTampered =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(attestJson);
        ((com.fasterxml.jackson.databind.node.ObjectNode) pcrTampered.at("/pcrs/sha256")).put("4", "00".repeat(32));
        CliRun pcr = verifyQuote(Files.writeString(dir.resolve("pcr.attest"), pcrTampered.toString()), expected, nonce);
        assertEquals(3, pcr.code(), pcr.output());
        assertTrue(pcr.output().contains("FAIL quote.pcr-digest"), pcr.output());

        // Flip the first digest byte of the first crypto-agile event (after the Spec ID header event:
        // pcrIndex, eventType, SHA-1 digest, eventSize, event; then pcrIndex, eventType, count, algId).
        com.fasterxml.jackson.databind.node.ObjectNode logTampered =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(attestJson);
        byte[] log = Base64.getDecoder().decode(logTampered.get("eventlog").asText());
        int headerSize = java.nio.ByteBuffer.wrap(log, 28, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        log[32 + headerSize + 14] ^= 0x01;
        logTampered.put("eventlog", Base64.getEncoder().encodeToString(log));
        CliRun ev = verifyQuote(Files.writeString(dir.resolve("log.attest"), logTampered.toString()), expected, nonce);
        assertEquals(3, ev.code(), ev.output());
        assertTrue(ev.output().contains("FAIL eventlog"), ev.output());
    }

    private record CliRun(int code, String output) {}

    private static CliRun verifyQuote(Path attestation, Path expected, String nonce) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = io.cvmboot.builder.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "verify-quote",
                "--attestation", attestation.toString(), "--expected", expected.toString(), "--nonce", nonce);
        return new CliRun(code, out + "\n" + err);
    }

    @Test
    void wrongSha256_stage1PowersOffWithNothingExecuted() throws Exception {
        String wrong = Digest.compute(HashAlgorithm.SHA256, "not stage2".getBytes(StandardCharsets.UTF_8)).hex();
        BootResult r = boot(ukiStatic, config(wrong), "stage2 was not started");
        String serial = r.serial();
        assertTrue(r.stopped(), "stage1 did not report its refusal\nserial:\n" + tail(serial));
        assertTrue(serial.contains("expected sha256 " + wrong) && serial.contains("nothing executed"), tail(serial));
        assertFalse(serial.contains("STAGE2 started"), tail(serial));
        assertFalse(serial.contains("extended PCR 14"), "nothing is measured for a binary that is not run");
    }

    /** Kernel time of "Run ... as init process" to stage2's first line: the stage1 boot budget. */
    private static void reportTiming(List<String> lines) {
        Double init = null;
        Double execLine = null;
        Double stage2Uptime = null;
        for (String l : lines) {
            if (l.contains("stage1: ") || l.contains(" as init process") || l.startsWith("STAGE2 started")) {
                System.err.println("serial: " + l);
            }
            if (l.contains("Run " + Stage1Layout.JAVA + " as init process")) {
                init = kernelTime(l);
            } else if (l.contains("stage1: exec stage2")) {
                execLine = kernelTime(l);
            } else if (l.startsWith("STAGE2 started uptime=")) {
                stage2Uptime = Double.parseDouble(l.replaceAll("STAGE2 started uptime=([0-9.]+).*", "$1"));
            }
        }
        System.err.printf(Locale.ROOT, "stage1 boot timing (TCG): init at %s s, stage1 exec at %s s, stage2 running at %s s%n",
                init, execLine, stage2Uptime);
    }

    private static Double kernelTime(String line) {
        Matcher m = KERNEL_TIME.matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    private static String value(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst().orElse(null);
    }

    /** The text stage2 printed between STAGE2-BEGIN label and STAGE2-END label (without the added newline). */
    static String section(List<String> lines, String label) {
        int begin = lines.indexOf("STAGE2-BEGIN " + label);
        int end = lines.indexOf("STAGE2-END " + label);
        assertTrue(begin >= 0 && end > begin, "stage2 printed no " + label);
        List<String> body = new ArrayList<>(lines.subList(begin + 1, end));
        // stage2 prints a newline after the file; the file's own last newline, if any, gives an empty line.
        return String.join("\n", body.subList(0, body.size() - (body.getLast().isEmpty() ? 1 : 0)))
                + (body.getLast().isEmpty() && body.size() > 1 ? "\n" : "");
    }

    static String tail(String serial) {
        return serial.length() <= 8000 ? serial : serial.substring(serial.length() - 8000);
    }
}
