package io.cvmboot.initrd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenInitCpioSpecTest {
    @TempDir
    Path tmp;

    @Test
    void everyEntryType_isParsedWithModesOwnersAndDevices() throws Exception {
        Files.writeString(tmp.resolve("init.sh"), "#!/bin/sh\n");
        Path spec = write("""
                # a comment, then a blank line

                dir /dev 0755 0 0
                nod /dev/console 0600 0 5 c 5 1
                nod /dev/vda 0660 0 6 b 254 0
                file /init ${SRC}/init.sh 4755 0 0
                slink /bin/sh busybox 0777 0 0
                pipe /run/fifo 0620 1 2
                sock /run/sock 0755 3 4
                """);
        var entries = GenInitCpioSpec.parse(spec, Map.of("SRC", tmp.toString())).entries();
        assertEquals(7, entries.size());
        InitrdEntry console = entries.get(1);
        assertEquals("dev/console", console.path().value());
        assertEquals(EntryType.CHAR_DEVICE, console.type());
        assertEquals(0020600, console.mode());
        assertEquals(5, console.gid());
        assertEquals(5, console.rdevMajor());
        assertEquals(1, console.rdevMinor());
        assertEquals(EntryType.BLOCK_DEVICE, entries.get(2).type());
        assertEquals(254, entries.get(2).rdevMajor());
        assertEquals(04755, entries.get(3).permissions());
        assertEquals(10, entries.get(3).content().size());
        assertEquals(EntryType.SYMLINK, entries.get(4).type());
        assertEquals(EntryType.FIFO, entries.get(5).type());
        assertEquals(2, entries.get(5).gid());
        assertEquals(EntryType.SOCKET, entries.get(6).type());
    }

    @Test
    void relativeSource_resolvesAgainstTheSpecDirectory() throws Exception {
        Files.createDirectory(tmp.resolve("files"));
        Files.writeString(tmp.resolve("files/x"), "12345");
        Path spec = write("file /x files/x 0644 0 0\n");
        assertEquals(5, GenInitCpioSpec.parse(spec, Map.of()).entries().get(0).content().size());
    }

    @Test
    void extraNames_onAFileLine_becomeHardLinks() throws Exception {
        Files.writeString(tmp.resolve("bb"), "x");
        Path spec = write("file /bin/busybox bb 0755 0 0 /bin/sh /sbin/init\n");
        List<InitrdEntry> e = GenInitCpioSpec.parse(spec, Map.of()).entries();
        assertEquals(3, e.size());
        assertEquals("bin/busybox", e.get(2).hardLinkTarget().value());
    }

    @Test
    void syntaxError_namesFileAndLine() throws Exception {
        Path spec = write("dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5\n");
        var e = assertThrows(ArtefactInputException.class, () -> GenInitCpioSpec.parse(spec, Map.of()));
        assertEquals("spec " + spec + " line 2: expected 'nod NAME MODE UID GID b|c MAJ MIN' (7 fields after the type), found 6",
                e.getMessage());
    }

    @Test
    void unknownType_badMode_badDeviceType_areRejectedWithTheLine() throws Exception {
        assertMessage("fil /x y 0644 0 0\n", "line 1: expected an entry type (file, dir, nod, slink, pipe, sock), found 'fil'");
        assertMessage("dir /x 0789 0 0\n", "line 1: expected an octal MODE, found '0789'");
        assertMessage("dir /x 100755 0 0\n", "line 1: expected MODE with permission bits only");
        assertMessage("nod /x 0600 0 0 x 1 2\n", "line 1: expected device type 'b' or 'c', found 'x'");
        assertMessage("dir /x 0755 root 0\n", "line 1: expected a decimal UID, found 'root'");
    }

    @Test
    void fieldOver32Bits_isRejected() throws Exception {
        assertMessage("dir /x 0755 4294967296 0\n", "line 1: UID 4294967296 does not fit the 32-bit newc field");
        assertMessage("nod /x 0600 0 0 c 99999999999 1\n", "line 1: MAJ 99999999999 does not fit the 32-bit newc field");
    }

    @Test
    void field32BitMaximum_isAccepted() throws Exception {
        Path spec = write("dir /x 0755 4294967295 4294967295\n");
        assertEquals(0xFFFF_FFFFL, GenInitCpioSpec.parse(spec, Map.of()).entries().get(0).uid());
    }

    @Test
    void missingSourceFile_isRejectedNamingSpecLineAndFile() throws Exception {
        Path spec = write("dir /x 0755 0 0\nfile /init does-not-exist 0755 0 0\n");
        var e = assertThrows(ArtefactInputException.class, () -> GenInitCpioSpec.parse(spec, Map.of()));
        assertTrue(e.getMessage().startsWith("spec " + spec + " line 2: source file "), e.getMessage());
        assertTrue(e.getMessage().endsWith("does-not-exist does not exist"), e.getMessage());
    }

    @Test
    void pathEscapingTheRoot_isRejectedWithTheLine() throws Exception {
        assertMessage("dir /../etc 0755 0 0\n", "line 1: path '/../etc' escapes the initrd root");
    }

    @Test
    void unsetVariable_inSource_isRejected() throws Exception {
        assertMessage("file /x ${NOPE}/x 0644 0 0\n", "line 1: SOURCE '${NOPE}/x' uses ${NOPE}, which is not set");
    }

    private void assertMessage(String specText, String expectedFragment) throws Exception {
        Path spec = write(specText);
        var e = assertThrows(ArtefactInputException.class, () -> GenInitCpioSpec.parse(spec, Map.of()));
        assertTrue(e.getMessage().startsWith("spec " + spec + " "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }

    private Path write(String text) throws Exception {
        Path spec = Files.createTempFile(tmp, "spec", ".txt");
        Files.writeString(spec, text);
        return spec;
    }
}
