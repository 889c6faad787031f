package io.cvmboot.builder.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.testing.TestKernel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuTest {

    @Test
    void command_directBootWithTpmAndNetwork(@TempDir Path work) throws IOException {
        QemuSpec spec = QemuSpec.builder()
                .kernel(Path.of("/k"), Path.of("/i"), "console=ttyS0")
                .tpmSocket(Path.of("/s.sock"))
                .netRule("guestfwd=tcp:169.254.169.254:80-tcp:127.0.0.1:8080")
                .build();
        List<String> c = Qemu.command(spec, work);
        assertEquals("tcg", c.get(c.indexOf("-accel") + 1));
        assertEquals("/k", c.get(c.indexOf("-kernel") + 1));
        assertEquals("console=ttyS0", c.get(c.indexOf("-append") + 1));
        assertTrue(c.contains("tpm-crb,tpmdev=tpm0"));
        assertEquals("user,id=net0,guestfwd=tcp:169.254.169.254:80-tcp:127.0.0.1:8080", c.get(c.indexOf("-netdev") + 1));
        assertFalse(c.contains("-drive"), "no firmware flash and no disk for a direct boot");
    }

    @Test
    void command_ovmfVarsAreCopiedNotUsedInPlace(@TempDir Path work) throws IOException {
        Path vars = Files.writeString(work.resolve("template.fd"), "vars");
        QemuSpec spec = QemuSpec.builder().ovmf(Path.of("/code.fd"), vars).esp(work).build();
        List<String> c = Qemu.command(spec, work);
        assertTrue(c.contains("if=pflash,format=raw,unit=1,file=" + work.resolve("OVMF_VARS.fd")));
        assertTrue(c.contains("if=none,id=esp,format=raw,readonly=on,file=fat:" + work));
    }

    @Test
    void spec_rejectsEspWithoutFirmware() {
        var b = QemuSpec.builder().esp(Path.of("/esp"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, b::build);
    }

    @Test
    void stripControl_removesCarriageReturnsAndEscapes() {
        assertEquals("BdsDxe: loading", Qemu.stripControl("\u001B[2J\u001B[01;01HBdsDxe: loading\r"));
    }

    /** Boots the Debian kernel with a busybox initrd made by GNU cpio (independent of our writer). */
    @Test
    void boot_directKernelWithTpm(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(Qemu.available(), "qemu-system-x86_64 absent");
        Assumptions.assumeTrue(Swtpm.available(), "swtpm absent");
        Assumptions.assumeTrue(Tools.onPath("cpio") && Files.isExecutable(Path.of("/bin/busybox")),
                "GNU cpio or busybox-static absent");
        Path kernel = TestKernel.vmlinuz();
        Path root = Files.createDirectories(work.resolve("root"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Files.writeString(root.resolve("init"), """
                #!/bin/busybox sh
                /bin/busybox mkdir -p /sys
                /bin/busybox mount -t sysfs sysfs /sys
                echo "PCR0=$(/bin/busybox cat /sys/class/tpm/tpm0/pcr-sha256/0)"
                echo CVMBOOT-QEMU-OK
                /bin/busybox poweroff -f
                """, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(root.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path initrd = work.resolve("initrd.cpio");
        Process p = new ProcessBuilder("sh", "-c", "find . | LC_ALL=C sort | cpio -o -H newc --quiet > " + initrd)
                .directory(root.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());

        try (Swtpm tpm = Swtpm.start(work.resolve("tpm"))) {
            QemuSpec spec = QemuSpec.builder()
                    .kernel(kernel, initrd, "console=ttyS0 panic=-1 rdinit=/init quiet")
                    .tpm(tpm)
                    .build();
            BootResult r = Qemu.boot(spec, Duration.ofMinutes(3), line -> line.equals("CVMBOOT-QEMU-OK"));
            assertTrue(r.stopped(), () -> "no marker; serial:\n" + r.serial() + "\nqemu:\n" + r.qemuErrors());
            // SeaBIOS measures itself into PCR 0, so a TPM reached through tpm-crb reads a non-zero value.
            assertTrue(r.serialLines().stream().anyMatch(l -> l.matches("PCR0=[0-9A-F]{64}") && !l.endsWith("0".repeat(64))),
                    r::serial);
        }
    }
}
