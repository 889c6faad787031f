package io.cvmboot.measure.snp;

import io.cvmboot.measure.MeasureException;
import java.util.Objects;

/**
 * The ID authentication information structure of SNP_LAUNCH_FINISH (SEV-SNP Firmware ABI rev
 * 1.51, 8.18, "ID_AUTH"), 4096 bytes: u32 ID_KEY_ALGO, u32 AUTH_KEY_ALGO (1 = ECDSA P-384 with
 * SHA-384), ID_BLOCK_SIG at 0x40, ID_KEY at 0x240, ID_KEY_SIG at 0x680, AUTHOR_KEY at 0x880; the
 * rest reserved (zero).
 *
 * @param idBlockSignature signature by the ID key over the 96-byte ID block
 * @param idKeySignature signature by the author key over the 1028-byte ID key structure
 */
public record IdAuth(SnpEcdsaSignature idBlockSignature, SnpEcPublicKey idKey, SnpEcdsaSignature idKeySignature,
        SnpEcPublicKey authorKey) {
    public static final int LENGTH = 4096;
    /** Algorithm value 1: ECDSA P-384 with SHA-384. */
    static final long ALGO_ECDSA_P384_SHA384 = 1;
    static final int OFF_ID_KEY_ALGO = 0x000;
    static final int OFF_AUTH_KEY_ALGO = 0x004;
    static final int OFF_ID_BLOCK_SIG = 0x040;
    static final int OFF_ID_KEY = 0x240;
    static final int OFF_ID_KEY_SIG = 0x680;
    static final int OFF_AUTHOR_KEY = 0x880;

    public IdAuth {
        Objects.requireNonNull(idBlockSignature, "idBlockSignature");
        Objects.requireNonNull(idKey, "idKey");
        Objects.requireNonNull(idKeySignature, "idKeySignature");
        Objects.requireNonNull(authorKey, "authorKey");
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        LittleEndian.put32(b, OFF_ID_KEY_ALGO, ALGO_ECDSA_P384_SHA384);
        LittleEndian.put32(b, OFF_AUTH_KEY_ALGO, ALGO_ECDSA_P384_SHA384);
        put(b, OFF_ID_BLOCK_SIG, idBlockSignature.toBytes());
        put(b, OFF_ID_KEY, idKey.toBytes());
        put(b, OFF_ID_KEY_SIG, idKeySignature.toBytes());
        put(b, OFF_AUTHOR_KEY, authorKey.toBytes());
        return b;
    }

    public static IdAuth parse(String source, byte[] b) throws MeasureException {
        if (b.length != LENGTH) {
            throw new MeasureException(source + ": ID auth information is " + LENGTH + " bytes, found " + b.length);
        }
        for (int off : new int[] {OFF_ID_KEY_ALGO, OFF_AUTH_KEY_ALGO}) {
            long algo = LittleEndian.u32(b, off);
            if (algo != ALGO_ECDSA_P384_SHA384) {
                throw new MeasureException(source + ": expected key algorithm 1 (ECDSA P-384 SHA-384) at 0x"
                        + Integer.toHexString(off) + ", found " + algo);
            }
        }
        return new IdAuth(SnpEcdsaSignature.parse(source + " ID_BLOCK_SIG", b, OFF_ID_BLOCK_SIG),
                SnpEcPublicKey.parse(source + " ID_KEY", b, OFF_ID_KEY),
                SnpEcdsaSignature.parse(source + " ID_KEY_SIG", b, OFF_ID_KEY_SIG),
                SnpEcPublicKey.parse(source + " AUTHOR_KEY", b, OFF_AUTHOR_KEY));
    }

    private static void put(byte[] b, int off, byte[] field) {
        System.arraycopy(field, 0, b, off, field.length);
    }
}
