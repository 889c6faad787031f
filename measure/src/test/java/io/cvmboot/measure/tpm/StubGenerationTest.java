package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.PeImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stub version and PCR 11 order per version, checked against the stubs themselves and against
 * what real stubs logged (tpm/logs: each stub's EV_IPL events in PCR 11, labels = section names).
 */
class StubGenerationTest {
    @ParameterizedTest
    @CsvSource({"252, 252.39-1~deb12u2", "254, 254.26-1~bpo12+1", "257, 257.13-1~deb13u1"})
    void detect_readsSdmagic(int major, String text) throws Exception {
        PeImage stub = PeImage.parse("stub", TpmTestResources.read("stubs/linuxx64.efi.stub." + major));
        SystemdStubVersion v = SystemdStubVersion.detect(stub).orElseThrow();
        assertEquals(major, v.major());
        assertEquals(text, v.text());
        assertEquals(major, StubGeneration.forMajor(v.major(), "stub").major());
    }

    @Test
    void detect_sdmagicWithoutLoaderInfo_isRefused() throws Exception {
        byte[] stub = TpmTestResources.read("stubs/linuxx64.efi.stub.252");
        byte[] marker = "#### LoaderInfo".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(stub, marker);
        stub[at + 5] = 'X'; // "#### XoaderInfo"
        PeImage pe = PeImage.parse("stub", stub);
        MeasureException e = assertThrows(MeasureException.class, () -> SystemdStubVersion.detect(pe));
        assertTrue(e.getMessage().contains(".sdmagic section does not hold"), e.getMessage());
    }

    @Test
    void forMajor_unverifiedVersion_namesTheSupportedOnes() {
        MeasureException e = assertThrows(MeasureException.class, () -> StubGeneration.forMajor(255, "uki.efi"));
        assertTrue(e.getMessage().contains("systemd-stub 255 has no verified PCR model (supported: 252, 254, 257)"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "252-a; V252; .linux .osrel .cmdline .initrd",
        "252-b; V252; .linux .osrel .cmdline .initrd .pcrpkey",
        "254; V254; .linux .osrel .cmdline .initrd .uname .sbat",
        "257; V257; .linux .osrel .cmdline .initrd .uname .sbat"})
    void measuredOrder_matchesTheRealStubsPcr11Events(String log, StubGeneration generation, String present)
            throws Exception {
        EventLog parsed = EventLogParser.parse(log, TpmTestResources.read("logs/" + log + ".eventlog.bin"));
        List<String> labels = new ArrayList<>();
        for (TcgEvent e : parsed.eventsFor(11)) {
            assertEquals(TcgEventType.EV_IPL, e.eventType());
            labels.add(new String(e.data(), StandardCharsets.UTF_16LE).replace("\0", ""));
        }
        List<String> expected = new ArrayList<>();
        List<String> sections = List.of(present.split(" "));
        for (String name : generation.measuredSections()) {
            if (sections.contains(name)) {
                expected.add(name); // name event
                expected.add(name); // contents event, same label
            }
        }
        assertEquals(expected, labels);
        assertFalse(generation.measuredSections().contains(StubGeneration.PCRSIG));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("not found");
    }
}
