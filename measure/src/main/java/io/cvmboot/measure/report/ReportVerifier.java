package io.cvmboot.measure.report;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies an SEV-SNP report: first that it is authentic (certificate chain to a pinned AMD root,
 * validity at the given time, ECDSA P-384 signature, report fields consistent with the
 * certificate), then that it is what the {@link ReportPolicy} expects. Authenticity checks run in
 * order and stop at the first failure: once the signature or chain is bad nothing in the report
 * can be trusted, so later checks are listed as not checked rather than passed. Policy checks
 * all run (each mismatch is reported), but only count once the report is authentic.
 */
public final class ReportVerifier {
    private static final HexFormat HEX = HexFormat.of();
    /** P-384 scalars are 48 bytes; the report pads them to 72 (ABI 56860, ECDSA signature format). */
    private static final int P384_SCALAR_SIZE = 48;

    private final AmdRootCertificates roots;

    public ReportVerifier(AmdRootCertificates roots) {
        this.roots = Objects.requireNonNull(roots, "roots");
    }

    /** A verifier trusting AMD's pinned Milan, Genoa and Turin roots. */
    public static ReportVerifier withAmdRoots() {
        return new ReportVerifier(AmdRootCertificates.embedded());
    }

    public VerificationResult verify(AttestationReport report, ReportCertificates certs, ReportPolicy policy) {
        List<Check> checks = new ArrayList<>();
        boolean authentic = new Authenticity(report, certs, policy, checks).run();
        for (Check c : policyChecks(report, certs, policy)) {
            checks.add(authentic ? c : Check.notChecked(c.name(), "the report is not authentic"));
        }
        return new VerificationResult(checks);
    }

    /** The ordered authenticity checks; each step returns false to stop. */
    private final class Authenticity {
        private final AttestationReport report;
        private final ReportCertificates certs;
        private final ReportPolicy policy;
        private final List<Check> checks;
        private final AmdKeyCertificate leaf;
        private SnpProduct product;
        private AmdRoots anchor;
        private X509Certificate intermediate;

        Authenticity(AttestationReport report, ReportCertificates certs, ReportPolicy policy, List<Check> checks) {
            this.report = report;
            this.certs = certs;
            this.policy = policy;
            this.checks = checks;
            this.leaf = certs.signingKey();
        }

        boolean run() {
            List<Step> steps = List.of(
                    new Step("cert.product", this::certProduct),
                    new Step("chain.ark", this::ark),
                    new Step(leaf.kind() == SigningKey.VLEK ? "chain.asvk" : "chain.ask", this::intermediate),
                    new Step(leaf.kind() == SigningKey.VLEK ? "chain.vlek" : "chain.vcek", this::leafSignature),
                    new Step("cert.validity", this::validity),
                    new Step("report.signature", this::signature),
                    new Step("report.signing-key", this::signingKey),
                    new Step("report.product", this::reportProduct),
                    new Step("report.version", this::version),
                    new Step("report.signature-algo", this::signatureAlgo),
                    new Step("report.reserved", this::reserved),
                    new Step("cert.tcb", this::tcb),
                    new Step("cert.hwid", this::hwId));
            for (int i = 0; i < steps.size(); i++) {
                Check c = steps.get(i).check().get();
                checks.add(c);
                if (!c.isPassed()) {
                    for (Step later : steps.subList(i + 1, steps.size())) {
                        checks.add(Check.notChecked(later.name(), c.name() + " failed"));
                    }
                    return false;
                }
            }
            return true;
        }

        private record Step(String name, java.util.function.Supplier<Check> check) {}

