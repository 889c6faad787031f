package io.cvmboot.stage1.config;

import io.cvmboot.measure.Digest;
import java.net.URI;
import java.util.Objects;

/**
 * Where one architecture's stage2 binary lives and the SHA-256 it must have.
 *
 * @param url http or https URL of the binary
 * @param sha256 expected SHA-256 of the binary bytes
 */
public record Stage2Target(URI url, Digest sha256) {
    public Stage2Target {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.algorithm() != Digest.HashAlgorithm.SHA256) {
            throw new IllegalArgumentException("stage2 digest must be SHA-256, got " + sha256.algorithm());
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("stage2 url must be http or https: " + url);
        }
    }
}
