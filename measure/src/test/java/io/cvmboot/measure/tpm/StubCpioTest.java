package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stub's literal cpio archives. Layout per systemd src/boot/efi/cpio.c; the bytes are proven
 * by the boot test (PCR 9 covers them: 252 with .pcrpkey, 257 with os-release); here GNU cpio, an
 * independent reader, must list and extract them.
 */
class StubCpioTest {
    @TempDir
    Path dir;

    @Test
    void extraFile_layout() {
        byte[] a = StubCpio.extraFile("os-release", "ID=x\n".getBytes(StandardCharsets.US_ASCII));
        String text = new String(a, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("070701" + "00000001" + "0000416d"), text); // inode 1, dir 040555
        assertTrue(text.contains("00000002" + "00008124"), text); // inode 2, file 0100444
        assertTrue(text.endsWith("0000000B00000000TRAILER!!!\0\0\0\0"), "the stub's trailer, upper-case B");
        assertEquals(0, a.length % 4);
    }

    @Test
    void literal_nestedPrefix_createsEachParentWith0555() {
        byte[] a = StubCpio.literal(".extra/credentials", 0500, "x.cred", 0400, new byte[] {1});
        String text = new String(a, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("070701" + "00000001" + "0000416d"), text);
        assertTrue(text.contains("00000002" + "00004140"), "second dir .extra/credentials with 040500");
        assertTrue(text.contains(".extra/credentials/x.cred\0"), text);
    }

    @Test
    void dropIn_filesSortedAfterPrefix_gnuCpioListsThem() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")), "GNU cpio absent: cross-check skipped");
        java.util.Map<String, byte[]> files = new java.util.HashMap<>();
        files.put("b.cred", new byte[] {2});
        files.put("B.cred", new byte[] {3});
        files.put("a.cred", new byte[] {1, 1, 1, 1, 1});
        Path archive = Files.write(dir.resolve("c.cpio"), StubCpio.dropIn(".extra/credentials", 0500, 0400, files));
        Process p = new ProcessBuilder("/usr/bin/cpio", "-itv").redirectInput(archive.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        List<String> names = log.lines().filter(l -> l.contains(".extra")).map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        assertEquals(List.of(".extra", ".extra/credentials", ".extra/credentials/B.cred", ".extra/credentials/a.cred",
                ".extra/credentials/b.cred"), names);
        assertTrue(log.contains("dr-x------"), "credentials directory 0500: " + log);
    }

    @Test
    void dropIn_noFiles_noArchive() {
        assertEquals(0, StubCpio.dropIn(".extra/sysext", 0555, 0444, java.util.Map.of()).length);
    }

    @Test
    void espExtras_selectLikeTheStub() {
        java.util.SortedMap<String, byte[]> dir = new java.util.TreeMap<>();
        for (String n : List.of("a.cred", "B.CRED", ".hidden.cred", "x.raw", "y.confext.raw", "n\u00e4me.cred", "notes.txt")) {
            dir.put(n, new byte[0]);
        }
        EspExtras e = new EspExtras(dir, new java.util.TreeMap<>());
        assertEquals(java.util.Set.of("a.cred", "B.CRED"), e.credentials().keySet());
        assertEquals(java.util.Set.of("x.raw", "y.confext.raw"), e.sysexts(StubGeneration.V252).keySet());
        assertEquals(java.util.Set.of("x.raw"), e.sysexts(StubGeneration.V257).keySet());
    }

    @Test
    void extraFile_gnuCpioExtractsIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")), "GNU cpio absent: cross-check skipped");
        byte[] content = "NAME=\"odd size\"\n".getBytes(StandardCharsets.US_ASCII);
        Path archive = dir.resolve("a.cpio");
        Files.write(archive, StubCpio.extraFile("os-release", content));
        Path out = Files.createDirectories(dir.resolve("out"));
        Process p = new ProcessBuilder("/usr/bin/cpio", "-idv", "--no-absolute-filenames")
                .directory(out.toFile()).redirectInput(archive.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        assertEquals(List.of(".extra", ".extra/os-release"), log.lines().filter(l -> l.startsWith(".extra")).toList());
        assertEquals(new String(content, StandardCharsets.US_ASCII), Files.readString(out.resolve(".extra/os-release")));
    }
}
