package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Replays an event log: starting from the reset values, extends each PCR with the digest every
 * event records for that bank. The result is what the TPM must hold if the log is complete and
 * honest; a verifier compares it with a quote.
 */
public final class EventLogReplay {
    /** Signature of the StartupLocality EV_NO_ACTION event (PC Client FP Profile 1.05, 10.4.5.3). */
    static final byte[] STARTUP_LOCALITY_SIGNATURE = "StartupLocality\0".getBytes(StandardCharsets.US_ASCII);

    private EventLogReplay() {}

    /** Replays every bank the log announces; the result holds the PCRs that have at least one event. */
    public static PcrValues replay(EventLog log) throws MeasureException {
        return replay(log, log.banks());
    }

    /**
     * Replays {@code banks}. Every PCR that appears in an extended event is present in the result,
     * per bank; PCR 0 also when only a StartupLocality event names it.
     *
     * @throws MeasureException when an extended event has no digest for one of {@code banks}
     */
    public static PcrValues replay(EventLog log, List<HashAlgorithm> banks) throws MeasureException {
        Map<HashAlgorithm, SortedMap<Integer, Digest>> out = new EnumMap<>(HashAlgorithm.class);
        for (HashAlgorithm bank : banks) {
            if (!log.banks().contains(bank)) {
                throw new MeasureException("event log has no " + bank.label() + " bank (it has "
                        + log.banks().stream().map(HashAlgorithm::label).toList() + ")");
            }
            SortedMap<Integer, Digest> pcrs = new TreeMap<>();
            for (TcgEvent e : log.events()) {
                if (!e.isExtended()) {
                    startupLocality(e).ifPresent(locality -> pcrs.put(0, localityResetValue(bank, locality)));
                    continue;
                }
                Digest d = e.digest(bank).orElseThrow(() -> new MeasureException("event log event " + e.index()
                        + " (PCR " + e.pcr() + ", " + e.typeName() + ") has no " + bank.label()
                        + " digest, so PCR " + e.pcr() + " of that bank cannot be replayed"));
                Digest old = pcrs.getOrDefault(e.pcr(), Pcrs.resetValue(bank, e.pcr()));
                pcrs.put(e.pcr(), Pcrs.extend(old, d));
            }
            out.put(bank, pcrs);
        }
        return new PcrValues(out);
    }

    /**
     * The locality of a StartupLocality event: platforms with an H-CRTM start PCR 0 at locality 3 or
     * 4, and the TPM then resets PCR 0 to that value in its last byte (PC Client FP Profile 10.4.5.3).
     */
    static java.util.Optional<Integer> startupLocality(TcgEvent e) {
        byte[] d = e.data();
        if (e.pcr() == 0 && d.length == STARTUP_LOCALITY_SIGNATURE.length + 1
                && Arrays.equals(d, 0, STARTUP_LOCALITY_SIGNATURE.length, STARTUP_LOCALITY_SIGNATURE, 0,
                        STARTUP_LOCALITY_SIGNATURE.length)) {
            return java.util.Optional.of(d[d.length - 1] & 0xFF);
        }
        return java.util.Optional.empty();
    }

    private static Digest localityResetValue(HashAlgorithm bank, int locality) {
        byte[] v = new byte[bank.length()];
        v[v.length - 1] = (byte) locality;
        return Digest.of(bank, v);
    }
}
