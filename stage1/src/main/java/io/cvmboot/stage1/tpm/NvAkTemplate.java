package io.cvmboot.stage1.tpm;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * An attestation-key template a cloud provisioned in NV: the index's data is a marshalled
 * TPMT_PUBLIC (TPM 2.0 Library Part 2, 12.2.4; go-tpm-tools' KeyFromNvIndex decodes it with
 * DecodePublic, i.e. without a TPM2B size) that TPM2_CreatePrimary in the endorsement hierarchy
 * turns into the key the cloud certified.
 *
 * <p>Only templates that {@link AkPublicArea#check} accepts are used; anything else is an error
 * naming the index.
 *
 * @param nvIndex where the template was read
 * @param publicArea the TPMT_PUBLIC, without NV padding
 */
public record NvAkTemplate(int nvIndex, byte[] publicArea) {
    public NvAkTemplate {
        publicArea = publicArea.clone();
    }

    @Override
    public byte[] publicArea() {
        return publicArea.clone();
    }

    /**
     * Parses and checks the data of NV index {@code nvIndex}. NV indices are often larger than what
     * they hold: bytes after the TPMT_PUBLIC must be zero padding.
     *
     * @throws IOException naming the index, what was expected and what was found
     */
    public static NvAkTemplate parse(int nvIndex, byte[] nvData) throws IOException {
        String what = String.format(Locale.ROOT, "AK template at NV index 0x%08X", nvIndex);
        // A short structure fails in the reader with a message that starts with what (the index).
        int end = AkPublicArea.check(what, nvData);
        for (int i = end; i < nvData.length; i++) {
            if (nvData[i] != 0) {
                throw new IOException(String.format(Locale.ROOT,
                        "%s: expected zero padding after the %d-byte TPMT_PUBLIC, found byte 0x%02X at offset %d",
                        what, end, nvData[i] & 0xFF, i));
            }
        }
        return new NvAkTemplate(nvIndex, Arrays.copyOf(nvData, end));
    }
}
