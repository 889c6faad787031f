package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.Main;
import io.cvmboot.measure.snp.IdAuth;
import io.cvmboot.measure.snp.IdBlock;
import io.cvmboot.measure.snp.IdBlockSigner;
import io.cvmboot.measure.snp.OvmfFooterTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builder measure snp} as a drop-in: every sev-snp-measure v0.0.13 vector's argv, run
 * through our CLI, prints the reference's stdout. The vectors and fixtures live in the measure
 * module's test resources (measure/src/test/resources/snp, see its README.md).
 */
class MeasureSnpCommandTest {
    static final Path SNP = Path.of(System.getProperty("basedir", ".")).resolve("../measure/src/test/resources/snp").normalize();
    static final Path AMDSEV = SNP.resolve("OVMF.amdsev.sid.fd");
    static final Path BOOKWORM = SNP.resolve("OVMF.bookworm.fd");
    private static final String KERNEL_TOKEN = "${TEST_KERNEL_DIR}/vmlinuz";

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(List<String> args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    }

    private int snp(String... args) {
        List<String> a = new ArrayList<>(List.of("measure", "snp"));
        a.addAll(Arrays.asList(args));
        return run(a);
    }

    static Path kernel() {
        String env = System.getenv("CVMBOOT_TEST_KERNEL_DIR");
        Path dir = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "cvmboot", "test-kernel");
        Path k = dir.resolve("vmlinuz");
        assumeTrue(Files.isRegularFile(k), "test kernel " + k + " absent: run ci/fetch-test-kernel.sh (or set CVMBOOT_TEST_KERNEL_DIR)");
        return k;
    }

    static JsonNode vectors() throws Exception {
        return new ObjectMapper().readTree(SNP.resolve("vectors.json").toFile());
    }

    /** The reference argv with its script name replaced and files resolved. */
    static List<String> ourArgv(JsonNode v) {
        List<String> a = new ArrayList<>(List.of("measure", "snp"));
        for (JsonNode n : v.get("argv")) {
            a.add(n.asText());
        }
        a.remove(2); // python3
        a.remove(2); // sev-snp-measure.py
        for (int i = 2; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals(KERNEL_TOKEN)) {
                a.set(i, kernel().toString());
            } else if (!s.startsWith("-") && Files.isRegularFile(SNP.resolve(s)) && a.get(i - 1).startsWith("--")
                    && !a.get(i - 1).equals("--append")) {
                a.set(i, SNP.resolve(s).toString());
            }
        }
        return a;
    }

    @TestFactory
    Stream<DynamicTest> referenceArgv_printsTheReferenceOutput() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors().get("vectors")) {
            tests.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                int rc = run(ourArgv(v));
                if (v.get("rc").asInt() == 0) {
                    assertEquals(0, rc, err::toString);
                    assertEquals(v.get("stdout").asText() + System.lineSeparator(), out.toString());
                    assertEquals("", err.toString());
                } else {
                    // The reference fails with 1 and "Error: ..."; we say which file and exit 2 (unusable input).
                    assertEquals(2, rc);
                    assertEquals("", out.toString());
                    String line = err.toString().strip();
                    assertEquals(1, line.lines().count(), line);
                    assertTrue(line.startsWith("builder measure snp: " + BOOKWORM + ": a kernel was given"), line);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void verbose_printsTheReferenceSentence() {
        assertEquals(0, snp("--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV.toString(), "-v"));
        assertEquals("Calculated SEV_SNP guest measurement: "
                + "d74bd3ea40b240c3228edc5177ce6193561ebff633dbd0be76d6c143b876d65102425c0e2e8a930857c48daa5eacda58",
                out.toString().strip());
    }

    @Test
    void json_hasInputsSha256AndIntermediates() throws Exception {
        Path k = kernel();
        JsonNode doc = vectors();
        assertEquals(0, snp("--mode", "snp", "--vcpus", "4", "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV.toString(),
                "--kernel", k.toString(), "--initrd", SNP.resolve("initrd-small.cpio").toString(),
                "--append", "console=ttyS0 root=/dev/vda rw", "--json"), err::toString);
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertEquals("c8392b06c315ca5c89b3747612222ad4fbcc6a1c0b74e83d09751095de9394b46d00803bea2307798940c2291b095132",
                j.get("measurement").asText());
        assertEquals(doc.get("inputs").get("OVMF.amdsev.sid.fd").asText(), j.get("inputs").get("ovmf").get("sha256").asText());
        assertEquals(doc.get("inputs").get(KERNEL_TOKEN).asText(), j.get("inputs").get("kernel").get("sha256").asText());
        assertEquals(doc.get("inputs").get("initrd-small.cpio").asText(), j.get("inputs").get("initrd").get("sha256").asText());
        JsonNode mid = j.get("intermediates");
        assertEquals("9d0dd8be18c86e3fe3bf0038ed75ebf5340bee69fd2632c8ff9409964575960ae1f7e84be387d2e3467bc3508d1e4806",
                mid.get("firmwareDigest").asText());
        assertEquals("0x80b004", mid.get("apResetEip").asText());
        assertEquals("0x810000", mid.get("kernelHashes").get("pageGpa").asText());
        assertEquals(176 * 2, mid.get("kernelHashes").get("table").asText().length());
        assertEquals(7, mid.get("metadataSections").size());
        assertEquals(1024 + 47 + 4, mid.get("pageUpdates").asInt());
        assertTrue(j.path("trace").isMissingNode());
    }

    @Test
    void jsonTrace_listsEveryPageUpdate() throws Exception {
        assertEquals(0, snp("--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV.toString(),
                "--json", "--trace"), err::toString);
        JsonNode j = new ObjectMapper().readTree(out.toString());
        JsonNode t = j.get("trace");
        assertEquals(1024 + 47 + 2, t.size());
        assertEquals(j.get("measurement").asText(), t.get(t.size() - 1).get("launchDigest").asText());
        assertEquals("VMSA", t.get(t.size() - 1).get("type").asText());
    }

    @Test
    void dumpVmsa_writesThePagesTheReferenceDumps(@TempDir Path dir) throws Exception {
        JsonNode ref = null;
        for (JsonNode v : vectors().get("vmsaPages")) {
            if (v.get("name").asText().equals("vmsa_qemu_milan_gf0x21_snp")) {
                ref = v;
            }
        }
        assertEquals(0, snp("--mode", "snp", "--vcpus", "3", "--vcpu-type", "EPYC-Milan", "--guest-features", "0x21",
                "--ovmf", AMDSEV.toString(), "--dump-vmsa", "--dump-vmsa-dir", dir.toString()), err::toString);
        var sha384 = java.security.MessageDigest.getInstance("SHA-384");
        java.util.HexFormat hex = java.util.HexFormat.of();
        assertEquals(ref.get("bspSha384").asText(), hex.formatHex(sha384.digest(Files.readAllBytes(dir.resolve("vmsa0.bin")))));
        assertEquals(ref.get("apSha384").asText(), hex.formatHex(sha384.digest(Files.readAllBytes(dir.resolve("vmsa1.bin")))));
        assertEquals(ref.get("apSha384").asText(), hex.formatHex(sha384.digest(Files.readAllBytes(dir.resolve("vmsa2.bin")))));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count()); // no temporary files left behind
        }
    }

    // ---- bad input: one line on stderr naming the file or flag, exit 2 -------------------------

    private String badInput(String... args) {
        int rc = snp(args);
        String e = err.toString().strip();
        assertEquals(2, rc, e);
        assertEquals("", out.toString());
        assertEquals(1, e.lines().count(), e);
        return e;
    }

    private String badFirmware(Path fw) {
        return badInput("--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--ovmf", fw.toString());
    }

    private static Path variant(Path dir, String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static int metadataOffset(byte[] fw) throws Exception {
        OvmfFooterTable t = OvmfFooterTable.parse("fw", fw);
        return (int) (fw.length - t.u32("fw", OvmfFooterTable.OVMF_SEV_METADATA).orElseThrow());
    }

    @Test
    void kernelWithFirmwareWithoutKernelHashes_failsNamingTheFirmware() {
        String e = badInput("--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", BOOKWORM.toString(),
                "--kernel", SNP.resolve("initrd-small.cpio").toString());
        assertTrue(e.startsWith("builder measure snp: " + BOOKWORM + ": a kernel was given, but the firmware's SEV metadata has no"
                + " SNP_KERNEL_HASHES section"), e);
    }

    @Test
    void emptyFirmware_failsNamingTheFile(@TempDir Path dir) throws Exception {
        Path fw = variant(dir, "empty.fd", new byte[0]);
        assertEquals("builder measure snp: " + fw + ": the firmware image is empty", badFirmware(fw));
    }

    @Test
    void truncatedFirmware_failsNamingTheFile(@TempDir Path dir) throws Exception {
        Path fw = variant(dir, "truncated.fd", Arrays.copyOf(Files.readAllBytes(AMDSEV), 1 << 20));
        assertTrue(badFirmware(fw).startsWith("builder measure snp: " + fw + ": no OVMF footer table"));
    }

    @Test
    void firmwareNotPageMultiple_failsNamingTheFile(@TempDir Path dir) throws Exception {
        Path fw = variant(dir, "odd.fd", Arrays.copyOf(Files.readAllBytes(AMDSEV), (4 << 20) - 100));
        assertTrue(badFirmware(fw).startsWith("builder measure snp: " + fw + ": the firmware image must be a multiple of 4096 bytes"));
    }

    @Test
    void firmwareWithoutFooterTable_failsNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] b = Files.readAllBytes(AMDSEV);
        Arrays.fill(b, b.length - 50, b.length - 32, (byte) 0xFF);
        Path fw = variant(dir, "nofooter.fd", b);
        assertTrue(badFirmware(fw).startsWith("builder measure snp: " + fw + ": no OVMF footer table: expected GUID"));
    }

    @Test
    void firmwareWithoutResetBlock_failsNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] b = Files.readAllBytes(AMDSEV);
        byte[] guid = OvmfFooterTable.SEV_ES_RESET_BLOCK.efiBytes();
        for (int i = b.length - 4096; i < b.length - 16; i++) {
            if (Arrays.equals(b, i, i + 16, guid, 0, 16)) {
                b[i] ^= 0x55;
            }
        }
        Path fw = variant(dir, "noreset.fd", b);
        assertTrue(badFirmware(fw).startsWith("builder measure snp: " + fw + ": expected a SEV-ES reset block entry"));
    }

    @Test
    void badMetadataSignature_failsNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] b = Files.readAllBytes(AMDSEV);
        b[metadataOffset(b)] = 'X';
        Path fw = variant(dir, "badsig.fd", b);
        assertTrue(badFirmware(fw).startsWith("builder measure snp: " + fw + ": wrong SEV metadata signature"));
    }

    @Test
    void unknownSectionType_failsNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] b = Files.readAllBytes(AMDSEV);
        b[metadataOffset(b) + 16 + 12 + 8] = 7; // second section's type
        Path fw = variant(dir, "badtype.fd", b);
        assertTrue(badFirmware(fw).startsWith("builder measure snp: " + fw + ": SEV metadata section 1 (gpa 0x80a000) has unknown type 0x7"));
    }

    @Test
    void missingFirmware_failsNamingTheFile(@TempDir Path dir) {
        Path fw = dir.resolve("nope.fd");
        assertEquals("builder measure snp: no such file: " + fw, badFirmware(fw));
    }

    @Test
    void unknownVcpuType_listsTheValidOnes() {
        String e = badInput("--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v5", "--ovmf", AMDSEV.toString());
        assertTrue(e.startsWith("builder measure snp: --vcpu-type: unknown vCPU type 'EPYC-v5' (valid, case-sensitive: EPYC, EPYC-v1,"), e);
        assertTrue(e.contains("EPYC-Genoa-v1, EPYC-Turin)"), e);
    }

    @Test
    void unknownVmmType_listsTheValidOnes() {
        String e = badInput("--mode", "snp", "--vcpus", "2", "--vmm-type", "qemu", "--ovmf", AMDSEV.toString());
        assertEquals("builder measure snp: --vmm-type: unknown VMM type 'qemu' (valid: QEMU, ec2, gce)", e);
    }

    @Test
    void guestFeaturesWiderThan64Bits_fails() {
        String e = badInput("--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--guest-features",
                "0x10000000000000000", "--ovmf", AMDSEV.toString());
        assertTrue(e.startsWith("builder measure snp: --guest-features: guest features must fit in 64 bits"), e);
    }

    @Test
    void zeroOrNegativeVcpus_fail() {
        for (String n : List.of("0", "-1")) {
            String e = badInput("--mode", "snp", "--vcpus", n, "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV.toString());
            assertEquals("builder measure snp: --vcpus: expected a vCPU count of at least 1, found " + n, e);
        }
    }

    @Test
    void missingVcpusOrCpuType_failLikeTheReference() {
        assertEquals("builder measure snp: missing --vcpus N in guest mode 'snp'",
                badInput("--mode", "snp", "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV.toString()));
        assertEquals("builder measure snp: missing --vcpu-type or --vcpu-sig or --vcpu-family in guest mode 'snp'",
                badInput("--mode", "snp", "--vcpus", "1", "--ovmf", AMDSEV.toString()));
        assertEquals("builder measure snp: --kernel required when using --initrd",
                badInput("--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--initrd", "x", "--ovmf", AMDSEV.toString()));
    }

    @Test
    void badSnpOvmfHash_fails() {
        assertTrue(badInput("--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC", "--snp-ovmf-hash", "abcd",
                "--ovmf", AMDSEV.toString()).startsWith("builder measure snp: --snp-ovmf-hash: expected 48 bytes"));
        assertTrue(badInput("--mode", "seves", "--vcpus", "1", "--vcpu-type", "EPYC", "--snp-ovmf-hash", "00".repeat(48),
                "--ovmf", AMDSEV.toString()).startsWith("builder measure snp: a precomputed firmware hash only works in mode snp"));
    }

    // ---- id-block -----------------------------------------------------------------------------

    @Test
    void idBlock_deterministicPartsMatchReference_andSignaturesVerify() throws Exception {
        for (JsonNode v : vectors().get("idBlocks")) {
            List<String> a = new ArrayList<>(List.of("measure", "snp", "id-block"));
            JsonNode argv = v.get("argv");
            a.addAll(List.of("--measurement", argv.get(3).asText(), "--idkey", SNP.resolve(argv.get(5).asText()).toString(),
                    "--authorkey", SNP.resolve(argv.get(7).asText()).toString()));
            assertEquals(0, run(a), err::toString);
            List<String> lines = out.toString().lines().toList();
            assertEquals(3, lines.size());
            String[] parts = lines.get(0).split(",");
            assertEquals("id-block=" + v.get("idBlock").asText(), parts[0]);
            assertEquals("id_key_hash: " + v.get("idKeyHash").asText(), lines.get(1));
            assertEquals("author_key: " + v.get("authorKeyHash").asText(), lines.get(2));
            IdBlock block = IdBlock.parse("ours", Base64.getDecoder().decode(v.get("idBlock").asText()));
            IdBlockSigner.verify(block, IdAuth.parse("ours", Base64.getDecoder().decode(parts[1].substring("id-auth=".length()))));
        }
    }

    @Test
    void idBlock_p256Key_failsNamingTheFile() {
        Path p256 = SNP.resolve("p256-key.pkcs8.pem");
        int rc = run(List.of("measure", "snp", "id-block", "--measurement", Base64.getEncoder().encodeToString(new byte[48]),
                "--idkey", p256.toString(), "--authorkey", SNP.resolve("author-key.pkcs8.pem").toString()));
        assertEquals(2, rc);
        assertTrue(err.toString().startsWith("builder measure snp id-block: " + p256 + ": SNP only supports EC curve P-384"), err::toString);
    }
}
