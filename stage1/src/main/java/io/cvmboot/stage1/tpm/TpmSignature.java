package io.cvmboot.stage1.tpm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Locale;

/** Checks a TPMT_SIGNATURE (TPM 2.0 Library Part 2, 11.3.4) over signed bytes with a JCA key. */
public final class TpmSignature {
    private TpmSignature() {}

    /** Returns normally when the signature verifies; throws otherwise, saying why. */
    public static void verify(PublicKey key, byte[] signed, byte[] tpmtSignature) throws IOException {
        TpmReader r = new TpmReader(tpmtSignature, "TPMT_SIGNATURE");
        int sigAlg = r.u16();
        int hash = r.u16();
        if (hash != AkTemplate.TPM_ALG_SHA256) {
            throw new IOException(String.format(Locale.ROOT, "TPMT_SIGNATURE: hash 0x%04X, expected SHA-256", hash));
        }
        try {
            Signature s;
            byte[] sig;
            if (sigAlg == AkTemplate.TPM_ALG_ECDSA) {
                byte[] rr = r.tpm2b();
                byte[] ss = r.tpm2b();
                s = Signature.getInstance("SHA256withECDSA");
                sig = derSequence(new BigInteger(1, rr), new BigInteger(1, ss));
            } else if (sigAlg == AkTemplate.TPM_ALG_RSASSA) {
                sig = r.tpm2b();
                s = Signature.getInstance("SHA256withRSA");
            } else {
                throw new IOException(String.format(Locale.ROOT, "TPMT_SIGNATURE: algorithm 0x%04X, expected ECDSA or RSASSA", sigAlg));
            }
            r.requireEnd();
            s.initVerify(key);
            s.update(signed);
            if (!s.verify(sig)) {
                throw new IOException("TPM signature does not verify with the given key");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TPM signature could not be checked: " + e.getMessage(), e);
        }
    }

    /** DER SEQUENCE { INTEGER r, INTEGER s }, the form JCA's ECDSA expects. */
    static byte[] derSequence(BigInteger r, BigInteger s) {
        byte[] a = r.toByteArray();
        byte[] b = s.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int len = 2 + a.length + 2 + b.length;
        out.write(0x30);
        writeLength(out, len);
        out.write(0x02);
        writeLength(out, a.length);
        out.writeBytes(a);
        out.write(0x02);
        writeLength(out, b.length);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int len) {
        if (len < 0x80) {
            out.write(len);
        } else {
            out.write(0x81);
            out.write(len);
        }
    }
}
