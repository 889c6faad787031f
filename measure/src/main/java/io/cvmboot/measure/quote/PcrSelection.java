package io.cvmboot.measure.quote;

import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.List;
import java.util.Objects;

/**
 * One TPMS_PCR_SELECTION (TPM 2.0 Part 2, 10.6.2): a bank and the PCR indices selected in it,
 * ascending (the order their values enter the quote's PCR digest, Part 3, 18.4 TPM2_Quote).
 */
public record PcrSelection(HashAlgorithm bank, List<Integer> pcrs) {
    public PcrSelection {
        Objects.requireNonNull(bank, "bank");
        pcrs = pcrs.stream().sorted().distinct().toList();
    }

    @Override
    public String toString() {
        return bank.label() + ":" + pcrs.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("");
    }
}
