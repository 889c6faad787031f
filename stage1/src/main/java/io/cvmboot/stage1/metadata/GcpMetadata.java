package io.cvmboot.stage1.metadata;

import io.cvmboot.stage1.net.Http;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Google Compute Engine metadata server: {@code GET /computeMetadata/v1/instance/attributes/user-data}
 * with {@code Metadata-Flavor: Google} (Compute Engine docs, "About VM metadata"). The server is
 * reached at 169.254.169.254, since the initrd has no resolver for metadata.google.internal.
 */
public record GcpMetadata(URI base) implements MetadataSource {
    @Override
    public String name() {
        return "gcp";
    }

    @Override
    public byte[] fetch(Http http, int maxBytes) throws IOException {
        return http.fetch("GET", base.resolve("/computeMetadata/v1/instance/attributes/user-data"),
                Map.of("Metadata-Flavor", "Google"), null, maxBytes);
    }
}
