package io.cvmboot.measure.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AmdRootCertificatesTest {
    @Test
    void embeddedRoots_matchThePublishedFingerprints() {
        // Fingerprints as listed in the fixture notes (openssl x509 -fingerprint -sha256), first/last 4 bytes.
        String[][] expected = {
            {"MILAN", "69d063b4", "0bcd", "67d303bd", "ac1b", "c5e081f5", "82f5"},
            {"GENOA", "4c6598d1", "b2f1", "5464738c", "8521", "197e6107", "7372"},
            {"TURIN", "1f084161", "3f6a", "5b77ef5f", "3185", "104e10a8", "1a3c"}};
        for (String[] e : expected) {
            AmdRoots r = AmdRootCertificates.embedded().forProduct(SnpProduct.valueOf(e[0])).orElseThrow();
            assertFingerprint(e[1], e[2], X509Certificates.sha256Fingerprint(r.ark()));
            assertFingerprint(e[3], e[4], X509Certificates.sha256Fingerprint(r.ask()));
            assertFingerprint(e[5], e[6], X509Certificates.sha256Fingerprint(r.asvk()));
        }
    }

    @Test
    void embeddedRoots_areTheSameBytesAsEveryUpstreamCopy() throws Exception {
        // go-sev-guest ships ASK then ARK in one PEM; the embedded ones must be byte-identical.
        var gsg = X509Certificates.parseAll("gsg", ReportFixtures.bytes("go-sev-guest/ask_ark_turin_vcek.pem"));
        AmdRoots turin = AmdRootCertificates.embedded().forProduct(SnpProduct.TURIN).orElseThrow();
        assertEquals(gsg.get(0), turin.ask());
        assertEquals(gsg.get(1), turin.ark());
        assertEquals(ReportFixtures.cert("virtee-sev/ark_genoa.pem"),
                AmdRootCertificates.embedded().forProduct(SnpProduct.GENOA).orElseThrow().ark());
    }

    private static void assertFingerprint(String start, String end, String actual) {
        assertEquals(start, actual.substring(0, 8));
        assertEquals(end, actual.substring(actual.length() - 4));
    }
}
