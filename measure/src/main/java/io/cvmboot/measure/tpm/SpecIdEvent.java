package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.List;
import java.util.Optional;

/**
 * The TCG_EfiSpecIDEvent that opens a crypto-agile event log (TCG PC Client Platform Firmware
 * Profile 1.05, section 10.4.5.1, Table 20). Its algorithm table is the only place that says how
 * long each digest in the following TCG_PCR_EVENT2 records is.
 *
 * @param algorithms every {algorithmId, digestSize} pair in table order, including algorithms this
 *     code has no hash for (their digests are skipped, not replayed)
 */
public record SpecIdEvent(
        long platformClass,
        int specVersionMinor,
        int specVersionMajor,
        int specErrata,
        int uintnSize,
        List<AlgorithmSize> algorithms) {

    /** "Spec ID Event03\0", the signature of a crypto-agile header (Table 20). */
    public static final String SIGNATURE = "Spec ID Event03";

    public SpecIdEvent {
        algorithms = List.copyOf(algorithms);
    }

    /** The banks of this log that this code can hash, in table order. */
    public List<HashAlgorithm> banks() {
        return algorithms.stream().flatMap(a -> a.algorithm().stream()).toList();
    }

    /** The digest size the table gives for {@code algId}, if the table lists it. */
    public Optional<Integer> digestSize(int algId) {
        return algorithms.stream().filter(a -> a.algorithmId() == algId).map(AlgorithmSize::digestSize).findFirst();
    }

    /** One TCG_EfiSpecIdEventAlgorithmSize entry (Table 21). */
    public record AlgorithmSize(int algorithmId, int digestSize) {
        public AlgorithmSize {
            if (algorithmId < 0 || algorithmId > 0xFFFF || digestSize < 0 || digestSize > 0xFFFF) {
                throw new IllegalArgumentException("algorithm id and digest size are u16: " + algorithmId + ", " + digestSize);
            }
        }

        /** The hash algorithm, when it is one of the PCR bank algorithms this code implements. */
        public Optional<HashAlgorithm> algorithm() {
            for (HashAlgorithm a : HashAlgorithm.values()) {
                if (a.tpmAlgId() == algorithmId) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }
}
