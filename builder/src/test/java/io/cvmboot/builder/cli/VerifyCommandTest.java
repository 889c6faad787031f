package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.Main;
import io.cvmboot.builder.build.Artefact;
import io.cvmboot.builder.build.ManifestJson;
import io.cvmboot.builder.build.ManifestJson.Manifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static void writeOutput(Path dir) throws Exception {
        byte[] uki = "uki bytes".getBytes(StandardCharsets.UTF_8);
        byte[] initrd = "initrd bytes".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("uki.efi"), uki);
        Files.write(dir.resolve("initrd.img"), initrd);
        Manifest m = new Manifest("test", "25", "spec.yaml", "00".repeat(32), 0, "console=ttyS0",
                List.of(Artefact.of("initrd.img", initrd), Artefact.of("uki.efi", uki)), List.of());
        Files.write(dir.resolve(ManifestJson.FILE_NAME), ManifestJson.write(m));
    }

    @Test
    void intactOutput_passes(@TempDir Path dir) throws Exception {
        writeOutput(dir);
        assertEquals(0, run("verify", dir.toString()), err::toString);
        assertTrue(out.toString().contains("ok   uki.efi"), out::toString);
    }

    @Test
    void changedByte_failsWithExpectedAndActual(@TempDir Path dir) throws Exception {
        writeOutput(dir);
        Files.writeString(dir.resolve("uki.efi"), "uki bytez");
        assertEquals(3, run("verify", dir.toString()));
        assertTrue(out.toString().contains("FAIL uki.efi"), out::toString);
        assertTrue(out.toString().contains("expected size 9 sha256 "), out::toString);
    }

    @Test
    void missingAndExtraFiles_fail(@TempDir Path dir) throws Exception {
        writeOutput(dir);
        Files.delete(dir.resolve("initrd.img"));
        Files.writeString(dir.resolve("intruder"), "x");
        assertEquals(3, run("verify", dir.toString()));
        assertTrue(out.toString().contains("FAIL initrd.img") && out.toString().contains("missing"), out::toString);
        assertTrue(out.toString().contains("FAIL intruder") && out.toString().contains("not in the manifest"), out::toString);
    }

    @Test
    void notAnOutputDirectory_isUnusableInput(@TempDir Path dir) {
        assertEquals(2, run("verify", dir.toString()));
        assertTrue(err.toString().contains("no manifest.json"), err::toString);
    }
}
