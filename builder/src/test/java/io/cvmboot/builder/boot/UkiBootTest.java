package io.cvmboot.builder.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.QemuSpec;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.InitrdBuilder;
import io.cvmboot.initrd.InitrdImage;
import io.cvmboot.uki.Uki;
import io.cvmboot.uki.UkiAssembler;
import io.cvmboot.uki.UkiSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UKI built by cvmboot (Debian's systemd-stub 252 + the pinned Debian kernel + an initrd written by
 * cvmboot) boots through OVMF under TCG: the firmware loads it from an ESP, the stub hands the kernel
 * its .cmdline and .initrd, and the initrd's /init (busybox-static) reports what it sees.
 */
class UkiBootTest {
    static final Path STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");
    static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final String CMDLINE = "console=ttyS0 panic=-1 cvmboot.test=uki-boot";

    @TempDir
    Path dir;

    @Test
    void uki_bootsThroughOvmf_stubPassesCmdlineAndInitrd() throws Exception {
        assumeTrue(Qemu.available(), "qemu-system-x86_64 not installed (Debian: apt-get install qemu-system-x86)");
        assumeTrue(Files.isRegularFile(OVMF_CODE) && Files.isRegularFile(OVMF_VARS), "OVMF absent (Debian: apt-get install ovmf)");
        assumeTrue(Files.isRegularFile(STUB), "systemd-stub absent (Debian: apt-get install systemd-boot-efi)");
        assumeTrue(Files.isRegularFile(BUSYBOX), "busybox absent (Debian: apt-get install busybox-static)");
        TestKernel.assume();

        byte[] initrd = initrd();
        Uki uki = UkiAssembler.assemble(UkiSpec.builder()
                .stub(Files.readAllBytes(STUB))
                .linux(Files.readAllBytes(TestKernel.vmlinuz()))
                .initrd(initrd)
                .cmdline(CMDLINE)
                .osRelease("ID=cvmboot-test\n".getBytes(StandardCharsets.UTF_8))
                .build());
        Path boot = Files.createDirectories(dir.resolve("esp/EFI/BOOT"));
        Files.write(boot.resolve("BOOTX64.EFI"), uki.bytes());

        QemuSpec spec = QemuSpec.builder()
                .ovmf(OVMF_CODE, OVMF_VARS)
                .esp(dir.resolve("esp"))
                .memoryMiB(1024)
                .build();
        BootResult r = Qemu.boot(spec, Duration.ofMinutes(8), line -> line.contains("CVMBOOT-UKI-DONE"));
        String serial = r.serial();
        assertTrue(r.stopped(), "guest did not finish (timed out: " + r.timedOut() + ")\nQEMU: " + r.qemuErrors()
                + "\nserial:\n" + tail(serial));
        // /proc/cmdline is what the stub passed from .cmdline (the kernel appends nothing here).
        assertTrue(r.serialLines().contains("CVMBOOT-UKI cmdline=" + CMDLINE), tail(serial));
        // The initrd the kernel unpacked is ours: /init ran, and the device node and symlink are as written.
        assertTrue(r.serialLines().contains("CVMBOOT-UKI console=crw------- 5,1"), tail(serial));
        assertTrue(r.serialLines().contains("CVMBOOT-UKI sh=busybox"), tail(serial));
        assertTrue(r.serialLines().contains("CVMBOOT-UKI release=" + TestKernel.RELEASE), tail(serial));
        // systemd-stub 252 announced itself to the OS through its EFI variables.
        assertTrue(r.serialLines().contains("CVMBOOT-UKI stubinfo=yes"), tail(serial));
        assertFalse(serial.contains("Kernel panic"), tail(serial));
    }

    private static byte[] initrd() throws Exception {
        String init = String.join("\n",
                "#!/bin/busybox sh",
                "/bin/busybox mount -t proc proc /proc",
                "/bin/busybox mount -t sysfs sysfs /sys",
                // efivarfs is a module in this kernel: load it to read the variables the stub set.
                "/bin/busybox insmod /efivarfs.ko",
                "/bin/busybox mount -t efivarfs efivarfs /sys/firmware/efi/efivars",
                "echo \"CVMBOOT-UKI cmdline=$(/bin/busybox cat /proc/cmdline)\"",
                "echo \"CVMBOOT-UKI release=$(/bin/busybox uname -r)\"",
                "echo \"CVMBOOT-UKI console=$(/bin/busybox stat -c '%A %t,%T' /dev/console)\"",
                "echo \"CVMBOOT-UKI sh=$(/bin/busybox readlink /bin/sh)\"",
                // systemd-stub sets StubInfo in its vendor GUID namespace (pcr-prediction.md 6.3).
                "if /bin/busybox ls /sys/firmware/efi/efivars/ | /bin/busybox grep -q '^StubInfo-4a67b082'; then s=yes; else s=no; fi",
                "echo \"CVMBOOT-UKI stubinfo=$s\"",
                "echo CVMBOOT-UKI-DONE",
                "/bin/busybox poweroff -f",
                "");
        var archive = new InitrdBuilder()
                .addDirectory("bin", 0755)
                .addDirectory("dev", 0755)
                .addDirectory("proc", 0555)
                .addDirectory("sys", 0555)
                .addFile("bin/busybox", 0755, BUSYBOX)
                .addSymlink("bin/sh", "busybox")
                .addCharDevice("dev/console", 0600, 5, 1)
                .addFile("init", 0755, init.getBytes(StandardCharsets.UTF_8))
                .addFile("efivarfs.ko", 0644, TestKernel.module("kernel/fs/efivarfs/efivarfs.ko"))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InitrdImage.of(archive, Compression.GZIP).write(out);
        return out.toByteArray();
    }

    private static String tail(String serial) {
        List<String> lines = serial.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
