package io.cvmboot.measure.report;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a verifier expects of an authentic report, in the spirit of go-sev-guest's
 * validate.Options. Byte values are lower-case hex strings of the field's exact size; an empty
 * Optional (or an empty set of measurements) means the field is not compared. The validation time
 * is always explicit: the library has no clock.
 */
public record ReportPolicy(
        Instant validationTime,
        Optional<SnpProduct> product,
        Set<Integer> allowedVersions,
        Set<String> measurements,
        Optional<String> reportData,
        Optional<String> hostData,
        Optional<String> idKeyDigest,
        Optional<String> authorKeyDigest,
        Optional<String> familyId,
        Optional<String> imageId,
        Optional<Integer> minimumGuestSvn,
        GuestPolicyRule guestPolicy,
        Optional<TcbVersion> minimumTcb,
        Optional<TcbVersion> minimumLaunchTcb,
        Optional<AttestationReport.FirmwareVersion> minimumFirmware,
        Optional<Integer> vmpl,
        Optional<PlatformInfoRule> platformInfo) {

    /** Report versions this verifier understands (2, 3 and 5 seen in the field; 4 is laid out like 3). */
    public static final Set<Integer> SUPPORTED_VERSIONS = Set.of(2, 3, 4, 5);

    public ReportPolicy {
        Objects.requireNonNull(validationTime, "validationTime");
        Objects.requireNonNull(guestPolicy, "guestPolicy");
        allowedVersions = Set.copyOf(allowedVersions);
        for (int v : allowedVersions) {
            if (!SUPPORTED_VERSIONS.contains(v)) {
                throw new IllegalArgumentException("report version " + v + " is not supported (2..5)");
            }
        }
        measurements = java.util.Collections.unmodifiableSortedSet(
                new TreeSet<>(measurements.stream().map(m -> hex("measurement", m, 48)).toList()));
        reportData = reportData.map(v -> hex("report data", v, 64));
        hostData = hostData.map(v -> hex("host data", v, 32));
        idKeyDigest = idKeyDigest.map(v -> hex("ID key digest", v, 48));
        authorKeyDigest = authorKeyDigest.map(v -> hex("author key digest", v, 48));
        familyId = familyId.map(v -> hex("family ID", v, 16));
        imageId = imageId.map(v -> hex("image ID", v, 16));
        vmpl.ifPresent(v -> {
            if (v < 0 || v > 3) {
                throw new IllegalArgumentException("VMPL must be 0..3, got " + v);
            }
        });
    }

    /** A policy that checks authenticity only (plus the default guest-policy rule) at {@code validationTime}. */
    public static Builder at(Instant validationTime) {
        return new Builder(validationTime);
    }

    /** Which PLATFORM_INFO bits are compared ({@code mask}) and the value they must have. */
    public record PlatformInfoRule(long mask, long value) {
        public PlatformInfoRule {
            if ((value & ~mask) != 0) {
                throw new IllegalArgumentException("platform info value sets bits outside its mask");
            }
        }
    }

    /**
     * REPORT_DATA for a nonce shorter than 64 bytes: the nonce followed by zeros (the layout
     * snpguest and go-sev-guest use for a caller-chosen nonce).
     */
    public static String reportDataForNonce(byte[] nonce) {
        if (nonce.length > 64) {
            throw new IllegalArgumentException("a nonce bound in REPORT_DATA is at most 64 bytes, got " + nonce.length);
        }
        return HexFormat.of().formatHex(java.util.Arrays.copyOf(nonce, 64));
    }

    private static String hex(String what, String value, int length) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.length() != 2 * length || !v.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes as hex (" + 2 * length
                    + " digits), got '" + value + "'");
        }
        return v;
    }

    /** Builds a {@link ReportPolicy}; every expectation is optional. */
    public static final class Builder {
        private final Instant validationTime;
        private Optional<SnpProduct> product = Optional.empty();
        private Set<Integer> allowedVersions = SUPPORTED_VERSIONS;
        private Set<String> measurements = Set.of();
        private Optional<String> reportData = Optional.empty();
        private Optional<String> hostData = Optional.empty();
        private Optional<String> idKeyDigest = Optional.empty();
        private Optional<String> authorKeyDigest = Optional.empty();
        private Optional<String> familyId = Optional.empty();
        private Optional<String> imageId = Optional.empty();
        private Optional<Integer> minimumGuestSvn = Optional.empty();
        private GuestPolicyRule guestPolicy = GuestPolicyRule.DEFAULT;
        private Optional<TcbVersion> minimumTcb = Optional.empty();
        private Optional<TcbVersion> minimumLaunchTcb = Optional.empty();
        private Optional<AttestationReport.FirmwareVersion> minimumFirmware = Optional.empty();
        private Optional<Integer> vmpl = Optional.empty();
        private Optional<PlatformInfoRule> platformInfo = Optional.empty();

        private Builder(Instant validationTime) {
            this.validationTime = validationTime;
        }

        public Builder product(SnpProduct p) {
            product = Optional.of(p);
            return this;
        }

        public Builder allowedVersions(Set<Integer> v) {
            allowedVersions = v;
            return this;
        }

        public Builder measurements(List<String> hex) {
            measurements = Set.copyOf(hex);
            return this;
        }

        public Builder reportData(String hex) {
            reportData = Optional.of(hex);
            return this;
        }

        public Builder hostData(String hex) {
            hostData = Optional.of(hex);
            return this;
        }

        public Builder idKeyDigest(String hex) {
            idKeyDigest = Optional.of(hex);
            return this;
        }

        public Builder authorKeyDigest(String hex) {
            authorKeyDigest = Optional.of(hex);
            return this;
        }

        public Builder familyId(String hex) {
            familyId = Optional.of(hex);
            return this;
        }

        public Builder imageId(String hex) {
            imageId = Optional.of(hex);
            return this;
        }

        public Builder minimumGuestSvn(int svn) {
            minimumGuestSvn = Optional.of(svn);
            return this;
        }

        public Builder guestPolicy(GuestPolicyRule rule) {
            guestPolicy = rule;
            return this;
        }

        public Builder minimumTcb(TcbVersion tcb) {
            minimumTcb = Optional.of(tcb);
            return this;
        }

        /** LAUNCH_TCB (the TCB when the guest was launched) at least {@code tcb}, component-wise. */
        public Builder minimumLaunchTcb(TcbVersion tcb) {
            minimumLaunchTcb = Optional.of(tcb);
            return this;
        }

        /** CURRENT firmware major.minor.build at least {@code version} (compared in that order). */
        public Builder minimumFirmware(AttestationReport.FirmwareVersion version) {
            minimumFirmware = Optional.of(version);
            return this;
        }

        public Builder vmpl(int v) {
            vmpl = Optional.of(v);
            return this;
        }

        public Builder platformInfo(PlatformInfoRule rule) {
            platformInfo = Optional.of(rule);
            return this;
        }

        public ReportPolicy build() {
            return new ReportPolicy(validationTime, product, allowedVersions, measurements, reportData, hostData,
                    idKeyDigest, authorKeyDigest, familyId, imageId, minimumGuestSvn, guestPolicy, minimumTcb, minimumLaunchTcb,
                    minimumFirmware, vmpl, platformInfo);
        }
    }
}
