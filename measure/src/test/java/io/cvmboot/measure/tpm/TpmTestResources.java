package io.cvmboot.measure.tpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** Loads files under src/test/resources/tpm (see the README there for where each came from). */
final class TpmTestResources {
    private TpmTestResources() {}

    static byte[] read(String relative) {
        try (InputStream in = TpmTestResources.class.getResourceAsStream("/tpm/" + relative)) {
            if (in == null) {
                throw new IllegalStateException("test resource tpm/" + relative + " missing");
            }
            return relative.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
