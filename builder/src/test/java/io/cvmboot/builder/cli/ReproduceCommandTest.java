package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default build, twice, in separate processes with different TZ, umask, locale, working
 * directory and package-cache location (a copy of the first): every artefact byte-identical.
 */
class ReproduceCommandTest {

    @Test
    void defaultSpec_buildsIdenticallyInDifferentEnvironments(@TempDir Path work) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "reproduce", "--keep", work.toString());
        assertEquals(0, code, () -> out + "\n" + err);
        assertEquals("identical", out.toString().strip());
        try (var files = Files.list(work.resolve("first-out"))) {
            assertEquals(8, files.count(), "vmlinuz initrd.img uki.efi ovmf.fd stage1-config.json stage2 manifest expected");
        }
        assertTrue(err.toString().contains("TZ=Pacific/Chatham, umask 077"), err::toString);
    }
}