        private Check certProduct() {
            String name = "cert.product";
            String issuerCn;
            try {
                issuerCn = CertificateNames.issuerCn(leaf.certificate());
            } catch (io.cvmboot.measure.MeasureException e) {
                return Check.failed(name, e.getMessage());
            }
            Optional<SnpProduct> fromIssuer = CertificateNames.productOfIntermediate(issuerCn);
            if (fromIssuer.isEmpty()) {
                return Check.mismatch(name, "an issuer SEV-<product> or SEV-VLEK-<product>", "CN=" + issuerCn);
            }
            product = fromIssuer.get();
            if (leaf.productName().isPresent()) {
                SnpProduct named;
                try {
                    named = SnpProduct.fromName(leaf.productName().get());
                } catch (io.cvmboot.measure.MeasureException e) {
                    return Check.failed(name, "productName extension: " + e.getMessage());
                }
                if (named != product) {
                    return Check.mismatch(name, "productName " + product.kdsName() + " (from issuer " + issuerCn + ")",
                            leaf.productName().get());
                }
            }
            if (policy.product().isPresent() && policy.product().get() != product) {
                return Check.mismatch(name, policy.product().get().kdsName(), product.kdsName());
            }
            Optional<AmdRoots> r = roots.forProduct(product);
            if (r.isEmpty()) {
                return Check.failed(name, "no trusted AMD roots for " + product.kdsName());
            }
            anchor = r.get();
            return Check.passed(name, product.kdsName() + " " + leaf.kind());
        }

        private Check ark() {
            String name = "chain.ark";
            X509Certificate pinned = anchor.ark();
            if (certs.ark().isPresent()) {
                String presented = X509Certificates.sha256Fingerprint(certs.ark().get());
                String expected = X509Certificates.sha256Fingerprint(pinned);
                if (!presented.equals(expected)) {
                    return Check.mismatch(name, "the pinned ARK-" + product.kdsName() + " (SHA-256 " + expected + ")",
                            "an ARK with SHA-256 " + presented);
                }
            }
            try {
                String cn = CertificateNames.subjectCn(pinned);
                if (!cn.equals("ARK-" + product.kdsName())) {
                    return Check.mismatch(name, "a trusted root CN=ARK-" + product.kdsName(), "CN=" + cn);
                }
            } catch (io.cvmboot.measure.MeasureException e) {
                return Check.failed(name, e.getMessage());
            }
            Optional<String> self = ChainSignatures.problem(pinned, pinned.getPublicKey());
            if (self.isPresent()) {
                return Check.failed(name, "ARK-" + product.kdsName() + " self-signature: " + self.get());
            }
            return Check.passed(name, "ARK-" + product.kdsName() + " SHA-256 " + X509Certificates.sha256Fingerprint(pinned));
        }

        private Check intermediate() {
            String name = leaf.kind() == SigningKey.VLEK ? "chain.asvk" : "chain.ask";
            X509Certificate candidate = certs.intermediate().orElse(anchor.intermediateFor(leaf.kind()));
            String expectedCn = (leaf.kind() == SigningKey.VLEK ? "SEV-VLEK-" : "SEV-") + product.kdsName();
            try {
                String cn = CertificateNames.subjectCn(candidate);
                if (!cn.equals(expectedCn)) {
                    return Check.mismatch(name, "CN=" + expectedCn, "CN=" + cn);
                }
            } catch (io.cvmboot.measure.MeasureException e) {
                return Check.failed(name, e.getMessage());
            }
            if (!candidate.getIssuerX500Principal().equals(anchor.ark().getSubjectX500Principal())) {
                return Check.mismatch(name, "issuer " + anchor.ark().getSubjectX500Principal(),
                        candidate.getIssuerX500Principal().toString());
            }
            Optional<String> problem = ChainSignatures.problem(candidate, anchor.ark().getPublicKey());
            if (problem.isPresent()) {
                return Check.failed(name, expectedCn + " signed by ARK-" + product.kdsName() + ": " + problem.get());
            }
            intermediate = candidate;
            return Check.passed(name, expectedCn + " signed by ARK-" + product.kdsName());
        }

        private Check leafSignature() {
            String name = leaf.kind() == SigningKey.VLEK ? "chain.vlek" : "chain.vcek";
            X509Certificate cert = leaf.certificate();
            if (!cert.getIssuerX500Principal().equals(intermediate.getSubjectX500Principal())) {
                return Check.mismatch(name, "issuer " + intermediate.getSubjectX500Principal(),
                        cert.getIssuerX500Principal().toString());
            }
            Optional<String> problem = ChainSignatures.problem(cert, intermediate.getPublicKey());
            if (problem.isPresent()) {
                return Check.failed(name, leaf.kind() + " certificate: " + problem.get());
            }
            if (!(cert.getPublicKey() instanceof ECPublicKey ec)
                    || ec.getParams().getCurve().getField().getFieldSize() != 384) {
                return Check.mismatch(name, "an EC P-384 public key", cert.getPublicKey().getAlgorithm() + " key");
            }
            return Check.passed(name, leaf.kind() + " signed by " + (leaf.kind() == SigningKey.VLEK ? "ASVK" : "ASK"));
        }

