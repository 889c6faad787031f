package io.cvmboot.measure.report;

/**
 * Which key signed the report: the report's signer info bits 4:2 (AMD SEV-SNP ABI 56860,
 * ATTESTATION_REPORT, offset 0x48). Values 2..6 are reserved.
 */
public enum SigningKey {
    /** Versioned Chip Endorsement Key, certified through the ASK. */
    VCEK(0),
    /** Versioned Loaded Endorsement Key, provisioned by a cloud provider, certified through the ASVK. */
    VLEK(1),
    /** The report is unsigned. */
    NONE(7),
    RESERVED(-1);

    private final int code;

    SigningKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static SigningKey fromCode(int code) {
        for (SigningKey k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return RESERVED;
    }
}
