package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cvmboot.measure.pe.PeImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Section lookup and initrd composition per stub version. The rules were observed in real boots
 * (/work/shared/docs/pcr-prediction.md §6.1, §6.5: cases d, d257, b, c); synthetic PE images hold the
 * sections here.
 */
class UkiSectionsTest {
    @Test
    void stub252_prefixMatch_lastEntryWins() throws Exception {
        PeImage pe = PeImage.parse("uki", new TestPe().section(".osrel", "ID=first\n").section(".osrelx", "ID=later\n").build());
        assertEquals("ID=later\n", text(UkiSections.resolve(pe, StubGeneration.V252), ".osrel"));
    }

    @Test
    void stub257_exactMatch_firstEntryWins() throws Exception {
        PeImage pe = PeImage.parse("uki", new TestPe().section(".osrel", "ID=first\n").section(".osrelx", "ID=later\n")
                .section(".osrel", "ID=third\n").build());
        assertEquals("ID=first\n", text(UkiSections.resolve(pe, StubGeneration.V257), ".osrel"));
    }

    @Test
    void stub257_defaultProfileOverridesBase_laterProfilesIgnored() throws Exception {
        PeImage pe = PeImage.parse("uki", new TestPe()
                .section(".cmdline", "base").section(".osrel", "ID=x\n")
                .section(".profile", "ID=zero").section(".cmdline", "profile0")
                .section(".profile", "ID=one").section(".cmdline", "profile1").build());
        UkiSections s = UkiSections.resolve(pe, StubGeneration.V257);
        assertEquals("profile0", text(s, ".cmdline"));
        assertEquals("ID=zero", text(s, ".profile"));
        assertEquals("ID=x\n", text(s, ".osrel"));
    }

    @Test
    void virtualSizeBeyondRawData_isZeroExtended_andZeroVirtualSizeIsAbsent() throws Exception {
        byte[] raw = "abc".getBytes(StandardCharsets.US_ASCII);
        PeImage pe = PeImage.parse("uki", new TestPe().section(".cmdline", raw, 0x400).section(".dtb", raw, 0).build());
        UkiSections s = UkiSections.resolve(pe, StubGeneration.V252);
        byte[] expected = new byte[0x400];
        System.arraycopy(raw, 0, expected, 0, 3);
        assertArrayEquals(expected, s.get(".cmdline").orElseThrow());
        assertFalse(s.has(".dtb"));
    }

    @Test
    void initrd252_withoutGeneratedArchives_isTheSectionUnpadded() throws Exception {
        byte[] initrd = {1, 2, 3, 4, 5};
        PeImage pe = PeImage.parse("uki", new TestPe().section(".initrd", initrd, 5).section(".osrel", "ID=x\n").build());
        assertArrayEquals(initrd, UkiBootPredictor.combinedInitrd(StubGeneration.V252, UkiSections.resolve(pe, StubGeneration.V252), UkiBootPredictor.DropIns.NONE));
    }

    @Test
    void initrd252_withPcrsig_isPaddedSectionThenCpio() throws Exception {
        byte[] initrd = {1, 2, 3, 4, 5};
        PeImage pe = PeImage.parse("uki", new TestPe().section(".initrd", initrd, 5).section(".pcrsig", "{}").build());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {1, 2, 3, 4, 5, 0, 0, 0});
        expected.writeBytes(StubCpio.extraFile("tpm2-pcr-signature.json", "{}".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(expected.toByteArray(),
                UkiBootPredictor.combinedInitrd(StubGeneration.V252, UkiSections.resolve(pe, StubGeneration.V252), UkiBootPredictor.DropIns.NONE));
    }

    @Test
    void initrd257_osrelBecomesACpio_andEveryPartIsPadded() throws Exception {
        byte[] initrd = {1, 2, 3, 4, 5};
        PeImage pe = PeImage.parse("uki", new TestPe().section(".initrd", initrd, 5).section(".osrel", "ID=x\n").build());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {1, 2, 3, 4, 5, 0, 0, 0});
        expected.writeBytes(StubCpio.extraFile("os-release", "ID=x\n".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(expected.toByteArray(),
                UkiBootPredictor.combinedInitrd(StubGeneration.V257, UkiSections.resolve(pe, StubGeneration.V257), UkiBootPredictor.DropIns.NONE));
    }

    @Test
    void initrd257_singlePart_isUnpadded() throws Exception {
        byte[] initrd = {1, 2, 3, 4, 5};
        PeImage pe = PeImage.parse("uki", new TestPe().section(".initrd", initrd, 5).build());
        assertArrayEquals(initrd, UkiBootPredictor.combinedInitrd(StubGeneration.V257, UkiSections.resolve(pe, StubGeneration.V257), UkiBootPredictor.DropIns.NONE));
    }

    private static String text(UkiSections s, String name) {
        return new String(s.get(name).orElseThrow(), StandardCharsets.UTF_8);
    }
}
