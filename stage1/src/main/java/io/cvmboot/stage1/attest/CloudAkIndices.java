package io.cvmboot.stage1.attest;

import java.util.List;
import java.util.Locale;

/**
 * Where a cloud vTPM keeps the attestation key it certified: the NV index of the AK template (a
 * TPMT_PUBLIC for TPM2_CreatePrimary in the endorsement hierarchy) and the NV index of the AK
 * certificate (DER) over the key that template yields.
 *
 * @param templateIndex NV index of the TPMT_PUBLIC template
 * @param certificateIndex NV index of the DER certificate of the key the template yields
 */
public record CloudAkIndices(int templateIndex, int certificateIndex) {
    /**
     * GCE Shielded VM vTPM, ECC P-256 AK: google/go-tpm-tools client/handles.go,
     * {@code GceAKTemplateNVIndexECC = 0x01c10003}, {@code GceAKCertNVIndexECC = 0x01c10002}.
     */
    public static final CloudAkIndices GCE_ECC = new CloudAkIndices(0x01C10003, 0x01C10002);
    /**
     * GCE Shielded VM vTPM, RSA-2048 AK: google/go-tpm-tools client/handles.go,
     * {@code GceAKTemplateNVIndexRSA = 0x01c10001}, {@code GceAKCertNVIndexRSA = 0x01c10000}.
     */
    public static final CloudAkIndices GCE_RSA = new CloudAkIndices(0x01C10001, 0x01C10000);
    /** ECC first: smaller quotes and the same choice stage1 makes for its own AK. */
    public static final List<CloudAkIndices> IN_PREFERENCE = List.of(GCE_ECC, GCE_RSA);

    /** The attestation's {@code ak.source} for a key made from this template, e.g. {@code nv-template 0x01C10003}. */
    public String source() {
        return String.format(Locale.ROOT, "nv-template 0x%08X", templateIndex);
    }

    String templateName() {
        return String.format(Locale.ROOT, "AK template at NV index 0x%08X", templateIndex);
    }

    String certificateName() {
        return String.format(Locale.ROOT, "AK certificate at NV index 0x%08X", certificateIndex);
    }
}
