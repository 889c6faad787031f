package io.cvmboot.initrd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InitrdReaderTest {
    private static final byte[] MICROCODE = "not really microcode".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void concatenated_earlyUncompressedSegment_thenCompressedMain_isListed(Compression main) throws Exception {
        byte[] initrd = concatenated(main);
        InitrdListing listing = InitrdReader.read(initrd, "test");
        assertEquals(2, listing.segments().size());
        ListedSegment early = listing.segments().get(0);
        assertEquals(Compression.NONE, early.compression());
        assertEquals(List.of("kernel", "kernel/x86", "kernel/x86/microcode", "kernel/x86/microcode/AuthenticAMD.bin"),
                early.entries().stream().map(ListedEntry::name).toList());
        assertEquals(Digest.compute(Digest.HashAlgorithm.SHA256, MICROCODE), early.entries().get(3).sha256());
        ListedSegment second = listing.segments().get(1);
        assertEquals(main, second.compression());
        // After the last segment only zero padding may follow (the 512-byte block padding of an
        // uncompressed archive).
        for (long i = second.offset() + second.length(); i < initrd.length; i++) {
            assertEquals(0, initrd[(int) i], "byte " + i + " after the last segment");
        }
        assertTrue(main == Compression.NONE || second.offset() + second.length() == initrd.length);
        ListedEntry console = second.entries().stream().filter(e -> e.name().equals("dev/console")).findFirst().orElseThrow();
        assertEquals("crw-------", console.modeString());
        assertEquals(5, console.rdevMajor());
        ListedEntry sh = second.entries().stream().filter(e -> e.name().equals("bin/sh")).findFirst().orElseThrow();
        assertEquals("busybox", sh.linkTarget());
        assertNull(sh.sha256());
    }

    @Test
    void archiveWrittenByGnuCpio_isReadLikeOurs() throws Exception {
        ExternalTools.assume("cpio");
        Path tree = Files.createDirectories(tmp.resolve("t/etc"));
        Files.writeString(tree.resolve("motd"), "hello\n");
        byte[] gnu = ExternalTools.sh(tmp.resolve("t"), "find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n", null);
        InitrdListing listing = InitrdReader.read(gnu, "gnu");
        ListedEntry motd = listing.effectiveEntries().get("etc/motd");
        assertEquals(6, motd.size());
        assertEquals(Digest.compute(Digest.HashAlgorithm.SHA256, "hello\n".getBytes(StandardCharsets.US_ASCII)), motd.sha256());
    }

    @Test
    void laterSegment_replacesAnEarlierEntry_inTheEffectiveView() throws Exception {
        var a = new InitrdBuilder().addFile("init", 0644, new byte[] {1}).build();
        var b = new InitrdBuilder().addFile("init", 0755, new byte[] {2, 3}).build();
        var out = new ByteArrayOutputStream();
        new InitrdImage(List.of(Segment.uncompressed(a), Segment.of(b, Compression.GZIP)), NewcOptions.DEFAULT).write(out);
        ListedEntry init = InitrdReader.read(out.toByteArray(), "t").effectiveEntries().get("init");
        assertEquals(2, init.size());
        assertEquals(0100755, init.mode());
    }

    @Test
    void diff_reportsModeContentAndPresenceChanges_andNothingForEqualInitrds() throws Exception {
        var base = new InitrdBuilder().addFile("a", 0644, new byte[] {1}).addFile("b", 0644, new byte[] {1});
        byte[] first = write(base.build(), Compression.NONE);
        byte[] same = write(base.build(), Compression.NONE);
        byte[] second = write(new InitrdBuilder().addFile("a", 0755, new byte[] {2}).addFile("c", 0644, new byte[0]).build(),
                Compression.ZSTD);
        assertEquals(List.of(), InitrdDiff.compare(InitrdReader.read(first, "1"), InitrdReader.read(same, "2")));
        List<InitrdDiff.Difference> d = InitrdDiff.compare(InitrdReader.read(first, "1"), InitrdReader.read(second, "2"));
        assertEquals("segments: none -> zstd", d.get(0).description());
        assertEquals("a", d.get(1).name());
        assertTrue(d.get(1).description().startsWith("mode 0100644 -> 0100755; sha256 "), d.get(1).description());
        assertEquals(new InitrdDiff.Difference("b", "only in first"), d.get(2));
        assertEquals(new InitrdDiff.Difference("c", "only in second"), d.get(3));
        assertEquals(4, d.size());
    }

    @Test
    void garbage_isRejectedNamingOffset() {
        byte[] junk = "hello world".getBytes(StandardCharsets.US_ASCII);
        var e = assertThrows(ArtefactInputException.class, () -> InitrdReader.read(junk, "initrd x"));
        assertEquals("initrd x segment at offset 0: expected a newc archive or a gzip/xz/zstd/lz4 stream, found bytes 68 65",
                e.getMessage());
    }

    @Test
    void truncatedArchive_isRejected() throws Exception {
        byte[] full = write(new InitrdBuilder().addFile("a", 0644, new byte[1000]).build(), Compression.NONE);
        byte[] cut = java.util.Arrays.copyOf(full, 500);
        var e = assertThrows(ArtefactInputException.class, () -> InitrdReader.read(cut, "initrd x"));
        assertTrue(e.getMessage().contains("announces 1000 bytes of data"), e.getMessage());
    }

    @Test
    void wrong070702Checksum_isRejected_likeTheKernelDoes() throws Exception {
        byte[] bytes = write(new InitrdBuilder().addFile("a", 0644, new byte[] {5}).build(), Compression.NONE);
        bytes[5] = '2'; // 070701 -> 070702 with checksum field 0, but the data sums to 5
        var e = assertThrows(ArtefactInputException.class, () -> InitrdReader.read(bytes, "initrd x"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    private byte[] concatenated(Compression main) throws Exception {
        CpioArchive early = new InitrdBuilder().addFile("kernel/x86/microcode/AuthenticAMD.bin", 0644, MICROCODE).build();
        CpioArchive rest = new InitrdBuilder()
                .addCharDevice("dev/console", 0600, 5, 1)
                .addSymlink("bin/sh", "busybox")
                .addFile("bin/busybox", 0755, CompressionTest.sample(100_000))
                .build();
        var out = new ByteArrayOutputStream();
        WriteResult r = new InitrdImage(List.of(Segment.uncompressed(early), Segment.of(rest, main)), NewcOptions.DEFAULT)
                .write(out);
        assertEquals(out.size(), r.size());
        assertEquals(Digest.compute(Digest.HashAlgorithm.SHA256, out.toByteArray()), r.sha256());
        return out.toByteArray();
    }

    static byte[] write(CpioArchive archive, Compression c) throws Exception {
        var out = new ByteArrayOutputStream();
        InitrdImage.of(archive, c).write(out);
        return out.toByteArray();
    }
}
