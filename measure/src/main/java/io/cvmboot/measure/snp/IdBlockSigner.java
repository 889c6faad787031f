package io.cvmboot.measure.snp;

import io.cvmboot.measure.MeasureException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;

/**
 * Signs an {@link IdBlock} into {@link IdAuth} (what QEMU's sev-snp-guest {@code id-block=} and
 * {@code id-auth=} take) and checks such a pair the way the SNP firmware does at LAUNCH_FINISH.
 */
public final class IdBlockSigner {
    /** ECDSA with SHA-384 and r||s output, which maps straight onto the SNP signature fields. */
    private static final String ALGORITHM = "SHA384withECDSAinP1363Format";

    private IdBlockSigner() {}

    /** ECDSA signatures are randomised: only the ID block and the key fields are reproducible. */
    public static IdAuth sign(IdBlock block, KeyPair idKey, KeyPair authorKey) {
        SnpEcPublicKey id = new SnpEcPublicKey((ECPublicKey) idKey.getPublic());
        SnpEcPublicKey author = new SnpEcPublicKey((ECPublicKey) authorKey.getPublic());
        return new IdAuth(sign(idKey, block.toBytes()), id, sign(authorKey, id.toBytes()), author);
    }

    /**
     * Checks both signatures: ID_BLOCK_SIG by ID_KEY over the block, ID_KEY_SIG by AUTHOR_KEY over
     * the ID_KEY structure.
     *
     * @throws MeasureException naming the signature that does not verify
     */
    public static void verify(IdBlock block, IdAuth auth) throws MeasureException {
        if (!verify(auth.idKey(), block.toBytes(), auth.idBlockSignature())) {
            throw new MeasureException("ID_BLOCK_SIG does not verify with ID_KEY (digest "
                    + auth.idKey().digest().hex() + ") over the ID block");
        }
        if (!verify(auth.authorKey(), auth.idKey().toBytes(), auth.idKeySignature())) {
            throw new MeasureException("ID_KEY_SIG does not verify with AUTHOR_KEY (digest "
                    + auth.authorKey().digest().hex() + ") over ID_KEY");
        }
    }

    private static SnpEcdsaSignature sign(KeyPair key, byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key.getPrivate());
            s.update(data);
            return SnpEcdsaSignature.fromP1363(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK signs with ECDSA P-384", e);
        }
    }

    private static boolean verify(SnpEcPublicKey key, byte[] data, SnpEcdsaSignature sig) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key.key());
            s.update(data);
            return s.verify(sig.toP1363());
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a failed check, not a crash
        }
    }
}
