package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * PCR values by bank and index. Only the PCRs that are known are present: a PCR absent here was
 * not computed, which is different from a PCR whose value is zero.
 */
public record PcrValues(Map<HashAlgorithm, SortedMap<Integer, Digest>> values) {
    public PcrValues {
        EnumMap<HashAlgorithm, SortedMap<Integer, Digest>> copy = new EnumMap<>(HashAlgorithm.class);
        for (var bank : values.entrySet()) {
            TreeMap<Integer, Digest> pcrs = new TreeMap<>();
            for (var pcr : bank.getValue().entrySet()) {
                if (pcr.getKey() < 0 || pcr.getKey() >= Pcrs.PCR_COUNT) {
                    throw new IllegalArgumentException("PCR index out of range: " + pcr.getKey());
                }
                if (pcr.getValue().algorithm() != bank.getKey()) {
                    throw new IllegalArgumentException("PCR " + pcr.getKey() + " value " + pcr.getValue()
                            + " filed under bank " + bank.getKey().label());
                }
                pcrs.put(pcr.getKey(), pcr.getValue());
            }
            copy.put(bank.getKey(), Collections.unmodifiableSortedMap(pcrs));
        }
        values = Collections.unmodifiableMap(copy);
    }

    public Optional<Digest> get(HashAlgorithm bank, int pcr) {
        return Optional.ofNullable(values.getOrDefault(bank, Collections.emptySortedMap()).get(pcr));
    }

    /** The known PCRs of {@code bank}, by index (empty when the bank is absent). */
    public SortedMap<Integer, Digest> bank(HashAlgorithm bank) {
        return values.getOrDefault(bank, Collections.emptySortedMap());
    }
}
