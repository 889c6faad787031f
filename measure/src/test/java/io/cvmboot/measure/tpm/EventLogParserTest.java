package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing real event logs captured from OVMF + swtpm guests (tpm/logs/README.md) and damaged copies of them. */
class EventLogParserTest {
    static final String GOOD = "logs/252-a.eventlog.bin";

    @ParameterizedTest
    @ValueSource(strings = {"252-a", "252-b", "252-append", "252-extras", "252-secureboot", "254", "257", "257-extras"})
    void capturedLog_headerListsTheFourSwtpmBanks(String name) throws Exception {
        EventLog log = EventLogParser.parse(name, TpmTestResources.read("logs/" + name + ".eventlog.bin"));
        assertEquals(List.of(HashAlgorithm.SHA1, HashAlgorithm.SHA256, HashAlgorithm.SHA384, HashAlgorithm.SHA512), log.banks());
        assertEquals(2, log.specId().specVersionMajor());
        assertEquals(2, log.specId().uintnSize()); // 64-bit UINTN
        for (TcgEvent e : log.events()) {
            if (e.isExtended()) {
                assertEquals(4, e.digests().size(), "every extended event carries all four digests: " + e);
            }
        }
    }

    @Test
    void capturedLog_firstPcr4EventIsTheBdsAction() throws Exception {
        EventLog log = EventLogParser.parse(GOOD, TpmTestResources.read(GOOD));
        TcgEvent first = log.eventsFor(4).get(0);
        assertEquals(TcgEventType.EV_EFI_ACTION, first.eventType());
        assertEquals("\"Calling EFI Application from Boot Option\"", EventDescription.of(first));
        assertEquals(Pcrs.hashAscii(HashAlgorithm.SHA256, "Calling EFI Application from Boot Option"),
                first.digest(HashAlgorithm.SHA256).orElseThrow());
    }

    @Test
    void emptyInput_isTruncated() {
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("empty.bin", new byte[0]));
        assertTrue(e.getMessage().startsWith("empty.bin: truncated"), e.getMessage());
    }

    @Test
    void truncatedInsideAnEvent_isRefusedWithTheOffset() {
        byte[] log = TpmTestResources.read(GOOD);
        byte[] cut = Arrays.copyOf(log, log.length - 7);
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("cut.bin", cut));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void badHeaderSignature_isNotACryptoAgileLog() {
        byte[] log = TpmTestResources.read(GOOD);
        log[32 + 14] = '4'; // "Spec ID Event04"
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("bad.bin", log));
        assertTrue(e.getMessage().contains("not a crypto-agile event log"), e.getMessage());
    }

    @Test
    void headerOfWrongType_isRefused() {
        byte[] log = TpmTestResources.read(GOOD);
        le(log).putInt(4, 0x4); // EV_SEPARATOR instead of EV_NO_ACTION
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("bad.bin", log));
        assertTrue(e.getMessage().contains("EV_SEPARATOR"), e.getMessage());
    }

    @Test
    void headerAlgorithmCountPastItsEvent_isRefused() {
        byte[] log = TpmTestResources.read(GOOD);
        le(log).putInt(32 + 24, 1000); // numberOfAlgorithms
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("bad.bin", log));
        assertTrue(e.getMessage().contains("announces 1000 algorithms"), e.getMessage());
    }

    @Test
    void digestCountOverTheTable_isRefused() {
        byte[] log = TpmTestResources.read(GOOD);
        le(log).putInt(firstEventOffset(log) + 8, 5);
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("bad.bin", log));
        assertTrue(e.getMessage().contains("carries 5 digests, but the Spec ID header lists only 4"), e.getMessage());
    }

    @Test
    void digestOfAnAlgorithmNotInTheTable_isRefused() {
        byte[] log = TpmTestResources.read(GOOD);
        le(log).putShort(firstEventOffset(log) + 12, (short) 0x0012); // SM3_256
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("bad.bin", log));
        assertTrue(e.getMessage().contains("algorithm 0x0012, which the Spec ID header does not list"), e.getMessage());
    }

    @Test
    void eventSizePastTheEnd_isRefused() throws Exception {
        byte[] log = TpmTestResources.read(GOOD);
        EventLog parsed = EventLogParser.parse(GOOD, log);
        TcgEvent last = parsed.events().get(parsed.events().size() - 1);
        int sizeField = log.length - last.data().length - 4;
        le(log).putInt(sizeField, last.data().length + 1);
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("bad.bin", log));
        assertTrue(e.getMessage().contains("event data of " + (last.data().length + 1) + " bytes"), e.getMessage());
    }

    @Test
    void pcrIndexBeyond23_isRefused() {
        byte[] log = TpmTestResources.read(GOOD);
        le(log).putInt(firstEventOffset(log), 24);
        MeasureException e = assertThrows(MeasureException.class, () -> EventLogParser.parse("bad.bin", log));
        assertTrue(e.getMessage().contains("extends PCR 24"), e.getMessage());
    }

    @Test
    void randomDamage_eitherParsesOrFailsWithMeasureException() {
        // Any damage must end in a clean MeasureException (exit 2), never an unchecked exception.
        byte[] good = TpmTestResources.read(GOOD);
        java.util.Random random = new java.util.Random(20261122); // fixed seed: reproducible
        for (int i = 0; i < 1000; i++) {
            byte[] damaged = random.nextBoolean()
                    ? Arrays.copyOf(good, random.nextInt(good.length))
                    : good.clone();
            for (int flips = random.nextInt(4); flips >= 0 && damaged.length > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                EventLog log = EventLogParser.parse("damaged", damaged);
                EventLogReplay.replay(log);
                log.events().forEach(EventDescription::of);
            } catch (MeasureException expected) {
                assertTrue(expected.getMessage().startsWith("damaged") || expected.getMessage().startsWith("event log"),
                        expected.getMessage());
            }
        }
    }

    static int firstEventOffset(byte[] log) {
        return 32 + le(log).getInt(28);
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
