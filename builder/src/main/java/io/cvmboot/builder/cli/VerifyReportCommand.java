package io.cvmboot.builder.cli;

import io.cvmboot.builder.verify.CheckPrinter;
import io.cvmboot.builder.verify.ExpectedMeasurementFile;
import io.cvmboot.builder.verify.KdsVcekUrl;
import io.cvmboot.builder.verify.VcekFetcher;
import io.cvmboot.measure.report.AttestationReport;
import io.cvmboot.measure.report.GuestPolicy;
import io.cvmboot.measure.report.GuestPolicyRule;
import io.cvmboot.measure.report.ReportCertificates;
import io.cvmboot.measure.report.ReportPolicy;
import io.cvmboot.measure.report.ReportVerifier;
import io.cvmboot.measure.report.SnpProduct;
import io.cvmboot.measure.report.TcbVersion;
import io.cvmboot.measure.report.VerificationResult;
import io.cvmboot.measure.report.X509Certificates;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code builder verify-report}: an SEV-SNP attestation report against AMD's roots and a policy. */
@Command(name = "verify-report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verifies an SEV-SNP attestation report: the VCEK/VLEK chain to AMD's pinned ARK (Milan, Genoa, "
                + "Turin), the report signature, TCB and chip binding, then the expected values.",
            "Prints one line per check (PASS/FAIL/SKIP); exit 0 when every check passes, 3 when one fails, "
                + "2 for unusable input."})
