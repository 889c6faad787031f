package io.cvmboot.stage1.tpm;

/**
 * A transient key the TPM created.
 *
 * @param handle its transient handle (flush it)
 * @param publicArea the marshalled TPMT_PUBLIC (without the TPM2B size)
 * @param name its TPM name (nameAlg || H(publicArea))
 */
public record CreatedKey(int handle, byte[] publicArea, byte[] name) {
    public CreatedKey {
        publicArea = publicArea.clone();
        name = name.clone();
    }

    @Override
    public byte[] publicArea() {
        return publicArea.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }
}
