package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.Main;
import io.cvmboot.builder.boot.pcr.PcrTestUkis;
import io.cvmboot.builder.testing.HostFiles;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code builder measure pcr}: predictions for the UKIs of the captured boots must equal what those
 * guests' TPMs reported (measure/src/test/resources/tpm/logs), plus the refusals.
 */
class MeasurePcrCommandTest {
    /** sha256 of the UKIs booted for the captured logs (logs/README.md); a rebuilt UKI must match to compare. */
    static final Map<String, String> CAPTURED_UKI_SHA256 = Map.of(
            "252-a", "da0764bca6186b7699bfbfa3d2e2ef42478fd52165cf1415582918218506195c",
            "252-b", "1f43d8dc6b475cc933fdc01b075d97760187bcf3b058e7d9433507a801abf1d9",
            "254", "abffcb0087605239dcbee44c540c92603a865cb1f3bf8b5b618e429be6c359f2",
            "257", "96d203698cbd5ac367e1a19b84109e19700e534518815d535d210b7671177f05",
            "252-secureboot", "95e4a24a3a6f01af4b4a2d2479d724f71cddae9de2d7810b4ebbf25caf8e0703");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"252-a", "252-b", "254", "257", "252-secureboot"})
    void capturedBoot_jsonPredictionEqualsGuestPcrs(String name) throws Exception {
        Path uki = rebuiltUki(name);
        Path vars = PcrTestUkis.vars(name);
        Assumptions.assumeTrue(Files.isRegularFile(vars), vars + " absent (package ovmf)");
        // Firmware PCRs: a plain boot takes them from another boot's log (252-a); Secure Boot runs other firmware.
        String reference = PcrTestUkis.capturedLog(PcrTestUkis.secureBoot(name) ? name : "252-a").toString();
        Run r = run("measure", "pcr", "--uki", uki.toString(), "--vars", vars.toString(), "--reference-log", reference,
                "--bank", "sha1,sha256,sha384,sha512", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        Map<HashAlgorithm, Map<Integer, Digest>> guest = PcrTestUkis.capturedPcrs(name);
        List<Integer> checked = new ArrayList<>();
        for (HashAlgorithm bank : HashAlgorithm.values()) {
            JsonNode pcrs = json.get(bank.label());
            for (Iterator<String> it = pcrs.fieldNames(); it.hasNext(); ) {
                int pcr = Integer.parseInt(it.next());
                assertEquals(guest.get(bank).get(pcr).hex(), pcrs.get(Integer.toString(pcr)).asText(),
                        name + " " + bank.label() + " PCR " + pcr);
                checked.add(pcr);
            }
        }
        assertTrue(checked.containsAll(List.of(0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12)), "predicted: " + checked);
        assertFalse(json.get("sha256").has("10"), "PCR 10 (IMA) is never printed as predicted");
        assertTrue(json.get("notPredicted").has("14"), json.get("notPredicted").toString());
        assertEquals(PcrTestUkis.secureBoot(name), json.get("secureBoot").asBoolean());
        assertTrue(json.get("events").size() > 10);
    }

    @Test
    void qemuKernelBoot_withLoadOptions_equalsGuest() throws Exception {
        Path uki = rebuiltUki("252-a");
        Run r = run("measure", "pcr", "--uki", uki.toString(), "--vars", HostFiles.OVMF_VARS.toString(), "--qemu-kernel",
                "--load-options", "console=ttyS0 quiet panic=-1 from=append\t", "--bank", "sha256,sha384", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        Map<HashAlgorithm, Map<Integer, Digest>> guest = PcrTestUkis.capturedPcrs("252-append");
        for (HashAlgorithm bank : List.of(HashAlgorithm.SHA256, HashAlgorithm.SHA384)) {
            for (int pcr : new int[] {4, 7, 9, 11, 12}) {
                assertEquals(guest.get(bank).get(pcr).hex(), json.get(bank.label()).get(Integer.toString(pcr)).asText(),
                        bank.label() + " PCR " + pcr);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"252-extras", "257-extras"})
    void espDropIns_credentialsAndSysext_equalGuest(String name) throws Exception {
        // The files PcrPredictionBootTest put on the ESP (measure/src/test/resources/tpm/logs/README.md).
        Path uki = rebuiltUki(name.startsWith("252") ? "252-a" : "257");
        Path extraDir = Files.createDirectories(dir.resolve("extra.d"));
        Path a = Files.writeString(extraDir.resolve("a.cred"), "first credential, odd size");
        Path b = Files.writeString(extraDir.resolve("b.cred"), "second credential\n");
        Path raw = Files.write(extraDir.resolve("tools.raw"), new byte[] {0x68, 0x73, 0x71, 0x73, 1, 2, 3});
        Path txt = Files.writeString(extraDir.resolve("notes.txt"), "not picked up");
        Path hidden = Files.writeString(extraDir.resolve(".hidden.cred"), "skipped: dot-file");
        Path global = Files.writeString(Files.createDirectories(dir.resolve("loader")).resolve("site.cred"), "global");
        Run r = run("measure", "pcr", "--uki", uki.toString(), "--vars", HostFiles.OVMF_VARS.toString(),
                "--extra", a.toString(), "--extra", b.toString(), "--extra", raw.toString(), "--extra", txt.toString(),
                "--extra", hidden.toString(), "--global-credential", global.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode sha256 = new ObjectMapper().readTree(r.out()).get("sha256");
        Map<Integer, Digest> guest = PcrTestUkis.capturedPcrs(name).get(HashAlgorithm.SHA256);
        for (int pcr : new int[] {4, 7, 9, 11, 12, 13}) {
            assertEquals(guest.get(pcr).hex(), sha256.get(Integer.toString(pcr)).asText(), name + " PCR " + pcr);
        }
    }

    @Test
    void secureBoot_pcr7FromTheReferenceLogAlone_equalsGuest() throws Exception {
        // No VARS: Secure Boot state and db come from the reference log's PCR 7 events (a cloud's case).
        Path uki = rebuiltUki("252-secureboot");
        Run r = run("measure", "pcr", "--uki", uki.toString(), "--reference-log",
                PcrTestUkis.capturedLog("252-secureboot").toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        Map<HashAlgorithm, Map<Integer, Digest>> guest = PcrTestUkis.capturedPcrs("252-secureboot");
        assertTrue(json.get("secureBoot").asBoolean());
        for (int pcr : new int[] {4, 7}) {
            assertEquals(guest.get(HashAlgorithm.SHA256).get(pcr).hex(), json.get("sha256").get(Integer.toString(pcr)).asText(),
                    "PCR " + pcr);
        }
    }

    @Test
    void secureBoot_unsignedUki_isRefused() throws Exception {
        Path uki = rebuiltUki("252-a");
        Run r = run("measure", "pcr", "--uki", uki.toString(), "--reference-log",
                PcrTestUkis.capturedLog("252-secureboot").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("no db entry in the reference log authorises this UKI (it is not signed)"), r.err());
    }

    @Test
    void withoutVarsOrReference_firmwarePcrsAndPcr7AreNotPredicted() throws Exception {
        Path uki = rebuiltUki("252-a");
        Run r = run("measure", "pcr", "--uki", uki.toString());
        assertEquals(0, r.exit(), r.err());
        Map<HashAlgorithm, Map<Integer, Digest>> guest = PcrTestUkis.capturedPcrs("252-a");
        assertTrue(r.out().contains("   4 " + guest.get(HashAlgorithm.SHA256).get(4).hex()), r.out());
        assertTrue(r.out().contains("  11 " + guest.get(HashAlgorithm.SHA256).get(11).hex()), r.out());
        assertTrue(r.out().contains("   7 needs the platform's Secure Boot variables"), r.out());
        assertTrue(r.out().contains("   0 firmware-only"), r.out());
        assertFalse(r.out().contains(guest.get(HashAlgorithm.SHA256).get(0).hex()), "PCR 0 must not be printed");
        assertTrue(r.out().contains("Secure Boot is off (neither given"), "the assumption is stated: " + r.out());
    }

    @Test
    void stage1Inputs_predictPcr14And15AsStage1Defines() throws Exception {
        Path uki = rebuiltUki("252-a");
        Path stage2 = Files.write(dir.resolve("stage2"), "stage2 binary".getBytes(StandardCharsets.US_ASCII));
        Path config = Files.write(dir.resolve("config"), "{\"k\":1}".getBytes(StandardCharsets.US_ASCII));
        Run r = run("measure", "pcr", "--uki", uki.toString(), "--stage2", stage2.toString(), "--config", config.toString(),
                "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode sha256 = new ObjectMapper().readTree(r.out()).get("sha256");
        var expected = Stage1Pcrs.predict(HashAlgorithm.SHA256, Files.readAllBytes(stage2), Files.readAllBytes(config));
        assertEquals(expected.stage2Pcr().hex(), sha256.get("14").asText());
        assertEquals(expected.configPcr().hex(), sha256.get("15").asText());
    }

    @Test
    void stubWithoutLinux_isUnusableInput() {
        Path stub = PcrTestUkis.stubPath(252);
        Assumptions.assumeTrue(Files.isRegularFile(stub), stub + " absent");
        Run r = run("measure", "pcr", "--uki", stub.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("no .linux section"), r.err());
        assertEquals("", r.out(), "nothing predicted is printed");
    }

    @Test
    void unknownStubVersion_isRefused_unlessGivenExplicitly() throws Exception {
        byte[] uki = Files.readAllBytes(rebuiltUki("252-a"));
        byte[] from = "systemd-stub 252.".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(uki, from);
        System.arraycopy("systemd-stub 249.".getBytes(StandardCharsets.US_ASCII), 0, uki, at, from.length);
        Path patched = Files.write(dir.resolve("uki-249.efi"), uki);
        Run refused = run("measure", "pcr", "--uki", patched.toString());
        assertEquals(ExitCodes.BAD_INPUT, refused.exit());
        assertTrue(refused.err().contains("systemd-stub 249 has no verified PCR model"), refused.err());
        Run explicit = run("measure", "pcr", "--uki", patched.toString(), "--systemd-version", "252");
        assertEquals(0, explicit.exit(), explicit.err());
        assertTrue(explicit.out().contains("249.39-1~deb12u2, treated as 252"), explicit.out());
    }

    @Test
    void notAPeFile_isUnusableInput() throws Exception {
        Path junk = Files.write(dir.resolve("junk.efi"), new byte[100]);
        Run r = run("measure", "pcr", "--uki", junk.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("junk.efi: not a PE image"), r.err());
    }

    @Test
    void unknownBank_isUnusableInput() throws Exception {
        Path junk = Files.write(dir.resolve("junk.efi"), new byte[100]);
        Run r = run("measure", "pcr", "--uki", junk.toString(), "--bank", "sha256,md5");
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("unknown hash algorithm 'md5'"), r.err());
    }

    @Test
    void secureBootFlagContradictingVars_isRefused() throws Exception {
        Path uki = rebuiltUki("252-a");
        Assumptions.assumeTrue(Files.isRegularFile(HostFiles.OVMF_VARS), "ovmf absent");
        Run r = run("measure", "pcr", "--uki", uki.toString(), "--vars", HostFiles.OVMF_VARS.toString(), "--secure-boot");
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("Secure Boot was given as on"), r.err());
    }

    private Path rebuiltUki(String name) throws Exception {
        byte[] uki = new PcrTestUkis(dir).build(name);
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(uki));
        Assumptions.assumeTrue(sha.equals(CAPTURED_UKI_SHA256.get(name)), name + ": rebuilt UKI " + sha
                + " is not the captured one (different busybox, kernel or stub?): comparison skipped");
        return Files.write(dir.resolve(name + ".efi"), uki);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("not found");
    }
}
