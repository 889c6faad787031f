package io.cvmboot.builder.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader against .debs written by dpkg-deb (see src/test/resources/deb/fixtures/README.md). */
class DebArchiveTest {
    private static final String LABEL = "hello-fixture 1:2.10-3+cvm1 (amd64)";
    private static final String GREETING_NAME = "usr/share/hello/gr\u00fc\u00dfe.txt";
    private static final byte[] HELLO = "#!/bin/sh\necho hello\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private Path fixture(String name) throws IOException {
        Path target = tmp.resolve(name);
        try (InputStream in = DebArchiveTest.class.getResourceAsStream("/deb/fixtures/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    /** `dpkg-deb -c hello-fixture-xz.deb`, as type, octal mode, path, link target. */
    private static final List<String> DPKG_LISTING = List.of(
            "DIRECTORY 755 usr",
            "DIRECTORY 755 usr/bin",
            "FILE 4755 usr/bin/hello",
            "SYMLINK 777 usr/bin/hello-abs -> /usr/bin/hello",
            "HARD_LINK 4755 usr/bin/hello-hard -> usr/bin/hello",
            "DIRECTORY 755 usr/lib",
            "DIRECTORY 755 usr/lib/hello",
            "SYMLINK 777 usr/lib/hello/greeting -> ../../share/hello/gr\u00fc\u00dfe.txt",
            "SYMLINK 777 usr/lib/hello/loop-a -> loop-b",
            "SYMLINK 777 usr/lib/hello/loop-b -> loop-a",
            "DIRECTORY 755 usr/share",
            "DIRECTORY 755 usr/share/doc",
            "DIRECTORY 755 usr/share/doc/hello",
            "FILE 644 usr/share/doc/hello/copyright",
            "DIRECTORY 755 usr/share/empty",
            "DIRECTORY 755 usr/share/hello",
            "FILE 644 " + GREETING_NAME);

    @ParameterizedTest
    @ValueSource(strings = {"xz", "gzip", "zstd", "none"})
    void read_everyDpkgDebCompression(String compression) throws Exception {
        DebPackage deb = DebArchive.read(fixture("hello-fixture-" + compression + ".deb"), LABEL, DebArchive.all());
        assertEquals("hello-fixture", deb.control().packageName());
        assertEquals("1:2.10-3+cvm1", deb.control().version());
        assertEquals("amd64", deb.control().architecture());
        assertEquals(List.of("xz", "gzip", "zstd", "none").indexOf(compression),
                List.of("data.tar.xz", "data.tar.gz", "data.tar.zst", "data.tar").indexOf(deb.dataMember()));
        List<String> listing = deb.files().entries().stream()
                .map(e -> e.type() + " " + Integer.toOctalString(e.permissions()) + " " + e.path()
                        + (e.linkTarget() != null ? " -> " + e.linkTarget() : ""))
                .toList();
        assertEquals(DPKG_LISTING, listing);
        assertArrayEquals(HELLO, deb.files().read("usr/bin/hello"));
        assertEquals(21, deb.files().entry("usr/bin/hello").size());
    }

    @Test
    void read_followsHardLinksAndSymlinksInsideThePackage() throws Exception {
        DebFileTree files = DebArchive.read(fixture("hello-fixture-xz.deb"), LABEL, DebArchive.all()).files();
        assertArrayEquals(HELLO, files.read("usr/bin/hello-hard"));
        assertArrayEquals(HELLO, files.read("/usr/bin/hello-abs"));
        assertArrayEquals("Gr\u00fc\u00dfe aus dem Test\n".getBytes(StandardCharsets.UTF_8), files.read("./usr/lib/hello/greeting"));
        assertEquals(GREETING_NAME, files.resolve("usr/lib/hello/greeting").path());
    }

    @Test
    void missingFile_namesPackageAndPath() throws Exception {
        DebFileTree files = DebArchive.read(fixture("hello-fixture-xz.deb"), LABEL, DebArchive.all()).files();
        var ex = assertThrows(PackageException.class, () -> files.read("usr/bin/nope"));
        assertEquals("package hello-fixture 1:2.10-3+cvm1 (amd64) has no such file: usr/bin/nope", ex.getMessage());
        var dir = assertThrows(PackageException.class, () -> files.read("usr/share/empty"));
        assertEquals("package " + LABEL + ": usr/share/empty is a DIRECTORY, not a regular file", dir.getMessage());
    }

    @Test
    void symlinkLoop_isReportedNotFollowedForever() throws Exception {
        DebFileTree files = DebArchive.read(fixture("hello-fixture-xz.deb"), LABEL, DebArchive.all()).files();
        var ex = assertThrows(PackageException.class, () -> files.read("usr/lib/hello/loop-a"));
        assertEquals("package " + LABEL + ": too many symlinks (a loop?) resolving usr/lib/hello/loop-a", ex.getMessage());
    }

    @Test
    void selection_loadsOnlySelectedFilesAndTheTargetsOfSelectedLinks() throws Exception {
        DebFileTree files = DebArchive.read(fixture("hello-fixture-xz.deb"), LABEL,
                DebArchive.paths(List.of("usr/bin/hello-hard", "/usr/lib/hello/"))).files();
        assertArrayEquals(HELLO, files.read("usr/bin/hello-hard"));
        assertTrue(files.isLoaded(GREETING_NAME), "target of the selected symlink usr/lib/hello/greeting");
        assertFalse(files.isLoaded("usr/share/doc/hello/copyright"));
        assertEquals(17, files.entries().size(), "metadata of every entry is kept");
        assertThrows(IllegalStateException.class, () -> files.read("usr/share/doc/hello/copyright"));
    }

    @Test
    void under_listsADirectorySubtree() throws Exception {
        DebFileTree files = DebArchive.read(fixture("hello-fixture-xz.deb"), LABEL, DebArchive.all()).files();
        assertEquals(List.of("usr/lib/hello/greeting", "usr/lib/hello/loop-a", "usr/lib/hello/loop-b"),
                files.under("usr/lib/hello").stream().map(DebEntry::path).toList());
    }

    @Test
    void truncatedDeb_isDamaged() throws Exception {
        var ex = assertThrows(PackageException.class,
                () -> DebArchive.read(fixture("hello-fixture-xz-truncated.deb"), LABEL, DebArchive.all()));
        assertTrue(ex.getMessage().startsWith("package " + LABEL + ": hello-fixture-xz-truncated.deb is damaged or truncated"),
                ex.getMessage());
    }

    @Test
    void notADeb_saysWhatItExpected() throws Exception {
        Path notDeb = Files.writeString(tmp.resolve("x.deb"), "!<arch>\nREADME/         0           0     0     644     3         `\nhi\n\n");
        var ex = assertThrows(PackageException.class, () -> DebArchive.read(notDeb, LABEL, DebArchive.all()));
        assertEquals("package " + LABEL + ": " + notDeb + " is not a .deb (first ar member is 'README', expected debian-binary)",
                ex.getMessage());
    }

    @Test
    void entryEscapingTheRoot_isRefused() throws Exception {
        Path evil = writeDeb(tmp.resolve("evil.deb"), "./../etc/passwd");
        var ex = assertThrows(PackageException.class, () -> DebArchive.read(evil, "evil 1.0 (amd64)", DebArchive.all()));
        assertEquals("package evil 1.0 (amd64): tar entry './../etc/passwd' has an empty, '.' or '..' component",
                ex.getMessage());
        Path fine = writeDeb(tmp.resolve("fine.deb"), "./etc/passwd");
        assertArrayEquals("x".getBytes(StandardCharsets.US_ASCII),
                DebArchive.read(fine, "fine 1.0 (amd64)", DebArchive.all()).files().read("etc/passwd"));
    }

    @Test
    void controlFileNotMatchingThePin_isRefused() throws Exception {
        Path file = fixture("hello-fixture-xz.deb");
        var pin = PackagePin.of("hello-fixture", "2.10-3+cvm1", "amd64",
                "49f28b8b37f701636395db436fa1fec1e8ec9d90837fc724e24164fdbab78db8", null);
        var ex = assertThrows(PackageException.class,
                () -> DebArchive.read(new FetchedPackage(pin, file, Files.size(file), true), DebArchive.all()));
        assertEquals("package pinned as hello-fixture 2.10-3+cvm1 (amd64) is hello-fixture 1:2.10-3+cvm1 (amd64)"
                + " according to its control file", ex.getMessage());
        var good = PackagePin.of("hello-fixture", "1:2.10-3+cvm1", "amd64",
                "49f28b8b37f701636395db436fa1fec1e8ec9d90837fc724e24164fdbab78db8", null);
        assertEquals(Set.of("hello-fixture"), Set.of(DebArchive.read(new FetchedPackage(good, file, Files.size(file), true),
                DebArchive.all()).control().packageName()));
    }

    /** An uncompressed .deb with one data entry named {@code name}, written with commons-compress. */
    private static Path writeDeb(Path target, String name) throws IOException {
        byte[] control = tar("./control", "Package: evil\nVersion: 1.0\nArchitecture: amd64\n");
        byte[] data = tar(name, "x");
        try (var ar = new ArArchiveOutputStream(Files.newOutputStream(target))) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar", control);
            member(ar, "data.tar", data);
        }
        return target;
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] data) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, data.length));
        ar.write(data);
        ar.closeArchiveEntry();
    }

    private static byte[] tar(String name, String content) throws IOException {
        var bytes = new ByteArrayOutputStream();
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        try (var tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
            var entry = new TarArchiveEntry(name, true);
            entry.setSize(data.length);
            entry.setMode(0100644);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
