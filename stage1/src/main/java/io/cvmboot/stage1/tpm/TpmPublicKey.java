package io.cvmboot.stage1.tpm;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Locale;

/** Turns a TPMT_PUBLIC (TPM 2.0 Library Part 2, 12.2.4) of an RSA or NIST P-256 key into a JCA key. */
public final class TpmPublicKey {
    private TpmPublicKey() {}

    public static PublicKey toJca(byte[] tpmtPublic) throws IOException {
        TpmReader r = new TpmReader(tpmtPublic, "TPMT_PUBLIC");
        int type = r.u16();
        r.u16(); // nameAlg
        r.u32(); // objectAttributes
        r.tpm2b(); // authPolicy
        skipSymmetric(r);
        int scheme = r.u16();
        if (scheme != AkTemplate.TPM_ALG_NULL) {
            r.u16(); // scheme hash
        }
        try {
            if (type == AkTemplate.TPM_ALG_ECC) {
                int curve = r.u16();
                int kdf = r.u16();
                if (kdf != AkTemplate.TPM_ALG_NULL) {
                    r.u16();
                }
                byte[] x = r.tpm2b();
                byte[] y = r.tpm2b();
                r.requireEnd();
                if (curve != AkTemplate.TPM_ECC_NIST_P256) {
                    throw new IOException(String.format(Locale.ROOT, "TPMT_PUBLIC: ECC curve 0x%04X, expected NIST P-256", curve));
                }
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp256r1"));
                ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
                return KeyFactory.getInstance("EC").generatePublic(
                        new ECPublicKeySpec(new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), spec));
            }
            if (type == AkTemplate.TPM_ALG_RSA) {
                r.u16(); // keyBits
                long exponent = r.u32() & 0xFFFFFFFFL;
                byte[] modulus = r.tpm2b();
                r.requireEnd();
                // Part 2, 12.2.3.5: an exponent of zero means the default 2^16 + 1.
                BigInteger e = BigInteger.valueOf(exponent == 0 ? 65537 : exponent);
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus), e));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TPMT_PUBLIC: key not accepted by the JDK: " + e.getMessage(), e);
        }
        throw new IOException(String.format(Locale.ROOT, "TPMT_PUBLIC: key type 0x%04X, expected RSA or ECC", type));
    }

    private static void skipSymmetric(TpmReader r) throws IOException {
        int sym = r.u16();
        if (sym != AkTemplate.TPM_ALG_NULL) {
            r.u16(); // keyBits
            r.u16(); // mode
        }
    }
}
