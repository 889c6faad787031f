package io.cvmboot.measure.report;

/**
 * The 64-bit guest policy of a report (AMD SEV-SNP ABI 56860, Table "Guest Policy Structure").
 */
public record GuestPolicy(long bits) {
    // Bit positions from the Guest Policy table.
    public static final int SMT = 16;
    /** Reserved, must be one. */
    public static final int RESERVED_ONE = 17;
    public static final int MIGRATE_MA = 18;
    public static final int DEBUG = 19;
    public static final int SINGLE_SOCKET = 20;
    public static final int CXL_ALLOW = 21;
    public static final int MEM_AES_256_XTS = 22;
    public static final int RAPL_DIS = 23;
    public static final int CIPHERTEXT_HIDING = 24;
    public static final int PAGE_SWAP_DISABLE = 25;
    /** Bits 63:26 are reserved and must be zero. */
    public static final long RESERVED_ZERO_MASK = -1L << 26;

    /** Bits that, when set, grant the host or guest a freedom: a verifier allows them only if it says so. */
    public static final int[] PERMISSIONS = {SMT, MIGRATE_MA, DEBUG, CXL_ALLOW};
    /** Bits that, when set, demand a protection: a verifier may require them. */
    public static final int[] REQUIREMENTS = {SINGLE_SOCKET, MEM_AES_256_XTS, RAPL_DIS, CIPHERTEXT_HIDING,
        PAGE_SWAP_DISABLE};

    public int abiMinor() {
        return (int) (bits & 0xFF);
    }

    public int abiMajor() {
        return (int) ((bits >>> 8) & 0xFF);
    }

    public boolean isSet(int bit) {
        return (bits & (1L << bit)) != 0;
    }

    public static String bitName(int bit) {
        return switch (bit) {
            case SMT -> "SMT";
            case RESERVED_ONE -> "RESERVED_ONE";
            case MIGRATE_MA -> "MIGRATE_MA";
            case DEBUG -> "DEBUG";
            case SINGLE_SOCKET -> "SINGLE_SOCKET";
            case CXL_ALLOW -> "CXL_ALLOW";
            case MEM_AES_256_XTS -> "MEM_AES_256_XTS";
            case RAPL_DIS -> "RAPL_DIS";
            case CIPHERTEXT_HIDING -> "CIPHERTEXT_HIDING";
            case PAGE_SWAP_DISABLE -> "PAGE_SWAP_DISABLE";
            default -> "bit " + bit;
        };
    }

    @Override
    public String toString() {
        return String.format("0x%x", bits);
    }
}
