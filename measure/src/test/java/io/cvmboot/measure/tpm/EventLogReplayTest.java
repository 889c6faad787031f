package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replaying captured logs gives exactly what the guest's TPM reported in sysfs (logs/*.pcrs.txt),
 * in all four banks, for PCRs 0-15 except 10 (IMA extends it in the OS, outside the firmware log).
 */
class EventLogReplayTest {
    @ParameterizedTest
    @ValueSource(strings = {"252-a", "252-b", "252-append", "252-extras", "252-secureboot", "254", "257", "257-extras"})
    void replay_reproducesGuestPcrs(String name) throws Exception {
        EventLog log = EventLogParser.parse(name, TpmTestResources.read("logs/" + name + ".eventlog.bin"));
        Map<HashAlgorithm, Map<Integer, Digest>> guest = guestPcrs(name);
        PcrValues replayed = EventLogReplay.replay(log);
        for (HashAlgorithm bank : HashAlgorithm.values()) {
            for (int pcr = 0; pcr <= 15; pcr++) {
                if (pcr == 10) {
                    continue;
                }
                assertEquals(guest.get(bank).get(pcr), replayed.get(bank, pcr).orElse(Pcrs.resetValue(bank, pcr)),
                        name + " " + bank.label() + " PCR " + pcr);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"252-a"})
    void replay_ofAlteredDigest_differsFromGuest(String name) throws Exception {
        // Bad variant: flip one byte of the sha256 digest of the UKI's PCR 4 event.
        byte[] bytes = TpmTestResources.read("logs/" + name + ".eventlog.bin");
        EventLog log = EventLogParser.parse(name, bytes);
        TcgEvent uki = log.eventsFor(4).stream()
                .filter(e -> e.eventType() == TcgEventType.EV_EFI_BOOT_SERVICES_APPLICATION).findFirst().orElseThrow();
        // record: pcr, type, count, sha1 (2+20), sha256 (2+32)...; the sha256 value starts 12 + 22 + 2 bytes in.
        bytes[(int) uki.offset() + 12 + 22 + 2] ^= 1;
        PcrValues replayed = EventLogReplay.replay(EventLogParser.parse(name, bytes));
        assertNotEquals(guestPcrs(name).get(HashAlgorithm.SHA256).get(4), replayed.get(HashAlgorithm.SHA256, 4).orElseThrow());
        assertEquals(guestPcrs(name).get(HashAlgorithm.SHA1).get(4), replayed.get(HashAlgorithm.SHA1, 4).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"252-a"})
    void replay_ofBankTheLogLacks_isRefused(String name) throws Exception {
        EventLog log = EventLogParser.parse(name, TpmTestResources.read("logs/" + name + ".eventlog.bin"));
        EventLog sha256Only = new EventLog(new SpecIdEvent(0, 0, 2, 0, 2,
                List.of(new SpecIdEvent.AlgorithmSize(HashAlgorithm.SHA256.tpmAlgId(), 32))), List.of());
        assertThrows(MeasureException.class, () -> EventLogReplay.replay(sha256Only, List.of(HashAlgorithm.SHA384)));
        assertEquals(4, EventLogReplay.replay(log).values().size());
    }

    static Map<HashAlgorithm, Map<Integer, Digest>> guestPcrs(String name) {
        Map<HashAlgorithm, Map<Integer, Digest>> out = new EnumMap<>(HashAlgorithm.class);
        String text = new String(TpmTestResources.read("logs/" + name + ".pcrs.txt"), StandardCharsets.UTF_8);
        for (String line : new ArrayList<>(text.lines().toList())) {
            String[] f = line.split(" ");
            HashAlgorithm bank = HashAlgorithm.fromLabel(f[0]);
            out.computeIfAbsent(bank, b -> new TreeMap<>()).put(Integer.parseInt(f[1]), Digest.ofHex(bank, f[2]));
        }
        return out;
    }
}
