package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One TCG_PCR_EVENT2 record (TCG PC Client Platform Firmware Profile 1.05, section 10.2.2): the
 * PCR it extends, the event type, one digest per bank and the event data (a label or a
 * description of what was measured, usually not what was hashed).
 *
 * @param index position in the log, the Spec ID header being 0
 * @param offset byte offset of the record in the log
 */
public record TcgEvent(int index, long offset, int pcr, long eventType, Map<HashAlgorithm, Digest> digests, byte[] data) {
    public TcgEvent {
        if (pcr < 0) {
            throw new IllegalArgumentException("PCR index must not be negative: " + pcr);
        }
        EnumMap<HashAlgorithm, Digest> copy = new EnumMap<>(HashAlgorithm.class);
        for (var e : digests.entrySet()) {
            if (e.getValue().algorithm() != e.getKey()) {
                throw new IllegalArgumentException("digest " + e.getValue() + " filed under bank " + e.getKey().label());
            }
            copy.put(e.getKey(), e.getValue());
        }
        digests = Collections.unmodifiableMap(copy);
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The digest for {@code bank}, if the record carries one. */
    public Optional<Digest> digest(HashAlgorithm bank) {
        return Optional.ofNullable(digests.get(bank));
    }

    public String typeName() {
        return TcgEventType.name(eventType);
    }

    /** EV_NO_ACTION events are informational and never extended (PC Client FP Profile, 10.4.1). */
    public boolean isExtended() {
        return eventType != TcgEventType.EV_NO_ACTION;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcgEvent e && e.index == index && e.offset == offset && e.pcr == pcr
                && e.eventType == eventType && e.digests.equals(digests) && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * pcr + Long.hashCode(eventType)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "TcgEvent[#" + index + " PCR " + pcr + " " + typeName() + " " + digests.values() + " data "
                + data.length + " bytes]";
    }
}
