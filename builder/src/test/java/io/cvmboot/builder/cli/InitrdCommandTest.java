package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.Main;
import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.InitrdListing;
import io.cvmboot.initrd.InitrdReader;
import io.cvmboot.initrd.ListedEntry;
import io.cvmboot.measure.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void treeAndSpec_withGzipAndEpoch_writeTheInitrd_andPrintItsSha256() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/etc"));
        Files.writeString(tree.resolve("motd"), "hello\n");
        Path spec = Files.writeString(tmp.resolve("spec"), "nod /dev/console 0600 0 0 c 5 1\nslink /bin/sh busybox 0777 0 0\n");
        Path out = tmp.resolve("initrd.gz");
        Run r = run("initrd", "--tree", tmp.resolve("tree").toString(), "--spec", spec.toString(),
                "--compress", "gzip", "--level", "9", "--source-date-epoch", "1234567890", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        byte[] bytes = Files.readAllBytes(out);
        assertEquals(Digest.compute(Digest.HashAlgorithm.SHA256, bytes).hex() + "  " + out + "\n", r.out());
        InitrdListing listing = InitrdReader.read(out);
        assertEquals(Compression.GZIP, listing.segments().get(0).compression());
        List<ListedEntry> entries = listing.segments().get(0).entries();
        assertEquals(List.of(".", "bin", "bin/sh", "dev", "dev/console", "etc", "etc/motd"),
                entries.stream().map(ListedEntry::name).toList());
        assertTrue(entries.stream().allMatch(e -> e.mtime() == 1234567890L));
    }

    @Test
    void earlySpec_becomesAnUncompressedFirstSegment() throws Exception {
        Path ucode = Files.write(tmp.resolve("amd.bin"), new byte[] {1, 2, 3});
        Path early = Files.writeString(tmp.resolve("early"), "file /kernel/x86/microcode/AuthenticAMD.bin " + ucode + " 0644 0 0\n");
        Path main = Files.writeString(tmp.resolve("main"), "dir /proc 0555 0 0\n");
        Path out = tmp.resolve("initrd");
        Run r = run("initrd", "--early-spec", early.toString(), "--spec", main.toString(), "--compress", "zstd", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        InitrdListing listing = InitrdReader.read(out);
        assertEquals(List.of(Compression.NONE, Compression.ZSTD),
                listing.segments().stream().map(s -> s.compression()).toList());
        // lib/earlycpio.c compares the name bytes directly: no "./" or "/" prefix allowed.
        byte[] bytes = Files.readAllBytes(out);
        assertTrue(new String(bytes, 0, 1024, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("kernel/x86/microcode/AuthenticAMD.bin\0"));
    }

    @Test
    void ls_printsSegmentsAndEntries() throws Exception {
        Path data = Files.writeString(tmp.resolve("data"), "abc");
        Path spec = Files.writeString(tmp.resolve("spec"), """
                file /etc/x %s 4750 0 42
                nod /dev/vda 0660 0 6 b 254 0
                slink /bin/sh busybox 0777 0 0
                """.formatted(data));
        Path out = tmp.resolve("initrd");
        assertEquals(0, run("initrd", "--spec", spec.toString(), "-o", out.toString()).code());
        Run ls = run("initrd", "ls", out.toString());
        assertEquals(0, ls.code(), ls.err());
        // sha256("abc") from FIPS 180-2, Appendix B.1.
        assertEquals("""
                # segment 0: offset 0, %d bytes, none, 6 entries
                drwxr-xr-x 0/0 0 - bin
                lrwxrwxrwx 0/0 7 - bin/sh -> busybox
                drwxr-xr-x 0/0 0 - dev
                brw-rw---- 0/6 254,0 - dev/vda
                drwxr-xr-x 0/0 0 - etc
                -rwsr-x--- 0/42 3 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad etc/x
                """.formatted(InitrdReader.read(out).segments().get(0).length()), ls.out());
    }

    @Test
    void diff_exitsZeroForEqualAndThreeForDifferentInitrds() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "dir /x 0755 0 0\n");
        Path b = Files.writeString(tmp.resolve("b"), "dir /x 0700 0 0\n");
        run("initrd", "--spec", a.toString(), "-o", tmp.resolve("a.img").toString());
        run("initrd", "--spec", a.toString(), "--compress", "xz", "-o", tmp.resolve("a.xz").toString());
        run("initrd", "--spec", b.toString(), "-o", tmp.resolve("b.img").toString());
        Run same = run("initrd", "diff", tmp.resolve("a.img").toString(), tmp.resolve("a.img").toString());
        assertEquals(0, same.code());
        assertEquals("", same.out());
        Run different = run("initrd", "diff", tmp.resolve("a.img").toString(), tmp.resolve("b.xz").toString());
        assertEquals(2, different.code(), "b.xz does not exist: bad input");
        Run modes = run("initrd", "diff", tmp.resolve("a.xz").toString(), tmp.resolve("b.img").toString());
        assertEquals(3, modes.code());
        assertEquals("segments: xz -> none\nx: mode 0040755 -> 0040700\n", modes.out());
    }

    @Test
    void specSyntaxError_exits2_namingFileAndLine_andLeavesNoOutput() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec"), "dir /x 0755 0 0\nslink /y\n");
        assertBadInput(List.of("--spec", spec.toString()), "builder initrd: spec " + spec + " line 2: expected 'slink NAME TARGET MODE UID GID'");
    }

    @Test
    void pathEscapingRoot_exits2() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec"), "dir ../../etc 0755 0 0\n");
        assertBadInput(List.of("--spec", spec.toString()), "escapes the initrd root");
    }

    @Test
    void missingSourceFile_exits2_namingIt() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec"), "file /init /nonexistent/init 0755 0 0\n");
        assertBadInput(List.of("--spec", spec.toString()), "source file /nonexistent/init does not exist");
    }

    @Test
    void missingTree_exits2() throws Exception {
        assertBadInput(List.of("--tree", tmp.resolve("none").toString()), "tree " + tmp.resolve("none"));
    }

    @Test
    void nameOver4096Bytes_exits2() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec"), "dir /" + "n".repeat(4096) + " 0755 0 0\n");
        assertBadInput(List.of("--spec", spec.toString()), "is too long");
    }

    @Test
    void fieldOver32Bits_exits2() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec"), "dir /x 0755 0 4294967296\n");
        assertBadInput(List.of("--spec", spec.toString()), "GID 4294967296 does not fit the 32-bit newc field");
        Path ok = Files.writeString(tmp.resolve("ok"), "dir /x 0755 0 0\n");
        assertBadInput(List.of("--spec", ok.toString(), "--source-date-epoch", "4294967296"), "does not fit the 32-bit newc mtime field");
    }

    @Test
    void badCompressionOrLevel_exits2() throws Exception {
        Path ok = Files.writeString(tmp.resolve("ok"), "dir /x 0755 0 0\n");
        assertBadInput(List.of("--spec", ok.toString(), "--compress", "bzip2"), "expected none, gzip, xz, zstd or lz4");
        assertBadInput(List.of("--spec", ok.toString(), "--compress", "gzip", "--level", "10"), "expected 1..9");
    }

    @Test
    void ls_ofANonInitrd_exits2() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk"), "not an initrd");
        Run r = run("initrd", "ls", junk.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("builder initrd ls: initrd " + junk + " segment at offset 0: expected a newc archive"), r.err());
    }

    private void assertBadInput(List<String> options, String expectedInError) throws Exception {
        Path out = tmp.resolve("out.img");
        var args = new java.util.ArrayList<String>(List.of("initrd"));
        args.addAll(options);
        args.addAll(List.of("-o", out.toString()));
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expectedInError), r.err());
        assertEquals(1, r.err().lines().count(), "one-line error: " + r.err());
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("out.img")), "no output or temp file");
        }
    }
}
