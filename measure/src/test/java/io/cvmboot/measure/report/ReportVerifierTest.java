package io.cvmboot.measure.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportVerifierTest {
    private static final ReportVerifier AMD = ReportVerifier.withAmdRoots();

    /**
     * Every real report verifies with its own certificate. Signer, product, version and
     * measurement prefix come from the fixture notes (snp-report-verification.md §6), which an
     * independent implementation (python cryptography) confirmed.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "go-sev-guest/attestation.bin, go-sev-guest/vcek.testcer, MILAN, 2, VCEK, b07af9620f3b839b",
        "trustee/test-report.bin, trustee/test-vcek.der, MILAN, 2, VCEK, a1f3930413247bb3",
        "virtee-sev/report_milan.hex, virtee-sev/vcek_milan.der, MILAN, 2, VCEK, 7a1e5c266c0108db",
        "snpguard/benign-report.bin, snpguard/vcek.crt, MILAN, 2, VCEK, d841d812c23fa10e",
        "derived/azure-milan-hcl_snp-report.bin, trustee/vcek.pem, MILAN, 2, VCEK, 9ac48fcac8a2d88a",
        "oak/milan_oc_release_report.bin, oak/milan_oc_release_vcek.der, MILAN, 3, VCEK, 195b01b7",
        "oak/milan_oc_staging_report.bin, oak/milan_oc_staging_vcek.der, MILAN, 3, VCEK, 0a3c0fa3",
        "oak/milan_rk_release_report.bin, oak/milan_rk_release_vcek.der, MILAN, 3, VCEK, 195b01b7",
        "oak/milan_rk_staging_report.bin, oak/milan_rk_staging_vcek.der, MILAN, 3, VCEK, 0a3c0fa3",
        "trustee/test-vlek-report.bin, trustee/test-vlek.der, MILAN, 3, VLEK, 8922ebbdd00ec2c5",
        "derived/azure-genoa-hcl_snp-report.bin, trustee/vcek-genoa.pem, GENOA, 3, VCEK, f57dc09a507c6ecd",
        "derived/azure-genoa-hcl_snp-report.bin, derived/azure-genoa_vcek-from-evidence.pem, GENOA, 3, VCEK, f57dc09a507c6ecd",
        "oak/genoa_oc_report.bin, oak/genoa_oc_vcek.der, GENOA, 5, VCEK, c57729018b0a6fb9",
        "oak/turin_oc_report.bin, oak/turin_oc_vcek.der, TURIN, 5, VCEK, f924dd18f168df60",
    })
    void realReport_verifiesWithItsCertificate(String reportPath, String certPath, SnpProduct product, int version,
            SigningKey signer, String measurementPrefix) throws Exception {
        AttestationReport report = ReportFixtures.report(reportPath);
        assertEquals(version, report.version());
        assertEquals(signer, report.signingKey());
        assertTrue(HexFormat.of().formatHex(report.measurement()).startsWith(measurementPrefix));

        VerificationResult result = AMD.verify(report, ReportFixtures.certs(certPath),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).product(product).build());

        assertEquals(List.of(), result.failures(), () -> result.checks().toString());
        assertTrue(result.passed());
        assertTrue(result.checks().stream().anyMatch(c -> c.name().equals("report.signature") && c.isPassed()));
    }

    @Test
    void turinReport_bindsFmcTcbAndEightByteHwId() throws Exception {
        AttestationReport report = ReportFixtures.report("oak/turin_oc_report.bin");
        AmdKeyCertificate vcek = ReportFixtures.certs("oak/turin_oc_vcek.der").signingKey();
        // Doc §2 (verified on this report): REPORTED_TCB 0x4700000002000100 -> fmc 0, bl 1, tee 0, snp 2, ucode 71.
        assertEquals(new TcbVersion(0, 1, 0, 2, 71), TcbVersion.decode(report.reportedTcbRaw(), SnpProduct.TURIN));
        assertEquals(new TcbVersion(0, 1, 0, 2, 71), vcek.tcb());
        assertEquals(8, vcek.hwId().orElseThrow().length);
        assertEquals(1, vcek.structVersion());
    }

    @Test
    void flippedByteInEachSignedField_failsOnlyTheSignatureCheck() throws Exception {
        for (String[] pair : new String[][] {
            {"oak/turin_oc_report.bin", "oak/turin_oc_vcek.der"},
            {"go-sev-guest/attestation.bin", "go-sev-guest/vcek.testcer"},
            {"trustee/test-vlek-report.bin", "trustee/test-vlek.der"}}) {
            byte[] good = ReportFixtures.report(pair[0]).bytes();
            ReportCertificates certs = ReportFixtures.certs(pair[1]);
            // One byte inside every field of the ATTESTATION_REPORT table, reserved ranges included,
            // then inside SIGNATURE.R, its zero padding, and SIGNATURE.S.
            int[] offsets = {0x000, 0x004, 0x008, 0x010, 0x020, 0x030, 0x034, 0x038, 0x040, 0x048, 0x04C, 0x050, 0x090,
                0x0C0, 0x0E0, 0x110, 0x140, 0x160, 0x180, 0x188, 0x189, 0x18A, 0x18B, 0x1A0, 0x1E0, 0x1E8, 0x1EB,
                0x1EC, 0x1F0, 0x1F8, 0x200, 0x208, 0x29F, 0x2A0, 0x2D0, 0x2E7, 0x2E8, 0x32F};
            for (int offset : offsets) {
                byte[] bad = good.clone();
                bad[offset] ^= 0x01;
                VerificationResult r = AMD.verify(AttestationReport.parse("flipped", bad), certs,
                        ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
                assertEquals(List.of("report.signature"), r.failedNames(), pair[0] + String.format(" @0x%03X", offset));
                assertFalse(r.passed());
                assertOnlyEarlierChecksPassed(r, "report.signature");
            }
        }
    }

    @Test
    void flippedByteInUnsignedTrailer_failsTheReservedCheck() throws Exception {
        byte[] bad = ReportFixtures.report("oak/genoa_oc_report.bin").bytes();
        bad[0x400] = 1;
        VerificationResult r = AMD.verify(AttestationReport.parse("trailer", bad),
                ReportFixtures.certs("oak/genoa_oc_vcek.der"), ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("report.reserved"), r.failedNames());
        assertOnlyEarlierChecksPassed(r, "report.reserved");
    }

    @Test
    void anotherReportsVcek_failsSignature() throws Exception {
        VerificationResult r = AMD.verify(ReportFixtures.report("oak/milan_oc_release_report.bin"),
                ReportFixtures.certs("oak/milan_rk_release_vcek.der"),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("report.signature"), r.failedNames());
        assertOnlyEarlierChecksPassed(r, "report.signature");
    }

    @ParameterizedTest
    @CsvSource({"trustee/test-vcek-invalid-legacy.der", "trustee/test-vcek-invalid-new.der"})
    void fakeVcekNotSignedByAmd_failsTheVcekChainLink(String fake) throws Exception {
        VerificationResult r = AMD.verify(ReportFixtures.report("trustee/test-report.bin"), ReportFixtures.certs(fake),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("chain.vcek"), r.failedNames());
        assertOnlyEarlierChecksPassed(r, "chain.vcek");
    }

    @Test
    void fakeVcekWithOctetStringHwId_stillParses() throws Exception {
        // trustee's "new" fake wraps hwID in a DER OCTET STRING; its hwID is 00 01 02 .. 3f.
        byte[] hw = ReportFixtures.certs("trustee/test-vcek-invalid-new.der").signingKey().hwId().orElseThrow();
        assertEquals(64, hw.length);
        assertEquals(0x3f, hw[63]);
    }

    @Test
    void expiredVlekAtToday_failsValidity() throws Exception {
        VerificationResult r = AMD.verify(ReportFixtures.report("trustee/test-vlek-report.bin"),
                ReportFixtures.certs("trustee/test-vlek.der"), ReportFixtures.permissive(ReportFixtures.TODAY).build());
        assertEquals(List.of("cert.validity"), r.failedNames());
        assertTrue(r.failures().get(0).detail().contains("2025-12-10T22:14:21Z"), r.failures().get(0).detail());
        assertOnlyEarlierChecksPassed(r, "cert.validity");
    }

    @Test
    void presentedArkNotThePinnedOne_failsArk() throws Exception {
        // A Milan VCEK presented with Genoa's ARK.
        ReportCertificates milan = ReportFixtures.certs("oak/milan_oc_release_vcek.der");
        ReportCertificates withWrongArk = new ReportCertificates(milan.signingKey(), Optional.empty(),
                Optional.of(ReportFixtures.cert("virtee-sev/ark_genoa.pem")));
        VerificationResult r = AMD.verify(ReportFixtures.report("oak/milan_oc_release_report.bin"), withWrongArk,
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("chain.ark"), r.failedNames());
        assertOnlyEarlierChecksPassed(r, "chain.ark");
    }

    @Test
    void trustedRootsOfAnotherHierarchy_failTheVcekLink() throws Exception {
        VerificationResult r = new ReportVerifier(ReportFixtures.syntheticRoots()).verify(
                ReportFixtures.report("oak/milan_oc_release_report.bin"),
                ReportFixtures.certs("oak/milan_oc_release_vcek.der"),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        // The synthetic ARK and ASK are self-consistent; the genuine VCEK is not signed by that ASK.
        assertEquals(List.of("chain.vcek"), r.failedNames());
    }

    @Test
    void genuineAskPresentedWithChain_isAccepted() throws Exception {
        // trustee/vcek.pem bundles VCEK + ASK + ARK (the genuine Milan ones).
        ReportCertificates bundle = ReportFixtures.certs("trustee/vcek.pem");
        assertTrue(bundle.intermediate().isPresent() && bundle.ark().isPresent());
        VerificationResult r = AMD.verify(ReportFixtures.report("derived/azure-milan-hcl_snp-report.bin"), bundle,
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertTrue(r.passed(), r.checks()::toString);
    }

    @Test
    void syntheticConsistentReport_verifiesUnderSyntheticRoots() throws Exception {
        VerificationResult r = new ReportVerifier(ReportFixtures.syntheticRoots()).verify(
                ReportFixtures.report("synthetic/report-consistent.bin"),
                ReportFixtures.certs("synthetic/test-vcek.der"),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertTrue(r.passed(), r.checks()::toString);
    }

    @Test
    void syntheticReportUnderAmdRoots_failsTheAskLink() throws Exception {
        VerificationResult r = AMD.verify(ReportFixtures.report("synthetic/report-consistent.bin"),
                ReportFixtures.certs("synthetic/test-vcek.der"), ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("chain.vcek"), r.failedNames());
    }

    @Test
    void tcbMismatchBetweenCertificateAndReport_failsCertTcb() throws Exception {
        VerificationResult r = new ReportVerifier(ReportFixtures.syntheticRoots()).verify(
                ReportFixtures.report("synthetic/report-tcb-mismatch.bin"),
                ReportFixtures.certs("synthetic/test-vcek.der"),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("cert.tcb"), r.failedNames());
        assertTrue(r.failures().get(0).detail().contains("snp=25"), r.failures().get(0).detail());
        assertOnlyEarlierChecksPassed(r, "cert.tcb");
    }

    @Test
    void chipIdMismatchBetweenCertificateAndReport_failsCertHwId() throws Exception {
        VerificationResult r = new ReportVerifier(ReportFixtures.syntheticRoots()).verify(
                ReportFixtures.report("synthetic/report-chip-mismatch.bin"),
                ReportFixtures.certs("synthetic/test-vcek.der"),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("cert.hwid"), r.failedNames());
        assertOnlyEarlierChecksPassed(r, "cert.hwid");
    }

    @Test
    void wrongNonce_failsReportDataOnly() throws Exception {
        AttestationReport report = ReportFixtures.report("oak/turin_oc_report.bin");
        String actual = HexFormat.of().formatHex(report.reportData());
        String wrong = "00" + actual.substring(2);
        if (wrong.equals(actual)) {
            wrong = "01" + actual.substring(2);
        }
        ReportCertificates certs = ReportFixtures.certs("oak/turin_oc_vcek.der");
        VerificationResult bad = AMD.verify(report, certs,
                ReportFixtures.permissive(ReportFixtures.VALID_AT).reportData(wrong).build());
        assertEquals(List.of("report-data"), bad.failedNames());
        assertTrue(bad.failures().get(0).detail().contains("expected " + wrong + ", found " + actual));
        VerificationResult good = AMD.verify(report, certs,
                ReportFixtures.permissive(ReportFixtures.VALID_AT).reportData(actual).build());
        assertTrue(good.passed());
    }

    @Test
    void measurementNotInExpectedSet_failsMeasurementOnly() throws Exception {
        AttestationReport report = ReportFixtures.report("oak/genoa_oc_report.bin");
        ReportCertificates certs = ReportFixtures.certs("oak/genoa_oc_vcek.der");
        String actual = HexFormat.of().formatHex(report.measurement());
        String other = HexFormat.of().formatHex(ReportFixtures.report("oak/turin_oc_report.bin").measurement());
        VerificationResult bad = AMD.verify(report, certs,
                ReportFixtures.permissive(ReportFixtures.VALID_AT).measurements(List.of(other, "ab".repeat(48))).build());
        assertEquals(List.of("measurement"), bad.failedNames());
        assertTrue(bad.failures().get(0).detail().endsWith("found " + actual));
        VerificationResult good = AMD.verify(report, certs,
                ReportFixtures.permissive(ReportFixtures.VALID_AT).measurements(List.of(other, actual)).build());
        assertTrue(good.passed());
    }

    @Test
    void debugPolicy_rejectedByDefault() throws Exception {
        // go-sev-guest's sample has policy 0xb0000: SMT, reserved-one and DEBUG.
        VerificationResult r = AMD.verify(ReportFixtures.report("go-sev-guest/attestation.bin"),
                ReportFixtures.certs("go-sev-guest/vcek.testcer"), ReportPolicy.at(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("guest-policy"), r.failedNames());
        assertTrue(r.failures().get(0).detail().contains("DEBUG"));
    }

    @Test
    void policyChecks_eachNamedOnItsOwnLine() throws Exception {
        AttestationReport report = ReportFixtures.report("trustee/test-vlek-report.bin");
        ReportPolicy policy = ReportFixtures.permissive(ReportFixtures.VALID_AT)
                .vmpl(0) // the AWS sample requested at VMPL 1
                .minimumTcb(new TcbVersion(0, 4, 0, 25, 0)) // its snp SPL is 24
                .hostData("11".repeat(32))
                .guestPolicy(GuestPolicyRule.exact(new GuestPolicy(0x30000)))
                .platformInfo(new ReportPolicy.PlatformInfoRule(0x1, 0x0)) // SMT_EN is set (0x27)
                .build();
        VerificationResult r = AMD.verify(report, ReportFixtures.certs("trustee/test-vlek.der"), policy);
        assertEquals(List.of("host-data", "minimum-tcb", "vmpl", "platform-info"), r.failedNames());
    }

    @Test
    void launchTcbAndFirmwareMinimums() throws Exception {
        AttestationReport report = ReportFixtures.report("trustee/test-vlek-report.bin");
        AttestationReport.FirmwareVersion current = report.currentVersion();
        TcbVersion launch = TcbVersion.decode(report.launchTcbRaw(), SnpProduct.MILAN);
        ReportCertificates certs = ReportFixtures.certs("trustee/test-vlek.der");
        VerificationResult ok = AMD.verify(report, certs, ReportFixtures.permissive(ReportFixtures.VALID_AT)
                .minimumLaunchTcb(launch).minimumFirmware(current).build());
        assertTrue(ok.passed(), ok.checks()::toString);
        VerificationResult bad = AMD.verify(report, certs, ReportFixtures.permissive(ReportFixtures.VALID_AT)
                .minimumLaunchTcb(new TcbVersion(0, launch.bootLoader(), launch.tee(), launch.snp(), launch.microcode() + 1))
                .minimumFirmware(new AttestationReport.FirmwareVersion(current.major(), current.minor(), current.build() + 1))
                .build());
        assertEquals(List.of("minimum-launch-tcb", "firmware-version"), bad.failedNames());
    }

    @Test
    void azureHclReport_embeddedSnpReportVerifies() throws Exception {
        // trustee's hcl-report.bin wraps the SNP report at bytes 0x20..0x4C0 (Azure HCL layout).
        byte[] hcl = ReportFixtures.bytes("trustee/hcl-report.bin");
        AttestationReport report = AttestationReport.parse("hcl", java.util.Arrays.copyOfRange(hcl, 0x20, 0x4C0));
        VerificationResult r = AMD.verify(report, ReportFixtures.certs("trustee/vcek.pem"),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertTrue(r.passed(), r.checks()::toString);
    }

    @Test
    void vlekWithPresentedAsvkAndArk_verifies_butNotWithTheVcekAsk() throws Exception {
        ReportCertificates vlek = ReportFixtures.certs("trustee/test-vlek.der");
        // go-sev-guest ships ASVK then ARK for Milan; ask_ark_milan.pem holds the VCEK-side ASK.
        List<java.security.cert.X509Certificate> asvkArk = X509Certificates.parseAll("asvk",
                ReportFixtures.bytes("go-sev-guest/ask_ark_milan_vlek.pem"));
        ReportCertificates withAsvk = new ReportCertificates(vlek.signingKey(), Optional.of(asvkArk.get(0)),
                Optional.of(asvkArk.get(1)));
        AttestationReport report = ReportFixtures.report("trustee/test-vlek-report.bin");
        assertTrue(AMD.verify(report, withAsvk, ReportFixtures.permissive(ReportFixtures.VALID_AT).build()).passed());
        List<java.security.cert.X509Certificate> askArk = X509Certificates.parseAll("ask",
                ReportFixtures.bytes("go-sev-guest/ask_ark_milan.pem"));
        ReportCertificates withAsk = new ReportCertificates(vlek.signingKey(), Optional.of(askArk.get(0)),
                Optional.of(askArk.get(1)));
        VerificationResult r = AMD.verify(report, withAsk, ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("chain.asvk"), r.failedNames());
        assertTrue(r.failures().get(0).detail().contains("CN=SEV-VLEK-Milan"), r.failures().get(0).detail());
    }

    @Test
    void turinVcekWithoutReport_extensionsDecoded() throws Exception {
        // virtee/sev's Turin VCEK: structVersion 1, productName Turin, 8-byte hwID, fmcSPL present.
        AmdKeyCertificate c = ReportFixtures.certs("virtee-sev/vcek_turin.der").signingKey();
        assertEquals(1, c.structVersion());
        assertEquals("Turin", c.productName().orElseThrow());
        assertTrue(c.hasFmcSpl());
        assertEquals(8, c.hwId().orElseThrow().length);
    }

    @Test
    void productConfiguredDifferently_failsCertProduct() throws Exception {
        VerificationResult r = AMD.verify(ReportFixtures.report("oak/milan_oc_release_report.bin"),
                ReportFixtures.certs("oak/milan_oc_release_vcek.der"),
                ReportFixtures.permissive(ReportFixtures.VALID_AT).product(SnpProduct.GENOA).build());
        assertEquals(List.of("cert.product"), r.failedNames());
    }

    @Test
    void vlekReportWithVcek_failsSignature() throws Exception {
        VerificationResult r = AMD.verify(ReportFixtures.report("trustee/test-vlek-report.bin"),
                ReportFixtures.certs("trustee/test-vcek.der"), ReportFixtures.permissive(ReportFixtures.VALID_AT).build());
        assertEquals(List.of("report.signature"), r.failedNames());
    }

    /** Checks before {@code failed} passed; everything after it is NOT_CHECKED, never PASSED. */
    private static void assertOnlyEarlierChecksPassed(VerificationResult r, String failed) {
        boolean after = false;
        for (Check c : r.checks()) {
            if (c.name().equals(failed)) {
                after = true;
                continue;
            }
            if (after) {
                assertEquals(Check.Status.NOT_CHECKED, c.status(), c.toString());
            } else {
                assertEquals(Check.Status.PASSED, c.status(), c.toString());
            }
        }
        assertTrue(after, failed + " was not reported");
    }
}
