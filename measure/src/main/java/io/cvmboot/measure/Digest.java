package io.cvmboot.measure;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A digest value together with the algorithm that produced it. A record holding a {@code byte[]}
 * would compare arrays by reference; this one compares contents and never exposes its array.
 */
public final class Digest {
    private final HashAlgorithm algorithm;
    private final byte[] bytes;

    private Digest(HashAlgorithm algorithm, byte[] bytes) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (bytes.length != algorithm.length()) {
            throw new IllegalArgumentException(algorithm.name() + " digest must be " + algorithm.length()
                    + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static Digest of(HashAlgorithm algorithm, byte[] bytes) {
        return new Digest(algorithm, bytes);
    }

    public static Digest ofHex(HashAlgorithm algorithm, String hex) {
        return new Digest(algorithm, HexFormat.of().parseHex(hex));
    }

    /** Hashes {@code data} with {@code algorithm}. */
    public static Digest compute(HashAlgorithm algorithm, byte[] data) {
        return new Digest(algorithm, algorithm.newMessageDigest().digest(data));
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && MessageDigest.isEqual(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return algorithm.jcaName().toLowerCase(java.util.Locale.ROOT).replace("-", "") + ":" + hex();
    }

    /** The hash algorithms of TPM PCR banks, Authenticode and the SNP launch digest. */
    public enum HashAlgorithm {
        // TCG Algorithm Registry, Table 3: TPM_ALG_ID values.
        SHA1("SHA-1", 20, 0x0004),
        SHA256("SHA-256", 32, 0x000B),
        SHA384("SHA-384", 48, 0x000C),
        SHA512("SHA-512", 64, 0x000D);

        private final String jcaName;
        private final int length;
        private final int tpmAlgId;

        HashAlgorithm(String jcaName, int length, int tpmAlgId) {
            this.jcaName = jcaName;
            this.length = length;
            this.tpmAlgId = tpmAlgId;
        }

        public String jcaName() {
            return jcaName;
        }

        public int length() {
            return length;
        }

        public int tpmAlgId() {
            return tpmAlgId;
        }

        /** Lower-case name as used on command lines and in JSON: sha1, sha256, sha384, sha512. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always provides " + jcaName, e);
            }
        }

        public static HashAlgorithm fromTpmAlgId(int id) {
            for (HashAlgorithm a : values()) {
                if (a.tpmAlgId == id) {
                    return a;
                }
            }
            throw new IllegalArgumentException(String.format("unknown TPM_ALG_ID 0x%04x", id));
        }

        public static HashAlgorithm fromLabel(String label) {
            for (HashAlgorithm a : values()) {
                if (a.label().equals(label.toLowerCase(java.util.Locale.ROOT))) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown hash algorithm '" + label
                    + "' (expected one of sha1, sha256, sha384, sha512)");
        }
    }
}
