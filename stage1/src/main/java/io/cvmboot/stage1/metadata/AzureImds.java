package io.cvmboot.stage1.metadata;

import io.cvmboot.stage1.net.Http;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.Map;

/**
 * Azure Instance Metadata Service: {@code GET /metadata/instance/compute/userData?api-version=2021-02-01&format=text}
 * with {@code Metadata: true}; the body is the user-data in base64 (Azure docs, "Azure Instance
 * Metadata Service", userData). Decoding is strict: any character outside the base64 alphabet,
 * including line breaks, is refused.
 */
public record AzureImds(URI base) implements MetadataSource {
    @Override
    public String name() {
        return "azure";
    }

    @Override
    public byte[] fetch(Http http, int maxBytes) throws IOException {
        URI uri = base.resolve("/metadata/instance/compute/userData?api-version=2021-02-01&format=text");
        // base64 is 4/3 of the data; allow that much on the wire.
        byte[] encoded = http.fetch("GET", uri, Map.of("Metadata", "true"), null, (long) maxBytes / 3 * 4 + 4);
        if (encoded.length == 0) {
            throw new UnusableAnswerException("GET " + uri + ": expected base64 user-data, got an empty body (no user-data set)");
        }
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new UnusableAnswerException("GET " + uri + ": expected base64 user-data: " + e.getMessage(), e);
        }
    }
}