        private Check validity() {
            String name = "cert.validity";
            Date at = Date.from(policy.validationTime());
            for (X509Certificate c : List.of(anchor.ark(), intermediate, leaf.certificate())) {
                try {
                    c.checkValidity(at);
                } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                    return Check.mismatch(name, subject(c) + " valid at " + policy.validationTime(),
                            "validity " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant());
                }
            }
            return Check.passed(name, "ARK, " + subject(intermediate) + " and " + leaf.kind() + " valid at "
                    + policy.validationTime());
        }

        private Check signature() {
            String name = "report.signature";
            byte[] r = report.signatureR();
            byte[] s = report.signatureS();
            // The scalars occupy the low 48 bytes; non-zero padding would be ignored by the
            // conversion below, so it must fail here or tampering there would go unnoticed.
            if (!zero(r, P384_SCALAR_SIZE, r.length) || !zero(s, P384_SCALAR_SIZE, s.length)) {
                return Check.failed(name, "signature R or S has non-zero bytes above the 48-byte P-384 scalar");
            }
            byte[] p1363 = new byte[2 * P384_SCALAR_SIZE];
            for (int i = 0; i < P384_SCALAR_SIZE; i++) {
                p1363[P384_SCALAR_SIZE - 1 - i] = r[i];
                p1363[2 * P384_SCALAR_SIZE - 1 - i] = s[i];
            }
            try {
                Signature ecdsa = Signature.getInstance("SHA384withECDSAinP1363Format");
                ecdsa.initVerify(leaf.certificate().getPublicKey());
                ecdsa.update(report.signedBytes());
                if (!ecdsa.verify(p1363)) {
                    return Check.failed(name, "ECDSA P-384 signature does not verify with the " + leaf.kind() + " key");
                }
            } catch (GeneralSecurityException e) {
                return Check.failed(name, "ECDSA P-384 signature cannot be checked: " + e.getMessage());
            }
            return Check.passed(name, "ECDSA P-384/SHA-384 by the " + leaf.kind() + " (r=" + HEX.formatHex(p1363, 0, 4)
                    + "…)");
        }

        private Check signingKey() {
            SigningKey field = report.signingKey();
            if (field != leaf.kind()) {
                return Check.mismatch("report.signing-key", leaf.kind() + " (the certificate presented)",
                        field + " (signer info bits 4:2)");
            }
            return Check.passed("report.signing-key", field.toString());
        }

        private Check reportProduct() {
            String name = "report.product";
            Optional<AttestationReport.Cpuid> cpuid = report.cpuid();
            if (cpuid.isEmpty()) {
                return Check.passed(name, product.kdsName() + " from the certificate (version " + report.version()
                        + " reports carry no CPUID)");
            }
            AttestationReport.Cpuid c = cpuid.get();
            Optional<SnpProduct> p = SnpProduct.fromCpuid(c.family(), c.model());
            String found = String.format("CPUID family 0x%02x model 0x%02x", c.family(), c.model());
            if (p.isEmpty() || p.get() != product) {
                return Check.mismatch(name, product.kdsName() + " (from the certificate)",
                        found + p.map(x -> " (" + x.kdsName() + ")").orElse(" (unknown product)"));
            }
            return Check.passed(name, product.kdsName() + ", " + found + " stepping " + c.stepping());
        }

        private Check version() {
            if (!policy.allowedVersions().contains(report.version())) {
                return Check.mismatch("report.version", "one of " + new java.util.TreeSet<>(policy.allowedVersions()),
                        String.valueOf(report.version()));
            }
            return Check.passed("report.version", String.valueOf(report.version()));
        }

