package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement a prediction expects in the event log: the PCR, the event type, the digest per
 * bank and a description of what was hashed (or "reference log" for events copied from one).
 */
public record PredictedEvent(int pcr, long eventType, Map<HashAlgorithm, Digest> digests, String description) {
    public PredictedEvent {
        Objects.requireNonNull(description, "description");
        EnumMap<HashAlgorithm, Digest> copy = new EnumMap<>(HashAlgorithm.class);
        for (var e : digests.entrySet()) {
            if (e.getValue().algorithm() != e.getKey()) {
                throw new IllegalArgumentException("digest " + e.getValue() + " filed under " + e.getKey().label());
            }
            copy.put(e.getKey(), e.getValue());
        }
        digests = Collections.unmodifiableMap(copy);
    }

    /** Computes a digest per bank. */
    @FunctionalInterface
    public interface BankDigest {
        Digest digest(HashAlgorithm bank) throws io.cvmboot.measure.MeasureException;
    }

    /** An event whose digest in each of {@code banks} is {@code digest.digest(bank)}. */
    public static PredictedEvent of(int pcr, long eventType, List<HashAlgorithm> banks, BankDigest digest,
            String description) throws io.cvmboot.measure.MeasureException {
        Map<HashAlgorithm, Digest> d = new EnumMap<>(HashAlgorithm.class);
        for (HashAlgorithm bank : banks) {
            d.put(bank, digest.digest(bank));
        }
        return new PredictedEvent(pcr, eventType, d, description);
    }

    /** An event whose digest is {@code H(buffer)} in every bank. */
    public static PredictedEvent hashOf(int pcr, long eventType, List<HashAlgorithm> banks, byte[] buffer,
            String description) {
        Map<HashAlgorithm, Digest> d = new EnumMap<>(HashAlgorithm.class);
        for (HashAlgorithm bank : banks) {
            d.put(bank, Digest.compute(bank, buffer));
        }
        return new PredictedEvent(pcr, eventType, d, description);
    }

    public String typeName() {
        return TcgEventType.name(eventType);
    }
}
