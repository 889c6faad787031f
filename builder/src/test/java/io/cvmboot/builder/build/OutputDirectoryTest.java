package io.cvmboot.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {

    @Test
    void failedBuild_leavesNothingBehind(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        try (OutputDirectory o = OutputDirectory.create(out, false)) {
            Files.writeString(o.staging().resolve("uki.efi"), "half");
            // no commit: the build failed
        }
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "the staging directory is removed too");
        }
    }

    @Test
    void commit_makesTheArtefactsAppear(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        try (OutputDirectory o = OutputDirectory.create(out, false)) {
            Files.writeString(o.staging().resolve("uki.efi"), "bytes");
            o.commit();
        }
        assertEquals("bytes", Files.readString(out.resolve("uki.efi")));
    }

    @Test
    void existingOutput_isRefusedWithoutForce(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("keep"), "old");
        var e = assertThrows(FileAlreadyExistsException.class, () -> OutputDirectory.create(out, false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertEquals("old", Files.readString(out.resolve("keep")));
    }

    @Test
    void force_replacesOnlyOnCommit(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("old"), "old");
        try (OutputDirectory o = OutputDirectory.create(out, true)) {
            Files.writeString(o.staging().resolve("new"), "new");
            assertTrue(Files.exists(out.resolve("old")), "the old output stays until the new one is complete");
            o.commit();
        }
        assertFalse(Files.exists(out.resolve("old")));
        assertEquals("new", Files.readString(out.resolve("new")));
    }
}