        private Check signatureAlgo() {
            if (report.signatureAlgo() != AttestationReport.SIGNATURE_ALGO_ECDSA_P384_SHA384) {
                return Check.mismatch("report.signature-algo", "1 (ECDSA P-384 with SHA-384)",
                        String.valueOf(report.signatureAlgo()));
            }
            return Check.passed("report.signature-algo", "ECDSA P-384 with SHA-384");
        }

        private Check reserved() {
            List<String> bad = report.nonZeroReservedRanges();
            if (!bad.isEmpty()) {
                return Check.mismatch("report.reserved", "zero in every reserved range of a version "
                        + report.version() + " report", "non-zero bytes in " + String.join(", ", bad));
            }
            return Check.passed("report.reserved", "all reserved ranges zero");
        }

        private Check tcb() {
            TcbVersion reported = TcbVersion.decode(report.reportedTcbRaw(), product);
            if (product.hasFmcTcbLayout() != leaf.hasFmcSpl()) {
                return Check.failed("cert.tcb", product.kdsName() + " certificates " + (product.hasFmcTcbLayout()
                        ? "must" : "must not") + " carry fmcSPL");
            }
            if (!reported.equals(leaf.tcb())) {
                return Check.mismatch("cert.tcb", "certificate TCB " + leaf.tcb(), "REPORTED_TCB " + reported
                        + " (0x" + TcbVersion.rawHex(report.reportedTcbRaw()) + ")");
            }
            return Check.passed("cert.tcb", "REPORTED_TCB " + reported);
        }

        private Check hwId() {
            String name = "cert.hwid";
            byte[] chip = report.chipId();
            if (leaf.kind() == SigningKey.VLEK) {
                if (leaf.hwId().isPresent()) {
                    return Check.failed(name, "a VLEK certificate must not carry hwID");
                }
                return Check.passed(name, "VLEK (not chip-bound), CSP " + leaf.cspId().orElse("unnamed"));
            }
            if (report.chipIdMasked()) {
                if (!zero(chip, 0, chip.length)) {
                    return Check.mismatch(name, "CHIP_ID all zero (MASK_CHIP_ID is set)", HEX.formatHex(chip));
                }
                return Check.passed(name, "CHIP_ID masked by the guest; not bound");
            }
            if (leaf.hwId().isEmpty()) {
                return Check.failed(name, "the VCEK carries no hwID extension");
            }
            byte[] hw = leaf.hwId().get();
            int expectedLength = product == SnpProduct.TURIN ? AmdKeyCertificate.TURIN_HW_ID_LENGTH
                    : AmdKeyCertificate.HW_ID_LENGTH;
            if (hw.length != expectedLength) {
                return Check.mismatch(name, expectedLength + "-byte hwID for " + product.kdsName(), hw.length + " bytes");
            }
            // Turin binds only CHIP_ID[0:8]; the rest of the field must then be zero (VCEK spec 57230, hwID).
            boolean matches = MessageDigest.isEqual(hw, Arrays.copyOf(chip, hw.length))
                    && zero(chip, hw.length, chip.length);
            if (!matches) {
                return Check.mismatch(name, "CHIP_ID " + HEX.formatHex(hw) + (hw.length < chip.length ? " then zeros" : ""),
                        HEX.formatHex(chip));
            }
            return Check.passed(name, "CHIP_ID equals hwID " + HEX.formatHex(hw, 0, 8) + "…");
        }

