package io.cvmboot.builder.deb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * OpenPGP public keys trusted to sign archive Release files, e.g. Debian's
 * {@code /usr/share/keyrings/debian-archive-keyring.gpg} (a binary v4 keyring; ASCII-armored
 * {@code .asc} files work too). GnuPG keybox files ({@code .kbx}) are not keyrings and are refused.
 */
public final class ArchiveKeyring {
    private final PGPPublicKeyRingCollection keys;
    private final String name;

    private ArchiveKeyring(PGPPublicKeyRingCollection keys, String name) {
        this.keys = keys;
        this.name = name;
    }

    /**
     * @param keyring the keyring file's bytes
     * @param name how errors name it, e.g. its path
     */
    public static ArchiveKeyring load(byte[] keyring, String name) throws PackageException {
        try {
            var keys = new PGPPublicKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(keyring)), new BcKeyFingerprintCalculator());
            if (keys.size() == 0) {
                throw new PackageException("keyring " + name + " holds no OpenPGP public keys");
            }
            return new ArchiveKeyring(keys, name);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new PackageException("keyring " + name + " is not an OpenPGP keyring (binary or armored): "
                    + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    /** The key or subkey with this 64-bit key ID, or null. */
    PGPPublicKey find(long keyId) {
        return keys.getPublicKey(keyId);
    }

    /** Fingerprints of the primary keys, upper-case hex as gpg prints them. */
    public List<String> primaryFingerprints() {
        List<String> out = new ArrayList<>();
        for (PGPPublicKeyRing ring : keys) {
            out.add(fingerprint(ring.getPublicKey()));
        }
        return List.copyOf(out);
    }

    static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }
}
