package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.List;

/** A parsed crypto-agile TPM event log: the Spec ID header and the TCG_PCR_EVENT2 records that follow it. */
public record EventLog(SpecIdEvent specId, List<TcgEvent> events) {
    public EventLog {
        events = List.copyOf(events);
    }

    /** The banks the header announces and this code can replay. */
    public List<HashAlgorithm> banks() {
        return specId.banks();
    }

    /** The events that extend {@code pcr}, in log order (EV_NO_ACTION excluded). */
    public List<TcgEvent> eventsFor(int pcr) {
        return events.stream().filter(e -> e.pcr() == pcr && e.isExtended()).toList();
    }
}
