package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.verify.VerifyFixtures;
import io.cvmboot.builder.verify.VerifyFixtures.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyReportCommandTest {
    private static final String VALID_AT = "2025-10-01T00:00:00Z";

    @TempDir
    Path dir;

    @Test
    void turinReport_verifiesExit0() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "turin_oc_report.bin"),
                "--vcek", VerifyFixtures.file(dir, "turin_oc_vcek.der"), "--at", VALID_AT);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("PASS report.signature"));
        assertTrue(r.out().contains("PASS cert.tcb: REPORTED_TCB fmc=0,bl=1,tee=0,snp=2,ucode=71"), r.out());
        assertTrue(r.out().strip().endsWith("VERIFIED: all 14 checks passed"), r.out());
    }

    @Test
    void hexReportWithBundledChain_verifies() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "report_milan.hex"),
                "--vcek", VerifyFixtures.file(dir, "vcek_milan.der"), "--cert-chain", VerifyFixtures.file(dir, "ask_milan.pem"),
                "--at", VALID_AT, "--product", "Milan");
        assertEquals(0, r.exitCode(), r.out() + r.err());
    }

    @Test
    void expectedMeasurementFile_measurementNotInSet_exit3WithExpectedAndActual() throws Exception {
        Path expected = dir.resolve("expected-measurement.json");
        String other = "ab".repeat(48);
        Files.writeString(expected, "{\"version\":1,\"cmdline\":\"x\",\"snp\":[{\"mode\":\"snp\",\"vcpus\":1,"
                + "\"vcpuType\":\"EPYC-v4\",\"vmmType\":\"QEMU\",\"guestFeatures\":\"0x1\",\"ovmfSha256\":\"00\","
                + "\"measurement\":\"" + other + "\"}],\"tpm\":{}}", StandardCharsets.UTF_8);
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "genoa_oc_report.bin"),
                "--vcek", VerifyFixtures.file(dir, "genoa_oc_vcek.der"), "--at", VALID_AT, "--expected", expected.toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        List<String> failed = r.out().lines().filter(l -> l.startsWith("FAIL")).toList();
        assertEquals(1, failed.size(), r.out());
        assertTrue(failed.get(0).startsWith("FAIL measurement: expected " + other + ", found c57729018b0a6fb9"), failed.get(0));
    }

    @Test
    void wrongNonce_exit3NamingReportData() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "genoa_oc_report.bin"),
                "--vcek", VerifyFixtures.file(dir, "genoa_oc_vcek.der"), "--at", VALID_AT, "--nonce", "0102030405060708");
        assertEquals(3, r.exitCode());
        assertEquals(List.of("report-data"), failedNames(r));
    }

    @Test
    void rightNonce_exit0() throws Exception {
        byte[] report = VerifyFixtures.bytes("genoa_oc_report.bin");
        // REPORT_DATA is at 0x50..0x90 (AMD SEV-SNP ABI, ATTESTATION_REPORT); pass it as a 64-byte nonce.
        String data = HexFormat.of().formatHex(report, 0x50, 0x90);
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "genoa_oc_report.bin"),
                "--vcek", VerifyFixtures.file(dir, "genoa_oc_vcek.der"), "--at", VALID_AT, "--nonce", data);
        assertEquals(0, r.exitCode(), r.out());
    }

    @Test
    void expiredVlekToday_exit3NamingValidity() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "test-vlek-report.bin"),
                "--vcek", VerifyFixtures.file(dir, "test-vlek.der"), "--at", "2026-11-22");
        assertEquals(3, r.exitCode());
        assertEquals(List.of("cert.validity"), failedNames(r));
        assertFalse(r.out().contains("PASS report.signature"), "nothing after the failed check reports as passing");
    }

    @Test
    void wrongArkInChain_exit3NamingArk() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "azure-milan-hcl_snp-report.bin"),
                "--vcek", VerifyFixtures.file(dir, "vcek_milan.der"), "--cert-chain", VerifyFixtures.file(dir, "ark_genoa.pem"),
                "--at", VALID_AT);
        assertEquals(3, r.exitCode());
        assertEquals(List.of("chain.ark"), failedNames(r));
    }

    @Test
    void anotherReportsVcek_exit3NamingSignature() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "azure-milan-hcl_snp-report.bin"),
                "--vcek", VerifyFixtures.file(dir, "vcek.testcer"), "--at", VALID_AT);
        assertEquals(3, r.exitCode());
        assertEquals(List.of("report.signature"), failedNames(r));
    }

    @Test
    void debugGuestRefusedByDefault_acceptedWithMaxPolicy() throws Exception {
        String report = VerifyFixtures.file(dir, "attestation.bin");
        String vcek = VerifyFixtures.file(dir, "vcek.testcer");
        Run refused = VerifyFixtures.run("verify-report", "--report", report, "--vcek", vcek, "--at", VALID_AT);
        assertEquals(List.of("guest-policy"), failedNames(refused));
        Run allowed = VerifyFixtures.run("verify-report", "--report", report, "--vcek", vcek, "--at", VALID_AT,
                "--max-policy", "0xb0000", "--min-tcb", "bl=2,tee=0,snp=5,ucode=68", "--vmpl", "0");
        assertEquals(0, allowed.exitCode(), allowed.out());
    }

    @Test
    void launchTcbAndFirmwareMinimums_eachFailOnItsOwnLine() throws Exception {
        // The AWS VLEK sample: LAUNCH_TCB ucode 219, firmware 1.55.x (doc notes); ask for more.
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "test-vlek-report.bin"),
                "--vcek", VerifyFixtures.file(dir, "test-vlek.der"), "--at", VALID_AT, "--vmpl", "1",
                "--min-launch-tcb", "bl=0,tee=0,snp=0,ucode=255", "--min-firmware", "9.0.0");
        assertEquals(3, r.exitCode(), r.out());
        assertEquals(List.of("minimum-launch-tcb", "firmware-version"), failedNames(r));
        Run bad = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "test-vlek-report.bin"),
                "--vcek", VerifyFixtures.file(dir, "test-vlek.der"), "--min-firmware", "1.55");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--min-firmware"), bad.err());
    }

    @Test
    void json_listsEveryCheck() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "turin_oc_report.bin"),
                "--vcek", VerifyFixtures.file(dir, "turin_oc_vcek.der"), "--at", VALID_AT, "--json", "--vmpl", "1");
        assertEquals(3, r.exitCode());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertFalse(tree.get("verified").asBoolean());
        assertEquals("failed", tree.get("checks").get(tree.get("checks").size() - 1).get("status").asText());
        assertEquals("vmpl", tree.get("checks").get(tree.get("checks").size() - 1).get("name").asText());
    }

    @Test
    void truncatedReport_exit2() throws Exception {
        Path p = dir.resolve("short.bin");
        Files.write(p, new byte[100]);
        Run r = VerifyFixtures.run("verify-report", "--report", p.toString(), "--vcek",
                VerifyFixtures.file(dir, "turin_oc_vcek.der"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("short.bin") && r.err().contains("1184"), r.err());
    }

    @Test
    void noCertificate_exit2() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "turin_oc_report.bin"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--fetch-vcek"), r.err());
    }

    @Test
    void badMinTcb_exit2() throws Exception {
        Run r = VerifyFixtures.run("verify-report", "--report", VerifyFixtures.file(dir, "turin_oc_report.bin"),
                "--vcek", VerifyFixtures.file(dir, "turin_oc_vcek.der"), "--min-tcb", "bl=1,snp=2");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--min-tcb"), r.err());
    }

    private static List<String> failedNames(Run r) {
        return r.out().lines().filter(l -> l.startsWith("FAIL ")).map(l -> l.substring(5, l.indexOf(':'))).toList();
    }
}
