package io.cvmboot.builder.build;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Objects;

/**
 * One output file of a build, as recorded in manifest.json.
 *
 * @param name file name in the output directory
 * @param size length in bytes
 * @param sha256 SHA-256 of the bytes
 */
public record Artefact(String name, long size, Digest sha256) {
    public Artefact {
        Objects.requireNonNull(name, "name");
        if (sha256.algorithm() != HashAlgorithm.SHA256) {
            throw new IllegalArgumentException("artefact digests are SHA-256");
        }
    }

    public static Artefact of(String name, byte[] bytes) {
        return new Artefact(name, bytes.length, Digest.compute(HashAlgorithm.SHA256, bytes));
    }
}
