package io.cvmboot.stage1.tpm;

/**
 * The output of TPM2_Quote.
 *
 * @param attest the TPMS_ATTEST bytes that were signed (contents of the TPM2B_ATTEST)
 * @param signature the marshalled TPMT_SIGNATURE
 */
public record QuoteResult(byte[] attest, byte[] signature) {
    public QuoteResult {
        attest = attest.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] attest() {
        return attest.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
