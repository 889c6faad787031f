package io.cvmboot.measure.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Loads the reports and certificates under src/test/resources/report (see PROVENANCE.md there). */
final class ReportFixtures {
    /**
     * A time at which every fixture certificate is valid: after the newest VCEK's notBefore (Oak
     * Genoa, 2025-08-07) and before the AWS VLEK's notAfter (2025-12-10).
     */
    static final Instant VALID_AT = Instant.parse("2025-10-01T00:00:00Z");
    /** "Today" for the expired-VLEK case. */
    static final Instant TODAY = Instant.parse("2026-11-22T00:00:00Z");

    private ReportFixtures() {}

    static byte[] bytes(String path) {
        try (InputStream in = ReportFixtures.class.getResourceAsStream("/report/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource /report/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A report as raw bytes, or as hex text for the virtee/sev sample. */
    static AttestationReport report(String path) throws Exception {
        byte[] data = bytes(path);
        if (path.endsWith(".hex")) {
            data = HexFormat.of().parseHex(new String(data, StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        }
        return AttestationReport.parse(path, data);
    }

    /** The signing certificate (and any ASK/ARK bundled with it in the same file). */
    static ReportCertificates certs(String path) throws Exception {
        return ReportCertificates.fromBundle(path, X509Certificates.parseAll(path, bytes(path)));
    }

    static X509Certificate cert(String path) throws Exception {
        return X509Certificates.parse(path, bytes(path));
    }

    /** The synthetic test hierarchy of synthetic/generate.py, as the only trusted roots. */
    static AmdRootCertificates syntheticRoots() throws Exception {
        return AmdRootCertificates.of(List.of(new AmdRoots(SnpProduct.MILAN, cert("synthetic/test-ark.pem"),
                cert("synthetic/test-ask.pem"), cert("synthetic/test-asvk.pem"))));
    }

    /** A policy permitting every guest-policy freedom, so authenticity alone decides. */
    static ReportPolicy.Builder permissive(Instant at) {
        long all = 1L << GuestPolicy.SMT | 1L << GuestPolicy.RESERVED_ONE | 1L << GuestPolicy.MIGRATE_MA
                | 1L << GuestPolicy.DEBUG | 1L << GuestPolicy.CXL_ALLOW;
        return ReportPolicy.at(at).guestPolicy(GuestPolicyRule.maximum(new GuestPolicy(all)));
    }
}
