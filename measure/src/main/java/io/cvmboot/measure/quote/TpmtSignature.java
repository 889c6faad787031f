package io.cvmboot.measure.quote;

import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.math.BigInteger;

/**
 * A TPMT_SIGNATURE (TPM 2.0 Part 2, 11.3.4) made with ECDSA (TPMS_SIGNATURE_ECDSA: r, s) or
 * RSASSA (TPMS_SIGNATURE_RSA: sig). Other schemes are refused when parsed.
 */
public record TpmtSignature(int sigAlg, HashAlgorithm hash, byte[] ecdsaR, byte[] ecdsaS, byte[] rsaSignature) {
    /** TPM_ALG_RSASSA and TPM_ALG_ECDSA (TCG Algorithm Registry, Table 3). */
    public static final int TPM_ALG_RSASSA = 0x0014;
    public static final int TPM_ALG_ECDSA = 0x0018;

    public TpmtSignature {
        ecdsaR = ecdsaR.clone();
        ecdsaS = ecdsaS.clone();
        rsaSignature = rsaSignature.clone();
    }

    // Records compare arrays by reference; this one compares the bytes.
    @Override
    public boolean equals(Object o) {
        return o instanceof TpmtSignature t && t.sigAlg == sigAlg && t.hash == hash
                && java.util.Arrays.equals(t.ecdsaR, ecdsaR) && java.util.Arrays.equals(t.ecdsaS, ecdsaS)
                && java.util.Arrays.equals(t.rsaSignature, rsaSignature);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sigAlg, hash, java.util.Arrays.hashCode(ecdsaR), java.util.Arrays.hashCode(ecdsaS),
                java.util.Arrays.hashCode(rsaSignature));
    }

    @Override
    public String toString() {
        return String.format("TpmtSignature[sigAlg=0x%04x, hash=%s]", sigAlg, hash.label());
    }

    public static TpmtSignature parse(String inputName, byte[] bytes) throws MeasureException {
        TpmReader r = new TpmReader(inputName, bytes);
        int alg = r.u16("sigAlg");
        int hashId = r.u16("hash");
        HashAlgorithm hash;
        try {
            hash = HashAlgorithm.fromTpmAlgId(hashId);
        } catch (IllegalArgumentException e) {
            throw new MeasureException(inputName + ": signature hash: " + e.getMessage(), e);
        }
        TpmtSignature sig = switch (alg) {
            case TPM_ALG_ECDSA -> new TpmtSignature(alg, hash, r.tpm2b("signatureR"), r.tpm2b("signatureS"), new byte[0]);
            case TPM_ALG_RSASSA -> new TpmtSignature(alg, hash, new byte[0], new byte[0], r.tpm2b("sig"));
            default -> throw new MeasureException(inputName + String.format(": expected an ECDSA (0x%04x) or RSASSA "
                    + "(0x%04x) signature, found sigAlg 0x%04x", TPM_ALG_ECDSA, TPM_ALG_RSASSA, alg));
        };
        r.end("TPMT_SIGNATURE");
        return sig;
    }

    public boolean isEcdsa() {
        return sigAlg == TPM_ALG_ECDSA;
    }

    /** ECDSA r, s as a JCA P1363 signature of {@code scalarSize}-byte big-endian halves. */
    byte[] p1363(int scalarSize) throws MeasureException {
        byte[] out = new byte[2 * scalarSize];
        place(ecdsaR, out, 0, scalarSize);
        place(ecdsaS, out, scalarSize, scalarSize);
        return out;
    }

    private static void place(byte[] value, byte[] out, int at, int size) throws MeasureException {
        byte[] v = new BigInteger(1, value).toByteArray();
        int start = v.length > size && v[0] == 0 ? 1 : 0;
        int len = v.length - start;
        if (len > size) {
            throw new MeasureException("ECDSA signature component is " + len + " bytes, longer than the curve's " + size);
        }
        System.arraycopy(v, start, out, at + size - len, len);
    }

    @Override
    public byte[] ecdsaR() {
        return ecdsaR.clone();
    }

    @Override
    public byte[] ecdsaS() {
        return ecdsaS.clone();
    }

    @Override
    public byte[] rsaSignature() {
        return rsaSignature.clone();
    }
}