        private String subject(X509Certificate c) {
            try {
                return CertificateNames.subjectCn(c);
            } catch (io.cvmboot.measure.MeasureException e) {
                return c.getSubjectX500Principal().toString();
            }
        }
    }

    private static List<Check> policyChecks(AttestationReport report, ReportCertificates certs, ReportPolicy policy) {
        List<Check> checks = new ArrayList<>();
        if (!policy.measurements().isEmpty()) {
            String actual = HEX.formatHex(report.measurement());
            checks.add(policy.measurements().contains(actual)
                    ? Check.passed("measurement", actual)
                    : Check.mismatch("measurement", policy.measurements().size() == 1
                            ? policy.measurements().iterator().next()
                            : "one of " + policy.measurements(), actual));
        }
        bytes(checks, "report-data", policy.reportData(), report.reportData());
        bytes(checks, "host-data", policy.hostData(), report.hostData());
        bytes(checks, "id-key-digest", policy.idKeyDigest(), report.idKeyDigest());
        bytes(checks, "author-key-digest", policy.authorKeyDigest(), report.authorKeyDigest());
        bytes(checks, "family-id", policy.familyId(), report.familyId());
        bytes(checks, "image-id", policy.imageId(), report.imageId());
        policy.minimumGuestSvn().ifPresent(min -> checks.add(Integer.compareUnsigned(report.guestSvn(), min) >= 0
                ? Check.passed("guest-svn", report.guestSvn() + " >= " + min)
                : Check.mismatch("guest-svn", "at least " + min, String.valueOf(report.guestSvn()))));
        List<String> why = policy.guestPolicy().violations(report.policy());
        checks.add(why.isEmpty()
                ? Check.passed("guest-policy", report.policy() + " is " + policy.guestPolicy())
                : Check.mismatch("guest-policy", policy.guestPolicy().toString(),
                        report.policy() + " (" + String.join("; ", why) + ")"));
        policy.minimumTcb().ifPresent(min -> {
            Optional<SnpProduct> product = productOf(certs);
            if (product.isEmpty()) {
                checks.add(Check.failed("minimum-tcb", "the product, needed to decode REPORTED_TCB, is unknown"));
                return;
            }
            TcbVersion reported = TcbVersion.decode(report.reportedTcbRaw(), product.get());
            checks.add(reported.atLeast(min)
                    ? Check.passed("minimum-tcb", "REPORTED_TCB " + reported + " >= " + min)
                    : Check.mismatch("minimum-tcb", "each component at least " + min, "REPORTED_TCB " + reported));
        });
        policy.minimumLaunchTcb().ifPresent(min -> {
            Optional<SnpProduct> product = productOf(certs);
            if (product.isEmpty()) {
                checks.add(Check.failed("minimum-launch-tcb", "the product, needed to decode LAUNCH_TCB, is unknown"));
                return;
            }
            TcbVersion launch = TcbVersion.decode(report.launchTcbRaw(), product.get());
            checks.add(launch.atLeast(min)
                    ? Check.passed("minimum-launch-tcb", "LAUNCH_TCB " + launch + " >= " + min)
                    : Check.mismatch("minimum-launch-tcb", "each component at least " + min, "LAUNCH_TCB " + launch));
        });
        policy.minimumFirmware().ifPresent(min -> {
            AttestationReport.FirmwareVersion current = report.currentVersion();
            checks.add(current.compareTo(min) >= 0
                    ? Check.passed("firmware-version", "CURRENT " + current + " >= " + min)
                    : Check.mismatch("firmware-version", "at least " + min, "CURRENT " + current));
        });
        policy.vmpl().ifPresent(v -> checks.add(report.vmpl() == v
                ? Check.passed("vmpl", String.valueOf(v))
                : Check.mismatch("vmpl", String.valueOf(v), String.valueOf(report.vmpl()))));
        policy.platformInfo().ifPresent(rule -> {
            long masked = report.platformInfo() & rule.mask();
            checks.add(masked == rule.value()
                    ? Check.passed("platform-info", String.format("0x%x", report.platformInfo()))
                    : Check.mismatch("platform-info", String.format("0x%x under mask 0x%x", rule.value(), rule.mask()),
                            String.format("0x%x (0x%x under the mask)", report.platformInfo(), masked)));
        });
        return checks;
    }

    private static Optional<SnpProduct> productOf(ReportCertificates certs) {
        try {
            return CertificateNames.productOfIntermediate(CertificateNames.issuerCn(certs.signingKey().certificate()));
        } catch (io.cvmboot.measure.MeasureException e) {
            return Optional.empty();
        }
    }

    private static void bytes(List<Check> checks, String name, Optional<String> expected, byte[] actual) {
        expected.ifPresent(e -> {
            String a = HEX.formatHex(actual);
            checks.add(e.equals(a) ? Check.passed(name, a) : Check.mismatch(name, e, a));
        });
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
