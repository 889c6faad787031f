package io.cvmboot.stage1.attest;

import java.util.Locale;

/**
 * Where a cloud vTPM keeps an attestation key it certified as a persistent object, and the NV index
 * of the AK certificate (DER) over it. Unlike a template in NV, the key exists before stage1 runs:
 * stage1 reads it, checks it and quotes with it, and must not flush it.
 *
 * @param handle the persistent handle of the AK
 * @param certificateIndex NV index of the DER certificate of that key
 */
public record PersistentCloudAk(int handle, int certificateIndex) {
    /**
     * Azure vTPM (Trusted Launch and confidential VMs): the host provisions an RSA AK at persistent
     * handle 0x81000003 and its certificate at NV 0x01C101D0 (microsoft/openvmm's vTPM:
     * {@code TPM_AZURE_AIK_HANDLE} = persistent 0x03, and the AK certificate index used by Azure's
     * attestation clients).
     */
    public static final PersistentCloudAk AZURE = new PersistentCloudAk(0x81000003, 0x01C101D0);

    /** The attestation's {@code ak.source}, e.g. {@code persistent 0x81000003}. */
    public String source() {
        return String.format(Locale.ROOT, "persistent 0x%08X", handle);
    }

    String keyName() {
        return String.format(Locale.ROOT, "AK at persistent handle 0x%08X", handle);
    }

    String certificateName() {
        return String.format(Locale.ROOT, "AK certificate at NV index 0x%08X", certificateIndex);
    }
}
