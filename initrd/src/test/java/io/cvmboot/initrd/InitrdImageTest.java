package io.cvmboot.initrd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdImageTest {
    @TempDir
    Path tmp;

    @Test
    void write_toPath_isMode0644_andReportsSizeAndDigestOfTheFile() throws Exception {
        Path out = tmp.resolve("initrd.img");
        WriteResult r = InitrdImage.of(new InitrdBuilder().addFile("x", 0644, new byte[7]).build(), Compression.GZIP).write(out);
        byte[] bytes = Files.readAllBytes(out);
        assertEquals(bytes.length, r.size());
        assertEquals(io.cvmboot.measure.Digest.compute(io.cvmboot.measure.Digest.HashAlgorithm.SHA256, bytes), r.sha256());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void sourceVanishingBeforeWrite_failsAndLeavesNoFileBehind() throws Exception {
        Path source = tmp.resolve("big");
        Files.write(source, new byte[100_000]);
        CpioArchive archive = new InitrdBuilder().addFile("big", 0644, source).build();
        Files.write(source, new byte[10]);
        Path out = tmp.resolve("initrd.img");
        var e = assertThrows(ArtefactInputException.class, () -> InitrdImage.of(archive, Compression.ZSTD).write(out));
        assertTrue(e.getMessage().contains("changed while the initrd was written"), e.getMessage());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(source), files.toList(), "no output and no temporary file left");
        }
    }

    @Test
    void sourceFileOf4GiB_isRefused_namingIt() throws Exception {
        Path huge = tmp.resolve("huge.bin");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(0x1_0000_0000L); // sparse: one byte more than the 32-bit newc filesize field holds
        }
        var e = assertThrows(ArtefactInputException.class, () -> new InitrdBuilder().addFile("big", 0644, huge));
        assertTrue(e.getMessage().startsWith("source file " + huge + " has 4294967296 bytes"), e.getMessage());
        Files.delete(huge);
    }

    @Test
    void lz4Segment_beforeAnother_isRefused() {
        CpioArchive a = new CpioArchive(List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> new InitrdImage(
                List.of(Segment.of(a, Compression.LZ4), Segment.of(a, Compression.GZIP)), NewcOptions.DEFAULT));
        assertTrue(e.getMessage().contains("lz4 segment must be the last"), e.getMessage());
    }

    @Test
    void sourceDateEpoch_over32Bits_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NewcOptions(1L << 32, false));
    }
}
