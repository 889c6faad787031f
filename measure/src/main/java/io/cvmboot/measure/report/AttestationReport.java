package io.cvmboot.measure.report;

import io.cvmboot.measure.MeasureException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP ABI 56860, Table "ATTESTATION_REPORT Structure"),
 * report versions 2, 3 and 5. Parsing only checks the size: every field is signed, so its meaning
 * is judged by {@link ReportVerifier} once the signature is known to be good. Accessors return
 * copies.
 */
public final class AttestationReport {
    /** Size of the report structure. */
    public static final int SIZE = 0x4A0;
    /** The signature covers bytes [0, SIGNED_LENGTH): everything before SIGNATURE. */
    public static final int SIGNED_LENGTH = 0x2A0;

    // Field offsets and sizes from the ATTESTATION_REPORT table (ABI 56860).
    static final int VERSION = 0x000;
    static final int GUEST_SVN = 0x004;
    static final int POLICY = 0x008;
    static final int FAMILY_ID = 0x010;
    static final int IMAGE_ID = 0x020;
    static final int VMPL = 0x030;
    static final int SIGNATURE_ALGO = 0x034;
    static final int CURRENT_TCB = 0x038;
    static final int PLATFORM_INFO = 0x040;
    static final int SIGNER_INFO = 0x048;
    static final int REPORT_DATA = 0x050;
    static final int MEASUREMENT = 0x090;
    static final int HOST_DATA = 0x0C0;
    static final int ID_KEY_DIGEST = 0x0E0;
    static final int AUTHOR_KEY_DIGEST = 0x110;
    static final int REPORT_ID = 0x140;
    static final int REPORT_ID_MA = 0x160;
    static final int REPORTED_TCB = 0x180;
    static final int CPUID_FAM_ID = 0x188;
    static final int CPUID_MOD_ID = 0x189;
    static final int CPUID_STEP = 0x18A;
    static final int CHIP_ID = 0x1A0;
    static final int COMMITTED_TCB = 0x1E0;
    static final int CURRENT_BUILD = 0x1E8;
    static final int COMMITTED_BUILD = 0x1EC;
    static final int LAUNCH_TCB = 0x1F0;
    static final int LAUNCH_MIT_VECTOR = 0x1F8;
    static final int CURRENT_MIT_VECTOR = 0x200;
    static final int SIGNATURE_R = 0x2A0;
    static final int SIGNATURE_S = 0x2E8;
    /** Each signature component is a little-endian integer zero-padded to 72 bytes (ABI 56860, ECDSA signature format). */
    static final int SIGNATURE_COMPONENT_SIZE = 72;

    /** SIGNATURE_ALGO value for ECDSA P-384 with SHA-384 (ABI 56860, Signature Algorithm Encodings). */
    public static final int SIGNATURE_ALGO_ECDSA_P384_SHA384 = 1;

    private final byte[] bytes;
    private final ByteBuffer buffer;

