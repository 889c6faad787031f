package io.cvmboot.stage1.attest;

import io.cvmboot.stage1.tpm.CreatedKey;
import java.util.Objects;

/**
 * The AK stage1 quotes with: the loaded key (flush it), where its template came from, and the
 * cloud's certificate over it when one was provisioned.
 *
 * @param key the transient key
 * @param source {@value #OWN_SOURCE} or {@code nv-template 0x........} (the attestation's {@code ak.source})
 * @param certificate the DER AK certificate, checked to be over this key, or null
 */
public record AttestationKey(CreatedKey key, String source, byte[] certificate) {
    /** {@code ak.source} of the AK from stage1's own template ({@link io.cvmboot.stage1.tpm.AkTemplate}). */
    public static final String OWN_SOURCE = "cvmboot";

    public AttestationKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        certificate = certificate == null ? null : certificate.clone();
    }

    @Override
    public byte[] certificate() {
        return certificate == null ? null : certificate.clone();
    }
}
