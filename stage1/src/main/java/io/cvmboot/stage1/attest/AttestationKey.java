package io.cvmboot.stage1.attest;

import io.cvmboot.stage1.tpm.CreatedKey;
import java.util.Objects;

/**
 * The AK stage1 quotes with: the key, where it came from, the cloud's certificate over it when one
 * was provisioned, and whether stage1 loaded it (and so must flush it) or found it persisted.
 *
 * @param key the key and its handle
 * @param source {@value #OWN_SOURCE}, {@code nv-template 0x........} or {@code persistent 0x........}
 *     (the attestation's {@code ak.source})
 * @param certificate the DER AK certificate, checked to be over this key, or null
 * @param loaded true for a transient key stage1 created (flush it after use); false for a cloud's
 *     persistent AK, which stays for the next boot
 */
public record AttestationKey(CreatedKey key, String source, byte[] certificate, boolean loaded) {
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
