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
