package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvmboot.measure.MeasureException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Mangling rules observed in real boots (/work/shared/docs/pcr-prediction.md §6.2, case b). */
class StubCmdlineTest {
    @Test
    void fromSection_controlCharactersBecomeSpaces_trailingSpacesStripped_leadingKept() throws Exception {
        byte[] section = " console=ttyS0 loglevel=3\tfoo=bar  \n".getBytes(StandardCharsets.UTF_8);
        assertEquals(" console=ttyS0 loglevel=3 foo=bar", StubCmdline.fromSection("uki", section));
    }

    @Test
    void fromSection_stopsAtFirstNul() throws Exception {
        byte[] section = "quiet\0garbage".getBytes(StandardCharsets.UTF_8);
        assertEquals("quiet", StubCmdline.fromSection("uki", section));
    }

    @Test
    void fromSection_zeroPaddedVirtualSize_sameAsText() throws Exception {
        byte[] section = new byte[64];
        System.arraycopy("a=b".getBytes(StandardCharsets.US_ASCII), 0, section, 0, 3);
        assertEquals("a=b", StubCmdline.fromSection("uki", section));
    }

    @Test
    void mangle_dropsCodePointsOutsideTheBmp() {
        assertEquals("x=y", StubCmdline.mangle("x=\uD83D\uDE00y"));
    }

    @Test
    void loadOptions_utf16leWithNul() {
        assertArrayEquals(new byte[] {'a', 0, '=', 0, 'b', 0, 0, 0}, StubCmdline.loadOptions("a=b"));
    }

    @Test
    void fromSection_invalidUtf8_isRefused() {
        byte[] bad = {'a', (byte) 0xC3, '('};
        assertThrows(MeasureException.class, () -> StubCmdline.fromSection("uki", bad));
    }
}
