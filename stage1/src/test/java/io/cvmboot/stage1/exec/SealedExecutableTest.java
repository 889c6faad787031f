package io.cvmboot.stage1.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedExecutableTest {

    @Test
    void seal_setsAllSealsAndRefusesFurtherWrites() throws Exception {
        try (SealedExecutable exe = SealedExecutable.create("test")) {
            byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
            exe.sink().write(data, 0, data.length);
            exe.seal();
            int seals = Native.seals(exe.fd());
            int expected = Native.F_SEAL_SEAL | Native.F_SEAL_SHRINK | Native.F_SEAL_GROW | Native.F_SEAL_WRITE;
            assertEquals(expected, seals & expected);
            assertThrows(IOException.class, () -> exe.sink().write(data, 0, data.length));
            // Even another open file description of the memfd cannot write once F_SEAL_WRITE is set.
            Path proc = Path.of("/proc/self/fd/" + exe.fd());
            assertThrows(IOException.class, () -> Files.write(proc, data, StandardOpenOption.WRITE));
            assertArrayEquals(data, Files.readAllBytes(proc));
        }
    }

    @Test
    void copyTo_writesExecutableCopyAndRefusesExistingPath(@TempDir Path dir) throws Exception {
        try (SealedExecutable exe = SealedExecutable.create("test")) {
            byte[] data = new byte[300_000];
            data[7] = 7;
            exe.sink().write(data, 0, data.length);
            exe.seal();
            Path target = dir.resolve("stage2.exe");
            exe.copyTo(target);
            assertArrayEquals(data, Files.readAllBytes(target));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            Path link = dir.resolve("link.exe");
            Files.createSymbolicLink(link, dir.resolve("elsewhere"));
            var e = assertThrows(io.cvmboot.stage1.Stage1Exception.class, () -> exe.copyTo(link));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertTrue(Files.notExists(dir.resolve("elsewhere")), "the symlink was not followed");
        }
    }
}
