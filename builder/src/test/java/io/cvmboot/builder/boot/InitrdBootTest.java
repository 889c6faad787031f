package io.cvmboot.builder.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.Main;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.QemuSpec;
import io.cvmboot.builder.testing.HostFiles;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.initrd.EntryType;
import io.cvmboot.initrd.GenInitCpioSpec;
import io.cvmboot.initrd.InitrdEntry;
import io.cvmboot.measure.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel is the reader: the pinned Debian 6.1 kernel boots an initrd written by
 * {@code builder initrd} (an uncompressed early segment followed by a compressed one); its
 * busybox init prints mode, owner, device numbers, symlink target and sha256 of every path it
 * sees, and the test compares that with what the spec asked for.
 */
class InitrdBootTest {
    private static final String DONE = "CVMBOOT-INITRD-DONE";

    private static final String INIT = """
            #!/bin/sh
            bb=/bin/busybox
            while read -r p; do
              if [ -L "$p" ]; then echo "L $p $($bb readlink "$p")"; fi
              echo "E $($bb stat -c '%A %u %g %t %T' "$p") $p"
              if [ -f "$p" ] && [ ! -L "$p" ]; then echo "S $($bb sha256sum "$p" | $bb cut -d' ' -f1) $p"; fi
            done < /etc/paths
            echo CVMBOOT-INITRD-DONE
            $bb poweroff -f
            """;

    private static final String SPEC = """
            dir /bin 0755 0 0
            file /bin/busybox /bin/busybox 0755 0 0
            slink /bin/sh busybox 0777 0 0
            file /init init 0755 0 0
            file /etc/paths paths 0644 0 0
            dir /dev 0755 0 0
            nod /dev/console 0600 0 0 c 5 1
            nod /dev/null 0666 0 0 c 1 3
            nod /dev/vda 0660 0 6 b 254 0
            file /etc/secret secret 0640 1000 1001
            file /usr/bin/suid secret 4755 0 0
            dir /root 0700 0 0
            dir /tmp 1777 0 0
            slink /etc/mtab /proc/self/mounts 0777 0 0
            pipe /run/fifo 0620 0 5
            sock /run/sock 0755 0 0
            dir /gr\u00fc\u00df 0711 7 8
            """;

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "xz", "zstd", "lz4"})
    void debianKernel_unpacksOurInitrd_asTheSpecSays(String compression, @org.junit.jupiter.api.io.TempDir Path work)
            throws Exception {
        Assumptions.assumeTrue(Qemu.available(), "qemu-system-x86_64 absent: install qemu-system-x86");
        Assumptions.assumeTrue(Files.isExecutable(HostFiles.BUSYBOX), "/bin/busybox absent: install busybox-static");
        Path kernel = TestKernel.vmlinuz();

        Path spec = Files.writeString(work.resolve("main.spec"), SPEC, StandardCharsets.UTF_8);
        Files.writeString(work.resolve("init"), INIT, StandardCharsets.UTF_8);
        Files.writeString(work.resolve("secret"), "top secret\n", StandardCharsets.UTF_8);
        Path early = Files.writeString(work.resolve("early.spec"), "file /etc/early-segment secret 0444 0 0\n");
        List<InitrdEntry> entries = new ArrayList<>(GenInitCpioSpec.parse(early, Map.of()).entries());
        // /etc/paths lists every path (its own included); the spec is parsed once to list them,
        // with an empty stand-in for the list itself.
        Files.writeString(work.resolve("paths"), "");
        var paths = new TreeSet<String>();
        GenInitCpioSpec.parse(spec, Map.of()).entries().forEach(e -> paths.add("/" + e.path().value()));
        paths.addAll(List.of("/etc", "/usr", "/usr/bin", "/run", "/etc/early-segment"));
        Files.writeString(work.resolve("paths"), String.join("\n", paths) + "\n", StandardCharsets.UTF_8);
        entries.addAll(GenInitCpioSpec.parse(spec, Map.of()).entries());

        Path initrd = work.resolve("initrd.img");
        var err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "initrd",
                "--early-spec", early.toString(), "--spec", spec.toString(), "--compress", compression,
                "-o", initrd.toString());
        assertEquals(0, code, err.toString());

        QemuSpec qemu = QemuSpec.builder()
                .kernel(kernel, initrd, "console=ttyS0 panic=-1 rdinit=/init quiet")
                .memoryMiB(512)
                .build();
        BootResult r = Qemu.boot(qemu, Duration.ofMinutes(4), line -> line.equals(DONE));
        assertTrue(r.stopped(), () -> "no " + DONE + " line; serial:\n" + r.serial() + "\nqemu:\n" + r.qemuErrors());

        var seen = new TreeSet<String>();
        for (String line : r.serialLines()) {
            if (line.startsWith("E ") || line.startsWith("L ") || line.startsWith("S ")) {
                seen.add(line.strip());
            }
        }
        var expected = new TreeSet<String>();
        for (InitrdEntry e : entries) {
            String p = "/" + e.path().value();
            expected.add("E " + lsMode(e.mode()) + " " + e.uid() + " " + e.gid() + " "
                    + Long.toHexString(e.rdevMajor()) + " " + Long.toHexString(e.rdevMinor()) + " " + p);
            if (e.type() == EntryType.SYMLINK) {
                expected.add("L " + p + " " + new String(bytes(e), StandardCharsets.UTF_8));
            }
            if (e.type() == EntryType.REGULAR) {
                expected.add("S " + HexFormat.of().formatHex(Digest.compute(Digest.HashAlgorithm.SHA256, bytes(e)).bytes())
                        + " " + p);
            }
        }
        for (String implied : List.of("/etc", "/usr", "/usr/bin", "/run")) {
            expected.add("E drwxr-xr-x 0 0 0 0 " + implied);
        }
        assertEquals(String.join("\n", expected), String.join("\n", seen), "what the guest saw vs the spec");
    }

    private static byte[] bytes(InitrdEntry e) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        e.content().writeTo(out);
        return out.toByteArray();
    }

    /** {@code ls -l} mode string, written out here independently of the library's reader. */
    private static String lsMode(int mode) {
        char type = switch (mode & 0170000) {
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            case 0140000 -> 's';
            default -> '-';
        };
        char[] s = (type + "rwxrwxrwx").toCharArray();
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) == 0) {
                s[i + 1] = '-';
            }
        }
        if ((mode & 04000) != 0) {
            s[3] = s[3] == 'x' ? 's' : 'S';
        }
        if ((mode & 02000) != 0) {
            s[6] = s[6] == 'x' ? 's' : 'S';
        }
        if ((mode & 01000) != 0) {
            s[9] = s[9] == 'x' ? 't' : 'T';
        }
        return new String(s);
    }
}
