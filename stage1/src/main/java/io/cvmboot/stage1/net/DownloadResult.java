package io.cvmboot.stage1.net;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.net.URI;
import java.util.Map;

/**
 * What a streaming download produced.
 *
 * @param finalUri the URI the bytes came from after redirects
 * @param size number of bytes
 * @param digests the digest of the bytes in each algorithm asked for (always SHA-256)
 */
public record DownloadResult(URI finalUri, long size, Map<HashAlgorithm, Digest> digests) {
    public DownloadResult {
        digests = Map.copyOf(digests);
    }

    public Digest sha256() {
        return digests.get(HashAlgorithm.SHA256);
    }
}