public final class VerifyReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report", required = true, paramLabel = "FILE",
            description = "The report: 1184 raw bytes, or the same as hex text.")
    Path report;

    @Option(names = "--vcek", paramLabel = "FILE", description = "The VCEK or VLEK certificate (DER or PEM).")
    Path vcek;

    @Option(names = "--cert-chain", paramLabel = "FILE",
            description = "PEM bundle of the ASK/ASVK and ARK, optionally with the VCEK/VLEK. A presented ARK must be "
                    + "AMD's pinned one.")
    Path certChain;

    @Option(names = "--fetch-vcek", description = "Fetch the VCEK from the AMD KDS by CHIP_ID and REPORTED_TCB (cached).")
    boolean fetchVcek;

    @Option(names = "--kds-url", paramLabel = "URL", description = "Key Distribution Service base URL (default: ${DEFAULT-VALUE}).",
            defaultValue = "https://kdsintf.amd.com")
    URI kdsUrl;

    @Option(names = "--vcek-cache", paramLabel = "DIR",
            description = "Cache for fetched VCEKs (default: $XDG_CACHE_HOME/cvmboot/vcek or ~/.cache/cvmboot/vcek).")
    Path vcekCache;

    @Option(names = "--expected", paramLabel = "FILE",
            description = "expected-measurement.json: MEASUREMENT must equal one of its snp[].measurement.")
    Path expected;

    @Option(names = "--measurement", paramLabel = "HEX", description = "An accepted launch digest (48 bytes); repeatable.")
    List<String> measurements = new ArrayList<>();

    @Option(names = "--nonce", paramLabel = "HEX",
            description = "REPORT_DATA must be this nonce (at most 64 bytes) followed by zeros.")
    String nonce;

    @Option(names = "--report-data", paramLabel = "HEX", description = "REPORT_DATA exactly (64 bytes).")
    String reportData;

    @Option(names = "--host-data", paramLabel = "HEX", description = "HOST_DATA exactly (32 bytes).")
    String hostData;

    @Option(names = "--id-key-digest", paramLabel = "HEX", description = "ID_KEY_DIGEST exactly (48 bytes).")
    String idKeyDigest;

    @Option(names = "--author-key-digest", paramLabel = "HEX", description = "AUTHOR_KEY_DIGEST exactly (48 bytes).")
    String authorKeyDigest;

    @Option(names = "--family-id", paramLabel = "HEX", description = "FAMILY_ID exactly (16 bytes).")
    String familyId;

    @Option(names = "--image-id", paramLabel = "HEX", description = "IMAGE_ID exactly (16 bytes).")
    String imageId;

    @Option(names = "--min-guest-svn", paramLabel = "N", description = "GUEST_SVN at least N.")
    Integer minGuestSvn;

    @Option(names = "--policy", paramLabel = "HEX",
            description = "Guest policy exactly this value (e.g. 0x30000).")
    String exactPolicy;

    @Option(names = "--max-policy", paramLabel = "HEX",
            description = "Guest policy no more permissive than this: ABI at least its ABI, SMT/MIGRATE_MA/DEBUG/CXL only if "
                    + "set here, SINGLE_SOCKET/MEM_AES_256_XTS/RAPL_DIS/CIPHERTEXT_HIDING/PAGE_SWAP_DISABLE required if set "
                    + "here. Default: 0x30000 (SMT allowed; debug, migration agent, CXL refused).")
    String maxPolicy;

    @Option(names = "--min-tcb", paramLabel = "bl=N,tee=N,snp=N,ucode=N[,fmc=N]",
            description = "Minimum REPORTED_TCB, component-wise.")
    String minTcb;

    @Option(names = "--min-launch-tcb", paramLabel = "bl=N,tee=N,snp=N,ucode=N[,fmc=N]",
            description = "Minimum LAUNCH_TCB, component-wise.")
    String minLaunchTcb;

    @Option(names = "--min-firmware", paramLabel = "MAJOR.MINOR.BUILD",
            description = "Minimum CURRENT firmware version, e.g. 1.55.21.")
    String minFirmware;

    @Option(names = "--vmpl", paramLabel = "N", description = "VMPL exactly N (0..3).")
    Integer vmpl;

    @Option(names = "--platform-info", paramLabel = "MASK:VALUE",
            description = "PLATFORM_INFO bits under MASK must equal VALUE (hex), e.g. 0x2:0x0 to refuse TSME-less hosts.")
    String platformInfo;

    @Option(names = "--report-version", paramLabel = "N", description = "Accepted report versions (default 2..5); repeatable.")
    List<Integer> versions = new ArrayList<>();

    @Option(names = "--product", paramLabel = "NAME",
            description = "Milan, Genoa or Turin: required for --fetch-vcek with version 2 reports, else checked.")
    String product;

    @Option(names = "--at", paramLabel = "TIME",
            description = "Check certificate validity at this time (ISO-8601 instant or date; default: now).")
    String at;

    @Option(names = "--json", description = "Print the checks as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        AttestationReport parsed = AttestationReport.parse(report.toString(), readReport(report));
        Optional<SnpProduct> configuredProduct = product == null ? Optional.empty() : Optional.of(SnpProduct.fromName(product));
        ReportCertificates certs = certificates(parsed, configuredProduct, err);
        ReportPolicy policy = policy(configuredProduct);
        VerificationResult result = ReportVerifier.withAmdRoots().verify(parsed, certs, policy);
        if (json) {
            CheckPrinter.json(result, out);
        } else {
            CheckPrinter.text(result, out);
        }
        return result.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static byte[] readReport(Path file) throws Exception {
        byte[] data = Files.readAllBytes(file);
        if (data.length == AttestationReport.SIZE) {
            return data;
        }
        String text = new String(data, StandardCharsets.US_ASCII).replaceAll("\\s", "");
        if (text.length() == 2 * AttestationReport.SIZE && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(text);
        }
        throw new UserInputException(file + ": expected an SEV-SNP report of " + AttestationReport.SIZE
                + " bytes (raw or as hex text), found " + data.length + " bytes");
    }

    private ReportCertificates certificates(AttestationReport parsed, Optional<SnpProduct> configured,
            java.io.PrintWriter err) throws Exception {
        if (fetchVcek && vcek != null) {
            throw new UserInputException("--fetch-vcek and --vcek are alternatives; give one");
        }
        List<X509Certificate> certs = new ArrayList<>();
        if (vcek != null) {
            certs.addAll(X509Certificates.parseAll(vcek.toString(), Files.readAllBytes(vcek)));
        }
        if (certChain != null) {
            certs.addAll(X509Certificates.parseAll(certChain.toString(), Files.readAllBytes(certChain)));
        }
        if (fetchVcek) {
            SnpProduct p = parsed.cpuid().flatMap(c -> SnpProduct.fromCpuid(c.family(), c.model()))
                    .or(() -> configured)
                    .orElseThrow(() -> new UserInputException("--fetch-vcek: a version " + parsed.version()
                            + " report does not name its product; add --product Milan|Genoa|Turin"));
            VcekFetcher fetcher = new VcekFetcher(kdsUrl, vcekCache != null ? vcekCache : VcekFetcher.defaultCacheDir());
            certs.add(X509Certificates.parse(KdsVcekUrl.hwId(p, parsed.chipId()), fetcher.fetch(parsed, p, err)));
        }
        if (certs.isEmpty()) {
            throw new UserInputException("no signing certificate: give --vcek FILE, --cert-chain FILE holding the "
                    + "VCEK/VLEK, or --fetch-vcek");
        }
        return ReportCertificates.fromBundle(vcek != null ? vcek.toString() : certChain != null ? certChain.toString()
                : "fetched VCEK", certs);
    }

    private ReportPolicy policy(Optional<SnpProduct> configured) throws Exception {
        ReportPolicy.Builder b = ReportPolicy.at(validationTime());
        configured.ifPresent(b::product);
        List<String> accepted = new ArrayList<>();
        for (String m : measurements) {
            accepted.add(hex("--measurement", m, 48));
        }
        if (expected != null) {
            ExpectedMeasurementFile e = ExpectedMeasurementFile.parse(expected.toString(), Files.readAllBytes(expected));
            if (e.snpMeasurements().isEmpty()) {
                throw new UserInputException(expected + ": expected at least one snp[].measurement, found none");
            }
            accepted.addAll(e.snpMeasurements());
        }
        if (!accepted.isEmpty()) {
            b.measurements(accepted);
        }
        if (nonce != null && reportData != null) {
            throw new UserInputException("--nonce and --report-data are alternatives; give one");
        }
        if (nonce != null) {
            byte[] n = bytes("--nonce", nonce);
            if (n.length > 64) {
                throw new UserInputException("--nonce: expected at most 64 bytes, found " + n.length);
            }
            b.reportData(ReportPolicy.reportDataForNonce(n));
        }
        if (reportData != null) {
            b.reportData(hex("--report-data", reportData, 64));
        }
        if (hostData != null) {
            b.hostData(hex("--host-data", hostData, 32));
        }
        if (idKeyDigest != null) {
            b.idKeyDigest(hex("--id-key-digest", idKeyDigest, 48));
        }
        if (authorKeyDigest != null) {
            b.authorKeyDigest(hex("--author-key-digest", authorKeyDigest, 48));
        }
        if (familyId != null) {
            b.familyId(hex("--family-id", familyId, 16));
        }
        if (imageId != null) {
            b.imageId(hex("--image-id", imageId, 16));
        }
        if (minGuestSvn != null) {
            b.minimumGuestSvn(minGuestSvn);
        }
        if (exactPolicy != null && maxPolicy != null) {
            throw new UserInputException("--policy and --max-policy are alternatives; give one");
        }
        if (exactPolicy != null) {
            b.guestPolicy(GuestPolicyRule.exact(new GuestPolicy(number("--policy", exactPolicy))));
        }
        if (maxPolicy != null) {
            b.guestPolicy(GuestPolicyRule.maximum(new GuestPolicy(number("--max-policy", maxPolicy))));
        }
        if (minTcb != null) {
            b.minimumTcb(tcb("--min-tcb", minTcb));
        }
        if (minLaunchTcb != null) {
            b.minimumLaunchTcb(tcb("--min-launch-tcb", minLaunchTcb));
        }
        if (minFirmware != null) {
            String[] p = minFirmware.split("\\.", -1);
            try {
                if (p.length != 3) {
                    throw new NumberFormatException();
                }
                int[] v = {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
                for (int x : v) {
                    if (x < 0 || x > 255) {
                        throw new NumberFormatException();
                    }
                }
                b.minimumFirmware(new AttestationReport.FirmwareVersion(v[0], v[1], v[2]));
            } catch (NumberFormatException e) {
                throw new UserInputException("--min-firmware: expected MAJOR.MINOR.BUILD (each 0..255), found '"
                        + minFirmware + "'", e);
            }
        }
        if (vmpl != null) {
            if (vmpl < 0 || vmpl > 3) {
                throw new UserInputException("--vmpl: expected 0..3, found " + vmpl);
            }
            b.vmpl(vmpl);
        }
        if (platformInfo != null) {
            String[] parts = platformInfo.split(":", -1);
            if (parts.length != 2) {
                throw new UserInputException("--platform-info: expected MASK:VALUE in hex, found '" + platformInfo + "'");
            }
            long mask = number("--platform-info mask", parts[0]);
            long value = number("--platform-info value", parts[1]);
            if ((value & ~mask) != 0) {
                throw new UserInputException("--platform-info: VALUE sets bits outside MASK");
            }
            b.platformInfo(new ReportPolicy.PlatformInfoRule(mask, value));
        }
        if (!versions.isEmpty()) {
            Set<Integer> v = new HashSet<>(versions);
            if (!ReportPolicy.SUPPORTED_VERSIONS.containsAll(v)) {
                throw new UserInputException("--report-version: supported versions are 2..5, found " + versions);
            }
            b.allowedVersions(v);
        }
        return b.build();
    }

    private Instant validationTime() throws UserInputException {
        if (at == null) {
            return Instant.now(); // The CLI's default; the library itself never reads the clock.
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(at).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UserInputException("--at: expected an ISO-8601 instant (2026-11-22T00:00:00Z) or date "
                        + "(2026-11-22), found '" + at + "'", e2);
            }
        }
    }

    static TcbVersion tcb(String option, String spec) throws UserInputException {
        int fmc = 0;
        Integer bl = null;
        Integer tee = null;
        Integer snp = null;
        Integer ucode = null;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", -1);
            if (kv.length != 2) {
                throw new UserInputException(option + ": expected NAME=N pairs (bl, tee, snp, ucode, fmc), found '" + part + "'");
            }
            int v;
            try {
                v = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new UserInputException(option + ": expected a number for " + kv[0] + ", found '" + kv[1] + "'", e);
            }
            if (v < 0 || v > 255) {
                throw new UserInputException(option + ": " + kv[0] + " must be 0..255, found " + v);
            }
            switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                case "bl" -> bl = v;
                case "tee" -> tee = v;
                case "snp" -> snp = v;
                case "ucode" -> ucode = v;
                case "fmc" -> fmc = v;
                default -> throw new UserInputException(option + ": unknown component '" + kv[0]
                        + "' (expected bl, tee, snp, ucode, fmc)");
            }
        }
        if (bl == null || tee == null || snp == null || ucode == null) {
            throw new UserInputException(option + ": expected bl, tee, snp and ucode, found '" + spec + "'");
        }
        return new TcbVersion(fmc, bl, tee, snp, ucode);
    }

    private static byte[] bytes(String option, String hex) throws UserInputException {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        try {
            return HexFormat.of().parseHex(h);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(option + ": expected hex, found '" + hex + "'", e);
        }
    }

    private static String hex(String option, String hex, int length) throws UserInputException {
        byte[] b = bytes(option, hex);
        if (b.length != length) {
            throw new UserInputException(option + ": expected " + length + " bytes of hex, found " + b.length);
        }
        return HexFormat.of().formatHex(b);
    }

    private static long number(String option, String hex) throws UserInputException {
        String h = hex.toLowerCase(Locale.ROOT).startsWith("0x") ? hex.substring(2) : hex;
        try {
            return Long.parseUnsignedLong(h, 16);
        } catch (NumberFormatException e) {
            throw new UserInputException(option + ": expected a hex number, found '" + hex + "'", e);
        }
    }
}
