package io.cvmboot.stage1.tpm;

import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.BitSet;
import java.util.Objects;

/**
 * One allocated PCR bank as TPM2_GetCapability(TPM_CAP_PCRS) reports it.
 *
 * @param algorithm the bank's hash
 * @param pcrs the PCR indices allocated in this bank
 */
public record PcrBank(HashAlgorithm algorithm, BitSet pcrs) {
    public PcrBank {
        Objects.requireNonNull(algorithm, "algorithm");
        pcrs = (BitSet) pcrs.clone();
    }

    @Override
    public BitSet pcrs() {
        return (BitSet) pcrs.clone();
    }

    public boolean has(int pcr) {
        return pcrs.get(pcr);
    }
}
