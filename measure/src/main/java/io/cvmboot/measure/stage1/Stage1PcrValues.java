package io.cvmboot.measure.stage1;

import io.cvmboot.measure.Digest;
import java.util.Objects;

/**
 * PCR 14 and 15 of one bank after stage1 has measured stage2 and its config.
 *
 * @param stage2Pcr value of PCR 14
 * @param configPcr value of PCR 15
 */
public record Stage1PcrValues(Digest stage2Pcr, Digest configPcr) {
    public Stage1PcrValues {
        Objects.requireNonNull(stage2Pcr, "stage2Pcr");
        Objects.requireNonNull(configPcr, "configPcr");
        if (stage2Pcr.algorithm() != configPcr.algorithm()) {
            throw new IllegalArgumentException("PCR 14 and 15 must be of one bank");
        }
    }

    public Digest.HashAlgorithm bank() {
        return stage2Pcr.algorithm();
    }
}
