package io.cvmboot.stage1.attest;

import io.cvmboot.stage1.tpm.Tpm;
import io.cvmboot.stage1.tpm.TpmResponseException;
import java.io.IOException;
import java.util.Optional;

/** Reads whole NV indices that may be absent (EK certificates, cloud AK material); absence is normal. */
final class NvIndexReader {
    /** TPMs report TPM_PT_NV_BUFFER_MAX; 1024 is the most any of them accepts per TPM2_NV_Read in practice. */
    private static final int MAX_CHUNK = 1024;

    private final Tpm tpm;
    private int chunk = -1;

    NvIndexReader(Tpm tpm) {
        this.tpm = tpm;
    }

    /** The index's data, or empty when the TPM has no such index (TPM_RC_HANDLE); other errors propagate. */
    Optional<byte[]> readIfPresent(int index) throws IOException {
        Tpm.NvPublic nv;
        try {
            nv = tpm.nvReadPublic(index);
        } catch (TpmResponseException e) {
            if (e.isHandleError()) {
                return Optional.empty();
            }
            throw e;
        }
        if (chunk < 0) {
            chunk = Math.min(MAX_CHUNK, tpm.property(Tpm.TPM_PT_NV_BUFFER_MAX));
        }
        return Optional.of(tpm.nvRead(nv, chunk));
    }
}
