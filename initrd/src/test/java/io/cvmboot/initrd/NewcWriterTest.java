package io.cvmboot.initrd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewcWriterTest {
    private static final long EPOCH = 1_700_000_000L;

    @TempDir
    Path tmp;

    /**
     * The independent oracle: GNU cpio over the same tree, normalised the way TreeReader
     * normalises (dirs and executables 0755, the rest 0644, mtime = SOURCE_DATE_EPOCH, owner 0:0).
     */
    @Test
    void gnuCompatible_isByteIdenticalToGnuCpioReproducible() throws Exception {
        ExternalTools.assume("cpio");
        Path tree = exampleTree();
        byte[] gnu = gnuCpio(tree);
        byte[] ours = write(new InitrdBuilder().addTree(tree).build(), new NewcOptions(EPOCH, true));
        assertEquals(gnu.length, ours.length, "archive length");
        assertArrayEquals(gnu, ours, "first difference at byte " + java.util.Arrays.mismatch(gnu, ours));
    }

    /** Bad variant of the oracle test: a tree that was not normalised no longer matches. */
    @Test
    void gnuCompatible_differsWhenOneMtimeIsNotNormalised() throws Exception {
        ExternalTools.assume("cpio");
        Path tree = exampleTree();
        ExternalTools.sh(tree, "touch -d @1600000000 etc/motd", null);
        byte[] gnu = gnuCpio(tree);
        byte[] ours = write(new InitrdBuilder().addTree(tree).build(), new NewcOptions(EPOCH, true));
        assertFalse(java.util.Arrays.equals(gnu, ours));
    }

    /** Committed GNU cpio 2.13 output (see src/test/resources/initrd/README.md); needs no cpio here. */
    @Test
    void gnuCompatible_programmaticEntries_matchCommittedGnuCpioVector() throws Exception {
        byte[] expected;
        try (var in = NewcWriterTest.class.getResourceAsStream("/initrd/gnu-reproducible.cpio")) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, write(vectorEntries(0644).build(), new NewcOptions(EPOCH, true)));
        // Bad variant: etc/motd 0640 instead of 0644 must not match.
        assertFalse(java.util.Arrays.equals(expected, write(vectorEntries(0640).build(), new NewcOptions(EPOCH, true))));
    }

    /** The entries of make-gnu-vector.py's tree, built without touching the file system. */
    private static InitrdBuilder vectorEntries(int motdMode) throws Exception {
        byte[] seq1001 = new byte[1001];
        for (int i = 0; i < seq1001.length; i++) {
            seq1001[i] = (byte) (i % 251);
        }
        byte[] seq4096 = new byte[4096];
        for (int i = 0; i < seq4096.length; i++) {
            seq4096[i] = (byte) (i % 253);
        }
        return new InitrdBuilder()
                .addFile("bin/tool", 0755, "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8))
                .addFile("etc/motd", motdMode, "hello\n".getBytes(StandardCharsets.UTF_8))
                .addFile("etc/empty", 0644, new byte[0])
                .addFile("data/seq1001", 0644, seq1001)
                .addFile("data/seq4096", 0644, seq4096)
                .addFile("usr/share/gr\u00fc\u00df.txt", 0644, "utf-8\n".getBytes(StandardCharsets.UTF_8))
                .addDirectory("usr/lib/empty", 0755)
                .addSymlink("bin/sh", "tool")
                .addSymlink("usr/bin", "../bin");
    }

    @Test
    void defaultMode_numbersInodesFromOne_andOmitsRootUnlessGiven() throws Exception {
        CpioArchive archive = new InitrdBuilder().addFile("etc/motd", 0644, "hi\n".getBytes(StandardCharsets.UTF_8)).build();
        String text = new String(write(archive, new NewcOptions(0, false)), StandardCharsets.US_ASCII);
        // Hand-derived from cpio(5): dir "etc", ino 1, mode 040755, nlink 2, namesize 4.
        assertTrue(text.startsWith("070701" + "00000001" + "000041ED" + "00000000" + "00000000" + "00000002"
                + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "00000004"
                + "00000000" + "etc\0"), text.substring(0, 120));
        String gnu = new String(write(archive, new NewcOptions(0, true)), StandardCharsets.US_ASCII);
        assertTrue(gnu.startsWith("070701" + "00000000" + "000041ED"), "GNU mode starts with '.' at inode 0");
        assertTrue(gnu.substring(110, 112).equals(".\0"));
    }

    @Test
    void headers_useUppercaseHex_mtimeFromEpoch_andArchiveEndsWithPaddedTrailer() throws Exception {
        CpioArchive archive = new InitrdBuilder().addDirectory("abc", 0755).build();
        byte[] bytes = write(archive, new NewcOptions(0xABCDEF01L, false));
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertTrue(text.substring(6 + 5 * 8, 6 + 6 * 8).equals("ABCDEF01"), text.substring(0, 110));
        assertEquals(0, bytes.length % 512);
        assertTrue(text.contains("0000000B00000000TRAILER!!!\0"), "trailer with namesize 11");
    }

    @Test
    void deviceFifoAndSymlink_areListedByGnuCpio_withoutRootOnTheHost() throws Exception {
        ExternalTools.assume("cpio");
        CpioArchive archive = new InitrdBuilder()
                .addCharDevice("/dev/console", 0600, 5, 1)
                .addBlockDevice("/dev/vda", 0660, 254, 0)
                .addFifo("/run/initctl", 0600)
                .addSymlink("/bin/sh", "busybox")
                .add(InitrdEntry.file(EntryPath.of("etc/shadow", "t"), 0640, Content.ofBytes(new byte[3])).withOwner(0, 42))
                .build();
        String listing = new String(ExternalTools.sh(tmp, "cpio -itvn --quiet", write(archive, NewcOptions.DEFAULT)),
                StandardCharsets.UTF_8);
        assertTrue(listing.matches("(?s).*crw------- +1 0 +0 +5, +1 .* dev/console\n.*"), listing);
        assertTrue(listing.matches("(?s).*brw-rw---- +1 0 +0 +254, +0 .* dev/vda\n.*"), listing);
        assertTrue(listing.matches("(?s).*prw------- .* run/initctl\n.*"), listing);
        assertTrue(listing.matches("(?s).*lrwxrwxrwx .* 7 .* bin/sh -> busybox\n.*"), listing);
        assertTrue(listing.matches("(?s).*-rw-r----- +1 0 +42 +3 .* etc/shadow\n.*"), listing);
    }

    @Test
    void hardLinks_shareOneInode_andGnuCpioExtractsThemLinked() throws Exception {
        ExternalTools.assume("cpio");
        CpioArchive archive = new InitrdBuilder().hardLinks(true)
                .addFile("bin/busybox", 0755, "BUSYBOX".getBytes(StandardCharsets.UTF_8))
                .addHardLink("bin/ash", "bin/busybox")
                .addHardLink("sbin/init", "bin/busybox")
                .build();
        byte[] bytes = write(archive, NewcOptions.DEFAULT);
        var entries = InitrdReader.read(bytes, "test").segments().get(0).entries();
        var ash = entries.stream().filter(e -> e.name().equals("bin/ash")).findFirst().orElseThrow();
        var busybox = entries.stream().filter(e -> e.name().equals("bin/busybox")).findFirst().orElseThrow();
        var init = entries.stream().filter(e -> e.name().equals("sbin/init")).findFirst().orElseThrow();
        assertEquals(ash.inode(), busybox.inode());
        assertEquals(ash.inode(), init.inode());
        assertEquals(3, init.nlink());
        assertEquals(0, ash.size());
        assertEquals(7, init.size(), "data travels with the last name, as gen_init_cpio does");
        Path out = Files.createDirectory(tmp.resolve("x"));
        ExternalTools.sh(out, "cpio -id --quiet", bytes);
        assertTrue(Files.isSameFile(out.resolve("bin/ash"), out.resolve("sbin/init")));
        assertEquals("BUSYBOX", Files.readString(out.resolve("bin/ash")));
    }

    @Test
    void hardLinks_inGnuCompatibleMode_areRejected() throws Exception {
        CpioArchive archive = new InitrdBuilder().hardLinks(true).addFile("a", 0644, new byte[1]).addHardLink("b", "a").build();
        var e = assertThrows(ArtefactInputException.class, () -> write(archive, new NewcOptions(0, true)));
        assertTrue(e.getMessage().contains("GNU-compatible"), e.getMessage());
    }

    static byte[] write(CpioArchive archive, NewcOptions options) throws Exception {
        var out = new ByteArrayOutputStream();
        long n = NewcWriter.write(archive, options, out);
        assertEquals(n, out.size());
        return out.toByteArray();
    }

    private byte[] gnuCpio(Path tree) throws Exception {
        return ExternalTools.sh(tree, "find . | LC_ALL=C sort | cpio -o -H newc --reproducible --owner=0:0 --quiet", null);
    }

    /** Dirs (one empty), empty/1001/4096-byte files, an executable, symlinks, a fifo, a UTF-8 name. */
    private Path exampleTree() throws Exception {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        var random = new Random(42);
        Files.createDirectories(tree.resolve("bin"));
        Files.createDirectories(tree.resolve("usr/lib/empty"));
        Files.createDirectories(tree.resolve("etc"));
        Files.write(tree.resolve("etc/empty"), new byte[0]);
        byte[] b1001 = new byte[1001];
        random.nextBytes(b1001);
        Files.write(tree.resolve("usr/lib/r1001"), b1001);
        byte[] b4096 = new byte[4096];
        random.nextBytes(b4096);
        Files.write(tree.resolve("usr/lib/r4096"), b4096);
        Files.writeString(tree.resolve("etc/motd"), "hello\n");
        Files.writeString(tree.resolve("bin/tool"), "#!/bin/sh\n");
        Files.createSymbolicLink(tree.resolve("bin/sh"), Path.of("tool"));
        Files.createSymbolicLink(tree.resolve("usr/bin"), Path.of("../bin"));
        Files.writeString(tree.resolve("a-b"), "sorts before a.txt and a/");
        Files.writeString(tree.resolve("a.txt"), "x");
        if ("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
            Files.writeString(tree.resolve("etc/gr\u00fc\u00dfe-\u65e5\u672c"), "utf-8 name");
        }
        ExternalTools.sh(tree, "mkfifo etc/fifo"
                + " && find . -type d -exec chmod 755 {} +"
                + " && find . ! -type d ! -type l -exec chmod 644 {} +"
                + " && chmod 755 bin/tool"
                + " && find . -exec touch -h -d @" + EPOCH + " {} +", null);
        return tree;
    }
}
