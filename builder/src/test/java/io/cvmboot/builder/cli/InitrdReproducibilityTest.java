package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds the same initrd twice in separate JVMs that differ in everything that must not matter:
 * TZ, umask, locale, working directory, how paths are given (relative/absolute), the order the
 * input files were created in, their mtimes and their (normalised-away) permission bits, and
 * whether SOURCE_DATE_EPOCH comes from the environment or the option. The bytes must be equal.
 */
class InitrdReproducibilityTest {
    private static final String EPOCH = "1700000000";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "xz", "zstd", "lz4"})
    void twoBuildsUnderDifferentHostConditions_areByteIdentical(String compression) throws Exception {
        Path first = build("a", false, compression, EPOCH,
                Map.of("TZ", "UTC", "LC_ALL", "C.UTF-8", "LANG", "C.UTF-8", "SOURCE_DATE_EPOCH", EPOCH), "022");
        Path second = build("b", true, compression, EPOCH,
                Map.of("TZ", "Pacific/Kiritimati", "LC_ALL", "C", "LANG", "POSIX"), "077");
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(second)),
                "output mode does not follow the umask");
    }

    /** Bad variant: the comparison does see a change of SOURCE_DATE_EPOCH. */
    @Test
    void aDifferentSourceDateEpoch_changesTheBytes() throws Exception {
        Path first = build("a", false, "gzip", EPOCH, Map.of("SOURCE_DATE_EPOCH", EPOCH), "022");
        Path second = build("b", false, "gzip", "1700000001", Map.of(), "022");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(second)));
    }

    /**
     * Creates inputs in {@code tmp/name} (in reverse order and with other mtimes and permissions
     * when {@code vary}) and runs the CLI there in a fresh JVM.
     */
    private Path build(String name, boolean vary, String compression, String epoch, Map<String, String> env, String umask)
            throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path tree = dir.resolve("rootfs");
        List<String> files = new ArrayList<>(List.of("etc/motd", "etc/hosts", "usr/lib/modules/a.ko", "usr/bin/tool", "var/empty/.keep"));
        if (vary) {
            java.util.Collections.reverse(files);
        }
        for (String f : files) {
            Path p = tree.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "content of " + f + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                    f.endsWith("tool") ? (vary ? "rwx------" : "rwxr-xr-x") : (vary ? "rw-------" : "rw-rw-r--")));
            Files.setLastModifiedTime(p, FileTime.fromMillis(vary ? 86_400_000L : 1_600_000_000_000L));
        }
        Files.createSymbolicLink(tree.resolve("bin"), Path.of("usr/bin"));
        if (vary) {
            Files.setPosixFilePermissions(tree.resolve("etc"), PosixFilePermissions.fromString("rwx------"));
        }
        Files.write(dir.resolve("ucode.bin"), new byte[] {0x55, 0x43, 0x4f, 0x44, 0x45});
        Files.writeString(dir.resolve("early.spec"), "file /kernel/x86/microcode/AuthenticAMD.bin ucode.bin 0644 0 0\n");
        Files.writeString(dir.resolve("extra.spec"), """
                # device nodes and a UTF-8 name, independent of the JVM's locale
                nod /dev/console 0600 0 0 c 5 1
                slink /init /usr/bin/tool 0777 0 0
                dir /gr\u00fc\u00df 0700 0 0
                """, StandardCharsets.UTF_8);
        Path out = dir.resolve("out/initrd.img");
        Files.createDirectories(out.getParent());
        // The second build passes absolute paths and runs elsewhere; the first, relative paths in its directory.
        Path cwd = vary ? Files.createDirectories(tmp.resolve("elsewhere-" + name)) : dir;
        String base = vary ? dir.toAbsolutePath() + "/" : "";
        List<String> args = new ArrayList<>(List.of("initrd",
                "--early-spec", base + "early.spec",
                "--tree", base + "rootfs", "--spec", base + "extra.spec",
                "--compress", compression, "-o", base + "out/initrd.img"));
        if (!env.containsKey("SOURCE_DATE_EPOCH")) {
            args.addAll(List.of("--source-date-epoch", epoch));
        }
        runCli(cwd, env, umask, args);
        return out;
    }

    private static void runCli(Path cwd, Map<String, String> env, String umask, List<String> args)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new StringBuilder("umask " + umask + " && exec " + quote(java)
                + " --enable-native-access=ALL-UNNAMED -cp " + quote(System.getProperty("java.class.path"))
                + " io.cvmboot.builder.Main");
        for (String a : args) {
            command.append(' ').append(quote(a));
        }
        var pb = new ProcessBuilder("sh", "-c", command.toString()).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().remove("SOURCE_DATE_EPOCH");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
