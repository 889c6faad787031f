package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The SNP ID block passed to SNP_LAUNCH_FINISH (SEV-SNP Firmware ABI rev 1.51, 8.18
 * SNP_LAUNCH_FINISH, "ID_BLOCK" structure), 96 bytes: LD (48), FAMILY_ID (16), IMAGE_ID (16),
 * u32 VERSION = 1, u32 GUEST_SVN, u64 POLICY. The firmware refuses the launch unless LD equals the
 * launch digest and POLICY the launch policy.
 *
 * @param familyId 16 opaque bytes, hex
 * @param imageId 16 opaque bytes, hex
 */
public record IdBlock(Digest launchDigest, String familyId, String imageId, long guestSvn, long policy) {
    public static final int LENGTH = 96;
    /** ID_BLOCK VERSION: the only defined value. */
    static final long VERSION = 1;
    /**
     * sev-snp-measure's fixed policy: SMT allowed (bit 16) and the must-be-one bit 17
     * (ABI 4.3 "Guest Policy"), ABI major/minor 0.
     */
    public static final long DEFAULT_POLICY = 0x30000;
    public static final String ZERO_ID = "00".repeat(16);

    public IdBlock {
        Objects.requireNonNull(launchDigest, "launchDigest");
        if (launchDigest.algorithm() != HashAlgorithm.SHA384) {
            throw new IllegalArgumentException("the ID block holds an SNP (SHA-384) launch digest, got " + launchDigest.algorithm());
        }
        familyId = checkId("familyId", familyId);
        imageId = checkId("imageId", imageId);
        if (guestSvn < 0 || guestSvn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("GUEST_SVN is a u32, got " + guestSvn);
        }
    }

    /** The block sev-snp-measure writes: zero IDs, SVN 0, policy 0x30000. */
    public static IdBlock withDefaults(Digest launchDigest) {
        return new IdBlock(launchDigest, ZERO_ID, ZERO_ID, 0, DEFAULT_POLICY);
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        System.arraycopy(launchDigest.bytes(), 0, b, 0, 48);
        System.arraycopy(HexFormat.of().parseHex(familyId), 0, b, 48, 16);
        System.arraycopy(HexFormat.of().parseHex(imageId), 0, b, 64, 16);
        LittleEndian.put32(b, 80, VERSION);
        LittleEndian.put32(b, 84, guestSvn);
        LittleEndian.put64(b, 88, policy);
        return b;
    }

    public static IdBlock parse(String source, byte[] b) throws MeasureException {
        if (b.length != LENGTH) {
            throw new MeasureException(source + ": an ID block is " + LENGTH + " bytes, found " + b.length);
        }
        long version = LittleEndian.u32(b, 80);
        if (version != VERSION) {
            throw new MeasureException(source + ": ID block VERSION must be 1, found " + version);
        }
        long policy = LittleEndian.u32(b, 88) | LittleEndian.u32(b, 92) << 32;
        return new IdBlock(Digest.of(HashAlgorithm.SHA384, Arrays.copyOfRange(b, 0, 48)),
                HexFormat.of().formatHex(b, 48, 64), HexFormat.of().formatHex(b, 64, 80), LittleEndian.u32(b, 84), policy);
    }

    private static String checkId(String name, String hex) {
        Objects.requireNonNull(hex, name);
        if (!hex.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException(name + " must be 16 bytes as 32 hex digits, got '" + hex + "'");
        }
        return hex.toLowerCase(java.util.Locale.ROOT);
    }
}
