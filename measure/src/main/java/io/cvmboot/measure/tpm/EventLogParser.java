package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a crypto-agile TPM 2.0 event log as firmware hands it to the OS (Linux:
 * /sys/kernel/security/tpm0/binary_bios_measurements). Layout: TCG PC Client Platform Firmware
 * Profile 1.05, section 10.2.1 (TCG_PCClientPCREvent, the SHA-1 style header record), 10.2.2
 * (TCG_PCR_EVENT2) and 10.4.5.1 (TCG_EfiSpecIDEvent). Nothing is trusted: every length is checked
 * against the buffer and the header's algorithm table.
 */
public final class EventLogParser {
    /** Size of the SHA-1 digest in the header record (TCG_PCClientPCREvent.digest). */
    static final int HEADER_DIGEST_SIZE = 20;
    /** Fixed part of TCG_EfiSpecIDEvent before the algorithm table (Table 20). */
    static final int SPEC_ID_FIXED_SIZE = 16 + 4 + 4 + 4;
    /** Size of one TCG_EfiSpecIdEventAlgorithmSize entry (Table 21). */
    static final int ALGORITHM_ENTRY_SIZE = 4;
    /** The highest PCR index a PC Client TPM has (PC Client PTP, 24 PCRs). */
    static final int MAX_PCR = 23;

    private EventLogParser() {}

    /**
     * Parses {@code log}.
     *
     * @param inputName how messages name the log (a file name)
     * @throws MeasureException when the log is truncated, does not start with a crypto-agile Spec ID
     *     header, or a record disagrees with the header's algorithm table
     */
    public static EventLog parse(String inputName, byte[] log) throws MeasureException {
        LogReader r = new LogReader(inputName, log.clone(), 0);
        SpecIdEvent specId = parseHeader(inputName, r);
        Map<Integer, Integer> sizes = new java.util.HashMap<>();
        for (SpecIdEvent.AlgorithmSize a : specId.algorithms()) {
            sizes.put(a.algorithmId(), a.digestSize());
        }
        List<TcgEvent> events = new ArrayList<>();
        int index = 1;
        while (!r.atEnd()) {
            events.add(parseEvent(inputName, r, index++, specId, sizes));
        }
        return new EventLog(specId, events);
    }

    private static SpecIdEvent parseHeader(String inputName, LogReader r) throws MeasureException {
        long pcr = r.u32("header PCRIndex");
        long type = r.u32("header EventType");
        r.bytes(HEADER_DIGEST_SIZE, "header SHA-1 digest");
        long size = r.u32("header EventSize");
        if (pcr != 0 || type != TcgEventType.EV_NO_ACTION) {
            throw new MeasureException(inputName + ": not a crypto-agile event log: expected a first record for PCR 0 of type"
                    + " EV_NO_ACTION (0x3), found PCR " + pcr + " type " + TcgEventType.name(type));
        }
        int start = r.position();
        byte[] event = r.bytes(size, "Spec ID event");
        LogReader s = new LogReader(inputName + " Spec ID event", event, 0);
        byte[] signature = s.bytes(16, "Signature");
        String expected = SpecIdEvent.SIGNATURE + "\0";
        if (!Arrays.equals(signature, expected.getBytes(StandardCharsets.US_ASCII))) {
            throw new MeasureException(inputName + ": not a crypto-agile event log: expected the signature \""
                    + SpecIdEvent.SIGNATURE + "\\0\" at offset " + start + ", found "
                    + java.util.HexFormat.of().formatHex(signature)
                    + " (a SHA-1-only TPM 1.2 log or not an event log)");
        }
        long platformClass = s.u32("platformClass");
        int minor = s.u8("specVersionMinor");
        int major = s.u8("specVersionMajor");
        int errata = s.u8("specErrata");
        int uintnSize = s.u8("uintnSize");
        long count = s.u32("numberOfAlgorithms");
        if (count == 0 || count * ALGORITHM_ENTRY_SIZE > s.remaining()) {
            throw new MeasureException(inputName + ": Spec ID event announces " + count + " algorithms, but "
                    + (count == 0 ? "a log needs at least one" : "only " + s.remaining() + " bytes follow (4 per algorithm)"));
        }
        List<SpecIdEvent.AlgorithmSize> algorithms = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int id = s.u16("algorithmId");
            int digestSize = s.u16("digestSize");
            if (!seen.add(id)) {
                throw new MeasureException(inputName + String.format(": Spec ID event lists algorithm 0x%04x twice", id));
            }
            SpecIdEvent.AlgorithmSize a = new SpecIdEvent.AlgorithmSize(id, digestSize);
            if (a.algorithm().isPresent() && a.algorithm().get().length() != digestSize) {
                throw new MeasureException(inputName + ": Spec ID event gives " + a.algorithm().get().label()
                        + " a digest size of " + digestSize + " bytes, expected " + a.algorithm().get().length());
            }
            algorithms.add(a);
        }
        int vendorInfoSize = s.u8("vendorInfoSize");
        s.bytes(vendorInfoSize, "vendorInfo");
        return new SpecIdEvent(platformClass, minor, major, errata, uintnSize, algorithms);
    }

    private static TcgEvent parseEvent(String inputName, LogReader r, int index, SpecIdEvent specId,
            Map<Integer, Integer> sizes) throws MeasureException {
        int offset = r.position();
        String where = "event " + index + " (offset " + offset + ")";
        long pcr = r.u32(where + " PCRIndex");
        long type = r.u32(where + " EventType");
        if (pcr > MAX_PCR) {
            throw new MeasureException(inputName + ": " + where + " extends PCR " + pcr + ", expected 0.." + MAX_PCR);
        }
        long count = r.u32(where + " digest count");
        if (count > specId.algorithms().size()) {
            throw new MeasureException(inputName + ": " + where + " carries " + count + " digests, but the Spec ID"
                    + " header lists only " + specId.algorithms().size() + " algorithms");
        }
        Map<HashAlgorithm, Digest> digests = new EnumMap<>(HashAlgorithm.class);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int algId = r.u16(where + " digest algorithm");
            Integer size = sizes.get(algId);
            if (size == null) {
                throw new MeasureException(inputName + ": " + where + String.format(" has a digest of algorithm 0x%04x", algId)
                        + ", which the Spec ID header does not list");
            }
            if (!seen.add(algId)) {
                throw new MeasureException(inputName + ": " + where + String.format(" has two digests of algorithm 0x%04x", algId));
            }
            byte[] value = r.bytes(size, where + String.format(" digest 0x%04x", algId));
            for (HashAlgorithm a : HashAlgorithm.values()) {
                if (a.tpmAlgId() == algId) {
                    digests.put(a, Digest.of(a, value));
                }
            }
        }
        long size = r.u32(where + " EventSize");
        byte[] data = r.bytes(size, where + " event data");
        return new TcgEvent(index, offset, (int) pcr, type, digests, data);
    }
}
