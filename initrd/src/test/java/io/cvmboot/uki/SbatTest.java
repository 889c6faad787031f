package io.cvmboot.uki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvmboot.initrd.ArtefactInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SbatTest {
    @Test
    void merge_dropsEveryHeader_keepsOrder_endsWithNewlineNul() throws Exception {
        List<String> stub = Sbat.entriesOfSection("stub", (Sbat.HEADER + "\nsystemd,1,x\n\0\0\0").getBytes(StandardCharsets.UTF_8));
        List<String> user = Sbat.entriesOfText("user", (Sbat.HEADER + "\r\nuki,1,y\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(Sbat.HEADER + "\nsystemd,1,x\nuki,1,y\n\0",
                new String(Sbat.merge(List.of(stub, user)), StandardCharsets.UTF_8));
    }

    @Test
    void entriesOfSection_withoutHeader_skippedLikeUkify() throws Exception {
        assertEquals(List.of(), Sbat.entriesOfSection("kernel", "foo,1\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void entriesOfText_invalidUtf8_rejected() {
        byte[] bad = {'s', 'b', 'a', 't', ',', (byte) 0xC3, 0x28};
        assertThrows(ArtefactInputException.class, () -> Sbat.entriesOfText("sbat.csv", bad));
    }
}
