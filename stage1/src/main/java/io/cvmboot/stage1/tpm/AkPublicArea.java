package io.cvmboot.stage1.tpm;

import java.io.IOException;
import java.util.Locale;

/**
 * The check every cloud AK passes before stage1 quotes with it, whether the TPM makes it from a
 * template in NV (GCE) or keeps it at a persistent handle (Azure): its TPMT_PUBLIC (TPM 2.0 Library
 * Part 2, 12.2.4) must describe a restricted signing key (so the TPM signs only what it generated)
 * that stage1 and the verifier can use: ECC NIST P-256 with ECDSA/SHA-256, or RSA-2048 with
 * RSASSA/SHA-256. Anything else is an error naming where the key came from: falling back to
 * stage1's own AK would let a verifier believe an uncertified AK is the certified one.
 */
public final class AkPublicArea {
    // Part 2, Table 31 (TPMA_OBJECT): userWithAuth bit 6, restricted bit 16, decrypt bit 17, sign bit 18.
    static final int TPMA_OBJECT_USER_WITH_AUTH = 1 << 6;
    static final int TPMA_OBJECT_RESTRICTED = 1 << 16;
    static final int TPMA_OBJECT_DECRYPT = 1 << 17;
    static final int TPMA_OBJECT_SIGN = 1 << 18;

    private AkPublicArea() {}

    /**
     * Checks the TPMT_PUBLIC at the start of {@code data}.
     *
     * @param what names the key in messages, e.g. "AK template at NV index 0x01C10003"
     * @return the length of the TPMT_PUBLIC (bytes after it are the caller's business)
     * @throws IOException starting with {@code what}, saying what was expected and what was found
     */
    public static int check(String what, byte[] data) throws IOException {
        TpmReader r = new TpmReader(data, what + " (TPMT_PUBLIC)");
        int type = r.u16();
        if (type != AkTemplate.TPM_ALG_ECC && type != AkTemplate.TPM_ALG_RSA) {
            throw new IOException(String.format(Locale.ROOT,
                    "%s: expected key type RSA (0x0001) or ECC (0x0023), found 0x%04X", what, type));
        }
        r.u16(); // nameAlg: the TPM refuses one it does not implement
        int attributes = r.u32();
        int need = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN;
        if ((attributes & need) != need || (attributes & TPMA_OBJECT_DECRYPT) != 0) {
            throw new IOException(String.format(Locale.ROOT, "%s: expected a restricted signing key "
                    + "(objectAttributes with restricted and sign set, decrypt clear), found objectAttributes 0x%08X",
                    what, attributes));
        }
        if ((attributes & TPMA_OBJECT_USER_WITH_AUTH) == 0) {
            // Part 1, 19.6.3: without userWithAuth, TPM2_Quote needs a policy session; stage1 authorises
            // with the key's (empty) password. Said here rather than as TPM_RC_AUTH_UNAVAILABLE later.
            throw new IOException(String.format(Locale.ROOT, "%s: expected userWithAuth set (stage1 authorises "
                    + "the quote with the key's password; a policy-only key is not supported), found objectAttributes "
                    + "0x%08X", what, attributes));
        }
        r.tpm2b(); // authPolicy
        int symmetric = r.u16();
        if (symmetric != AkTemplate.TPM_ALG_NULL) {
            // Part 2, 12.2.3.5/6: a signing key has no symmetric algorithm (TPM_ALG_NULL).
            throw new IOException(String.format(Locale.ROOT,
                    "%s: expected symmetric TPM_ALG_NULL for a signing key, found 0x%04X", what, symmetric));
        }
        int scheme = r.u16();
        int schemeHash = scheme == AkTemplate.TPM_ALG_NULL ? AkTemplate.TPM_ALG_NULL : r.u16();
        if (type == AkTemplate.TPM_ALG_ECC) {
            requireScheme(what, "ECDSA", AkTemplate.TPM_ALG_ECDSA, scheme, schemeHash);
            int curve = r.u16();
            if (curve != AkTemplate.TPM_ECC_NIST_P256) {
                throw new IOException(String.format(Locale.ROOT,
                        "%s: expected ECC curve NIST P-256 (0x0003), found 0x%04X", what, curve));
            }
            int kdf = r.u16();
            if (kdf != AkTemplate.TPM_ALG_NULL) {
                r.u16();
            }
            r.tpm2b(); // unique.x
            r.tpm2b(); // unique.y
        } else {
            requireScheme(what, "RSASSA", AkTemplate.TPM_ALG_RSASSA, scheme, schemeHash);
            int keyBits = r.u16();
            if (keyBits != 2048) {
                throw new IOException(what + ": expected an RSA-2048 key, found RSA-" + keyBits);
            }
            r.u32(); // exponent
            r.tpm2b(); // unique: modulus
        }
        return r.position();
    }

    /** The quote verifiers (stage1's own check and builder verify-quote) handle SHA-256 signatures only. */
    private static void requireScheme(String what, String name, int expected, int scheme, int hash) throws IOException {
        if (scheme != expected || hash != AkTemplate.TPM_ALG_SHA256) {
            throw new IOException(String.format(Locale.ROOT,
                    "%s: expected signing scheme %s (0x%04X) with SHA-256 (0x000B), found scheme 0x%04X with hash 0x%04X",
                    what, name, expected, scheme, hash));
        }
    }
}
