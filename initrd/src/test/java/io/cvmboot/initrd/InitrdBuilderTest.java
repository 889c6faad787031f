package io.cvmboot.initrd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdBuilderTest {
    @TempDir
    Path tmp;

    @Test
    void build_sortsEntries_andImpliesParentsAs0755Root() throws Exception {
        CpioArchive a = new InitrdBuilder()
                .addFile("usr/lib/modules/x.ko", 0644, new byte[] {1})
                .addSymlink("bin", "usr/bin")
                .addDirectory("usr", 0700)
                .build();
        List<String> names = a.entries().stream().map(e -> e.path().value()).toList();
        assertEquals(List.of("bin", "usr", "usr/lib", "usr/lib/modules", "usr/lib/modules/x.ko"), names);
        assertEquals(0700, a.entries().get(1).permissions(), "an explicit directory keeps its mode");
        InitrdEntry implied = a.entries().get(2);
        assertEquals(EntryType.DIRECTORY, implied.type());
        assertEquals(0755, implied.permissions());
        assertEquals(0, implied.uid());
    }

    @Test
    void addingAPathTwice_keepsTheLaterEntry() throws Exception {
        CpioArchive a = new InitrdBuilder().addFile("init", 0644, new byte[1]).addFile("init", 0755, new byte[2]).build();
        assertEquals(1, a.entries().size());
        assertEquals(0755, a.entries().get(0).permissions());
        assertEquals(2, a.entries().get(0).content().size());
    }

    @Test
    void entryInsideANonDirectory_isRejected() throws Exception {
        var b = new InitrdBuilder().addFile("etc", 0644, new byte[1]).addFile("etc/passwd", 0644, new byte[1]);
        var e = assertThrows(ArtefactInputException.class, b::build);
        assertTrue(e.getMessage().contains("'etc/passwd' lies inside 'etc', which is a REGULAR"), e.getMessage());
    }

    @Test
    void hardLink_withoutTheOption_isRejected() throws Exception {
        var b = new InitrdBuilder().addFile("a", 0644, new byte[1]).addHardLink("b", "a");
        var e = assertThrows(ArtefactInputException.class, b::build);
        assertTrue(e.getMessage().contains("hard links are off"), e.getMessage());
    }

    @Test
    void hardLink_toAMissingFile_isRejected() throws Exception {
        var b = new InitrdBuilder().hardLinks(true).addHardLink("b", "a");
        assertThrows(ArtefactInputException.class, b::build);
    }

    @Test
    void tree_isNormalised_ownerModesAndSymlinks() throws Exception {
        Path tree = Files.createDirectory(tmp.resolve("t"));
        Files.createDirectories(tree.resolve("secret"));
        Files.setPosixFilePermissions(tree.resolve("secret"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(tree.resolve("secret/run"), "x");
        Files.setPosixFilePermissions(tree.resolve("secret/run"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(tree.resolve("data"), "y");
        Files.setPosixFilePermissions(tree.resolve("data"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.createSymbolicLink(tree.resolve("link"), Path.of("/nonexistent/target"));
        CpioArchive a = new InitrdBuilder().addTree(tree, "/opt").build();
        var byName = new java.util.HashMap<String, InitrdEntry>();
        a.entries().forEach(e -> byName.put(e.path().value(), e));
        assertEquals(0755, byName.get("opt/secret").permissions());
        assertEquals(0755, byName.get("opt/secret/run").permissions());
        assertEquals(0644, byName.get("opt/data").permissions());
        assertEquals(EntryType.SYMLINK, byName.get("opt/link").type());
        assertEquals("/nonexistent/target", new String(((Content.InMemory) byName.get("opt/link").content()).bytes(),
                StandardCharsets.UTF_8));
    }

    @Test
    void tree_thatDoesNotExist_isRejectedNamingIt() {
        var e = assertThrows(ArtefactInputException.class, () -> new InitrdBuilder().addTree(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void treeHardLinks_areStoredOnlyWithTheOption() throws Exception {
        Path tree = Files.createDirectory(tmp.resolve("h"));
        Files.writeString(tree.resolve("a"), "data");
        Files.createLink(tree.resolve("b"), tree.resolve("a"));
        CpioArchive copies = new InitrdBuilder().addTree(tree).build();
        assertTrue(copies.entries().stream().noneMatch(InitrdEntry::isHardLink));
        CpioArchive linked = new InitrdBuilder().hardLinks(true).addTree(tree).build();
        InitrdEntry b = linked.entries().stream().filter(e -> e.path().value().equals("b")).findFirst().orElseThrow();
        assertEquals("a", b.hardLinkTarget().value());
    }
}
