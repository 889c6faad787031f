package io.cvmboot.stage1.metadata;

import java.util.Objects;

/**
 * Config bytes and where they came from.
 *
 * @param source a provider name, file path or URL, for logs and errors
 * @param bytes the raw bytes, unchanged
 */
public record FetchedConfig(String source, byte[] bytes) {
    public FetchedConfig {
        Objects.requireNonNull(source, "source");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
