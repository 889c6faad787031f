package io.cvmboot.initrd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryPathTest {

    @Test
    void normalise_dropsLeadingSlashDotAndRepeatedSlashes() throws Exception {
        assertEquals("dev/console", EntryPath.of("/dev//./console", "t").value());
        assertEquals("bin", EntryPath.of("./bin/", "t").value());
        assertTrue(EntryPath.of("/", "t").isRoot());
        assertEquals(".", EntryPath.of(".", "t").value());
    }

    @Test
    void dotDot_escapingTheRoot_isRejectedNamingTheInput() {
        var e = assertThrows(ArtefactInputException.class, () -> EntryPath.of("../etc/passwd", "spec x line 3"));
        assertTrue(e.getMessage().startsWith("spec x line 3: path '../etc/passwd' escapes the initrd root"), e.getMessage());
        assertThrows(ArtefactInputException.class, () -> EntryPath.of("a/../../b", "t"));
        assertThrows(ArtefactInputException.class, () -> EntryPath.of("a/..", "t"));
    }

    @Test
    void name_ofPathMaxMinusOneBytes_isAccepted_andOneMoreIsRejected() throws Exception {
        // The kernel skips names whose namesize (with NUL) exceeds PATH_MAX = 4096.
        String ok = "d/" + "x".repeat(4093);
        assertEquals(4095, EntryPath.of(ok, "t").utf8().length);
        var e = assertThrows(ArtefactInputException.class, () -> EntryPath.of(ok + "y", "tree /x"));
        assertTrue(e.getMessage().contains("4096 UTF-8 bytes is too long"), e.getMessage());
    }

    @Test
    void nulByte_isRejected() {
        assertThrows(ArtefactInputException.class, () -> EntryPath.of("a\0b", "t"));
    }

    @Test
    void order_isUnsignedUtf8Bytes_notUtf16() throws Exception {
        // U+FF5E (UTF-8 EF BD 9E) sorts before U+1F600 (F0 9F 98 80) by bytes, but after it
        // in String.compareTo, which compares the surrogate D83D first.
        EntryPath bmp = EntryPath.of("\uFF5E", "t");
        EntryPath astral = EntryPath.of("\uD83D\uDE00", "t");
        assertTrue(bmp.compareTo(astral) < 0);
        assertTrue("\uFF5E".compareTo("\uD83D\uDE00") > 0);
        // '-' (0x2D) and '.' (0x2E) sort before '/' (0x2F): as LC_ALL=C sort orders find output.
        List<EntryPath> paths = new ArrayList<>(List.of(EntryPath.of("a/b", "t"), EntryPath.of("a.txt", "t"),
                EntryPath.of("a-b", "t"), EntryPath.of("a", "t")));
        paths.sort(null);
        assertEquals("[a, a-b, a.txt, a/b]", paths.toString());
    }
}
