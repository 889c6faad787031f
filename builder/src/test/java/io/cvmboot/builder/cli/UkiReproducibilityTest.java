package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.builder.testing.TestKernel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builder uki} (assembly and signing) run twice in separate JVMs that differ in time zone,
 * umask, locale, default charset, working directory, option order, relative vs absolute paths and
 * input file mtimes: the UKIs must be byte-identical.
 */
class UkiReproducibilityTest {
    @TempDir
    Path dir;

    @Test
    void uki_twoProcessesWithDifferentEnvironments_identicalSignedUkis() throws Exception {
        assumeTrue(Files.isRegularFile(UkiCommandTest.STUB), "systemd-stub absent (Debian: apt-get install systemd-boot-efi)");
        assumeTrue(UkiCommandTest.onPath("openssl") && UkiCommandTest.onPath("sh"), "needs openssl and sh");
        Path linux = TestKernel.available() ? TestKernel.directory().resolve("vmlinuz") : UkiCommandTest.STUB;

        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b/work"));
        Path key = dir.resolve("db.key");
        Path cert = dir.resolve("db.crt");
        assertEquals(0, UkiCommandTest.exec(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "3650", "-subj", "/CN=repro").exit());
        for (Path d : List.of(a, b)) {
            Files.copy(UkiCommandTest.STUB, d.resolve("stub.efi"));
            Files.copy(linux, d.resolve("vmlinuz"));
            Files.write(d.resolve("initrd.img"), new byte[] {0x30, 0x37, 0x30, 0x37, 0x30, 0x31, 1, 2, 3});
            Files.writeString(d.resolve("os-release"), "ID=cvmboot\nPRETTY_NAME=\"cvmboot ı İ ß\"\n", StandardCharsets.UTF_8);
            Files.writeString(d.resolve("sbat.csv"), "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
                    + "cvmboot,1,cvmboot,cvmboot,1,https://example.invalid/\n", StandardCharsets.UTF_8);
            Files.copy(key, d.resolve("db.key"));
            Files.copy(cert, d.resolve("db.crt"));
        }
        // Different mtimes on the inputs of the two runs.
        try (var files = Files.list(b)) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
            }
        }

        // Run A: absolute paths, UTC, C locale, umask 022.
        List<String> argsA = new ArrayList<>(List.of("uki", "--stub", a.resolve("stub.efi").toString(),
                "--linux", a.resolve("vmlinuz").toString(), "--initrd", a.resolve("initrd.img").toString(),
                "--cmdline", "console=ttyS0 İstanbul=1", "--os-release", a.resolve("os-release").toString(),
                "--sbat", a.resolve("sbat.csv").toString(), "--sign-key", a.resolve("db.key").toString(),
                "--sign-cert", a.resolve("db.crt").toString(), "-o", a.resolve("uki.efi").toString()));
        // Run B: relative paths from another directory, options in reverse pairs, another zone, Turkish locale,
        // ASCII default charset, umask 077.
        List<List<String>> pairs = new ArrayList<>(List.of(
                List.of("-o", "../uki.efi"), List.of("--sign-cert", "db.crt"), List.of("--sign-key", "db.key"),
                List.of("--sbat", "sbat.csv"), List.of("--os-release", "os-release"),
                List.of("--cmdline", "console=ttyS0 İstanbul=1"), List.of("--initrd", "initrd.img"),
                List.of("--linux", "vmlinuz"), List.of("--stub", "stub.efi")));
        Collections.reverse(pairs.subList(2, 6));
        List<String> argsB = new ArrayList<>(List.of("uki"));
        pairs.forEach(argsB::addAll);

        run(a, "022", Map.of("TZ", "UTC", "LC_ALL", "C", "LANG", "C"), List.of(), argsA);
        run(b, "077", Map.of("TZ", "Pacific/Chatham", "LC_ALL", "tr_TR.UTF-8", "LANG", "tr_TR.UTF-8"),
                List.of("-Duser.language=tr", "-Duser.country=TR", "-Dfile.encoding=COMPAT", "-Dsun.jnu.encoding=UTF-8"), argsB);

        byte[] ukiA = Files.readAllBytes(a.resolve("uki.efi"));
        byte[] ukiB = Files.readAllBytes(dir.resolve("b/uki.efi"));
        assertArrayEquals(ukiA, ukiB, "UKIs differ between the two runs");
        assertTrue(ukiA.length > 80_000);
    }

    private static void run(Path cwd, String umask, Map<String, String> env, List<String> jvmOptions, List<String> args)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh", java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.cvmboot.builder.Main"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "builder uki did not finish");
        assertEquals(0, p.exitValue(), "builder uki in " + cwd + " failed:\n" + out);
    }
}