    private AttestationReport(byte[] bytes) {
        this.bytes = bytes;
        this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Parses a raw report.
     *
     * @param inputName how error messages name the input
     * @throws MeasureException when {@code bytes} is not {@value #SIZE} bytes long
     */
    public static AttestationReport parse(String inputName, byte[] bytes) throws MeasureException {
        if (bytes.length != SIZE) {
            throw new MeasureException(inputName + ": expected an SEV-SNP attestation report of " + SIZE
                    + " bytes, found " + bytes.length + " bytes");
        }
        return new AttestationReport(bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes the signature covers. */
    public byte[] signedBytes() {
        return Arrays.copyOf(bytes, SIGNED_LENGTH);
    }

    public int version() {
        return buffer.getInt(VERSION);
    }

    public int guestSvn() {
        return buffer.getInt(GUEST_SVN);
    }

    public GuestPolicy policy() {
        return new GuestPolicy(buffer.getLong(POLICY));
    }

    public byte[] familyId() {
        return range(FAMILY_ID, 16);
    }

    public byte[] imageId() {
        return range(IMAGE_ID, 16);
    }

    public int vmpl() {
        return buffer.getInt(VMPL);
    }

    public int signatureAlgo() {
        return buffer.getInt(SIGNATURE_ALGO);
    }

    public long currentTcbRaw() {
        return buffer.getLong(CURRENT_TCB);
    }

    public long platformInfo() {
        return buffer.getLong(PLATFORM_INFO);
    }

    /** Signer info bit 0: AUTHOR_KEY_EN. */
    public boolean authorKeyEnabled() {
        return (signerInfo() & 1) != 0;
    }

    /** Signer info bit 1: MASK_CHIP_ID (CHIP_ID is zero when set). */
    public boolean chipIdMasked() {
        return (signerInfo() & 2) != 0;
    }

    public SigningKey signingKey() {
        return SigningKey.fromCode((signerInfo() >>> 2) & 0x7);
    }

    public byte[] reportData() {
        return range(REPORT_DATA, 64);
    }

    public byte[] measurement() {
        return range(MEASUREMENT, 48);
    }

    public byte[] hostData() {
        return range(HOST_DATA, 32);
    }

    public byte[] idKeyDigest() {
        return range(ID_KEY_DIGEST, 48);
    }

    public byte[] authorKeyDigest() {
        return range(AUTHOR_KEY_DIGEST, 48);
    }

    public byte[] reportId() {
        return range(REPORT_ID, 32);
    }

    public byte[] reportIdMa() {
        return range(REPORT_ID_MA, 32);
    }

    public long reportedTcbRaw() {
        return buffer.getLong(REPORTED_TCB);
    }

    /** CPUID family, model and stepping (version 3 and later). */
    public Optional<Cpuid> cpuid() {
        if (version() < 3) {
            return Optional.empty();
        }
        return Optional.of(new Cpuid(bytes[CPUID_FAM_ID] & 0xFF, bytes[CPUID_MOD_ID] & 0xFF, bytes[CPUID_STEP] & 0xFF));
    }

    public byte[] chipId() {
        return range(CHIP_ID, 64);
    }

    public long committedTcbRaw() {
        return buffer.getLong(COMMITTED_TCB);
    }

    public FirmwareVersion currentVersion() {
        return firmwareVersion(CURRENT_BUILD);
    }

    public FirmwareVersion committedVersion() {
        return firmwareVersion(COMMITTED_BUILD);
    }

    public long launchTcbRaw() {
        return buffer.getLong(LAUNCH_TCB);
    }

    /** LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR exist from version 5 on. */
    public Optional<Long> launchMitigationVector() {
        return version() >= 5 ? Optional.of(buffer.getLong(LAUNCH_MIT_VECTOR)) : Optional.empty();
    }

    public Optional<Long> currentMitigationVector() {
        return version() >= 5 ? Optional.of(buffer.getLong(CURRENT_MIT_VECTOR)) : Optional.empty();
    }

    /** SIGNATURE.R as stored: 72 bytes, little-endian. */
    public byte[] signatureR() {
        return range(SIGNATURE_R, SIGNATURE_COMPONENT_SIZE);
    }

    /** SIGNATURE.S as stored: 72 bytes, little-endian. */
    public byte[] signatureS() {
        return range(SIGNATURE_S, SIGNATURE_COMPONENT_SIZE);
    }

    /**
     * The reserved ranges of this report's version that hold a non-zero byte, as "0xSTART-0xEND"
     * (end exclusive). The ABI requires them to be zero; a non-zero byte means a layout this
     * verifier does not understand.
     */
    public List<String> nonZeroReservedRanges() {
        List<int[]> ranges = new ArrayList<>();
        ranges.add(new int[] {0x04C, 0x050});
        // Report versions 3+ define CPUID_FAM_ID/MOD_ID/STEP at 0x188-0x18A; version 2 reserves them.
        ranges.add(new int[] {version() >= 3 ? 0x18B : 0x188, 0x1A0});
        ranges.add(new int[] {0x1EB, 0x1EC});
        ranges.add(new int[] {0x1EF, 0x1F0});
        // Version 5 defines LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR at 0x1F8-0x207.
        ranges.add(new int[] {version() >= 5 ? 0x208 : 0x1F8, SIGNED_LENGTH});
        ranges.add(new int[] {SIGNATURE_S + SIGNATURE_COMPONENT_SIZE, SIZE});
        List<String> found = new ArrayList<>();
        if ((signerInfo() >>> 5) != 0) {
            found.add("0x048 bits 31:5 (signer info)");
        }
        for (int[] r : ranges) {
            for (int i = r[0]; i < r[1]; i++) {
                if (bytes[i] != 0) {
                    found.add(String.format("0x%03X-0x%03X", r[0], r[1]));
                    break;
                }
            }
        }
        return found;
    }

    private int signerInfo() {
        return buffer.getInt(SIGNER_INFO);
    }

    private FirmwareVersion firmwareVersion(int offset) {
        return new FirmwareVersion(bytes[offset + 2] & 0xFF, bytes[offset + 1] & 0xFF, bytes[offset] & 0xFF);
    }

    private byte[] range(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** CPUID_FAM_ID, CPUID_MOD_ID and CPUID_STEP (extended family and model). */
    public record Cpuid(int family, int model, int stepping) {}

    /** SEV firmware version major.minor and build. */
    public record FirmwareVersion(int major, int minor, int build) implements Comparable<FirmwareVersion> {
        @Override
        public int compareTo(FirmwareVersion o) {
            return java.util.Comparator.comparingInt(FirmwareVersion::major).thenComparingInt(FirmwareVersion::minor)
                    .thenComparingInt(FirmwareVersion::build).compare(this, o);
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + build;
        }
    }
}
