package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outcome of a PCR prediction: the events expected in the log, the PCRs they fully determine,
 * and for every other PCR (0-15) why it was not predicted. A PCR is in {@link #predicted()} only
 * when every event that reaches it before the OS runs is accounted for.
 *
 * @param stub the systemd-stub version whose semantics were applied
 * @param secureBoot the Secure Boot state the prediction assumes
 * @param assumptions facts about the boot that the inputs cannot show (e.g. no credentials on the ESP)
 */
public record PcrPrediction(
        List<HashAlgorithm> banks,
        SystemdStubVersion stub,
        boolean secureBoot,
        SortedSet<Integer> predicted,
        List<PredictedEvent> events,
        SortedMap<Integer, String> notPredicted,
        List<String> assumptions) {

    public PcrPrediction {
        banks = List.copyOf(banks);
        predicted = Collections.unmodifiableSortedSet(new TreeSet<>(predicted));
        events = List.copyOf(events);
        notPredicted = Collections.unmodifiableSortedMap(new TreeMap<>(notPredicted));
        assumptions = List.copyOf(assumptions);
        for (PredictedEvent e : events) {
            if (!predicted.contains(e.pcr())) {
                throw new IllegalArgumentException("event for PCR " + e.pcr() + " which is not predicted");
            }
            if (!e.digests().keySet().containsAll(banks)) {
                throw new IllegalArgumentException("event for PCR " + e.pcr() + " lacks a digest for some bank: " + e);
            }
        }
        for (Integer pcr : predicted) {
            if (notPredicted.containsKey(pcr)) {
                throw new IllegalArgumentException("PCR " + pcr + " both predicted and not predicted");
            }
        }
    }

    /** The predicted PCR values: each predicted PCR replayed from reset over its events. */
    public PcrValues values() {
        Map<HashAlgorithm, SortedMap<Integer, Digest>> out = new EnumMap<>(HashAlgorithm.class);
        for (HashAlgorithm bank : banks) {
            SortedMap<Integer, Digest> pcrs = new TreeMap<>();
            for (int pcr : predicted) {
                pcrs.put(pcr, Pcrs.resetValue(bank, pcr));
            }
            for (PredictedEvent e : events) {
                pcrs.put(e.pcr(), Pcrs.extend(pcrs.get(e.pcr()), e.digests().get(bank)));
            }
            out.put(bank, pcrs);
        }
        return new PcrValues(out);
    }
}
