package io.cvmboot.stage1.tpm;

/**
 * Templates (TPMT_PUBLIC) of the attestation key stage1 creates as a primary key in the endorsement
 * hierarchy: a restricted signing key, so the TPM only signs digests it made itself (quotes), never
 * caller-supplied data that could mimic a TPMS_ATTEST. A primary key from a fixed template is the
 * same key on every boot of the same TPM (it is derived from the endorsement seed).
 */
public enum AkTemplate {
    /** ECC NIST P-256, ECDSA with SHA-256. */
    ECC_P256,
    /** RSA 2048, RSASSA-PKCS1-v1_5 with SHA-256. */
    RSA_2048;

    // TPM 2.0 Library Part 2, Table 31 (TPMA_OBJECT): fixedTPM(1) | fixedParent(4) | sensitiveDataOrigin(5)
    // | userWithAuth(6) | restricted(16) | sign(18).
    static final int ATTRIBUTES = 0x00050072;
    // TCG Algorithm Registry, Table 3 (TPM_ALG_ID) and Table 4 (TPM_ECC_CURVE).
    static final int TPM_ALG_RSA = 0x0001;
    static final int TPM_ALG_SHA256 = 0x000B;
    static final int TPM_ALG_NULL = 0x0010;
    static final int TPM_ALG_RSASSA = 0x0014;
    static final int TPM_ALG_ECDSA = 0x0018;
    static final int TPM_ALG_ECC = 0x0023;
    static final int TPM_ECC_NIST_P256 = 0x0003;

    /** The marshalled TPMT_PUBLIC (Part 2, 12.2.4) with an empty unique field. */
    byte[] publicArea() {
        TpmWriter w = new TpmWriter();
        switch (this) {
            case ECC_P256 -> w.u16(TPM_ALG_ECC).u16(TPM_ALG_SHA256).u32(ATTRIBUTES).tpm2b(new byte[0])
                    // TPMS_ECC_PARMS: symmetric NULL, scheme ECDSA/SHA-256, curve P-256, kdf NULL
                    .u16(TPM_ALG_NULL).u16(TPM_ALG_ECDSA).u16(TPM_ALG_SHA256).u16(TPM_ECC_NIST_P256).u16(TPM_ALG_NULL)
                    // TPMS_ECC_POINT unique: empty x, y
                    .tpm2b(new byte[0]).tpm2b(new byte[0]);
            case RSA_2048 -> w.u16(TPM_ALG_RSA).u16(TPM_ALG_SHA256).u32(ATTRIBUTES).tpm2b(new byte[0])
                    // TPMS_RSA_PARMS: symmetric NULL, scheme RSASSA/SHA-256, 2048 bits, default exponent
                    .u16(TPM_ALG_NULL).u16(TPM_ALG_RSASSA).u16(TPM_ALG_SHA256).u16(2048).u32(0)
                    .tpm2b(new byte[0]);
        }
        return w.toByteArray();
    }
}
