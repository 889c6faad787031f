package io.cvmboot.builder.boot;

import static io.cvmboot.builder.testing.Prerequisite.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.QemuSpec;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.testing.HostFiles;
import io.cvmboot.builder.testing.Needs;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.InitrdBuilder;
import io.cvmboot.initrd.InitrdImage;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.uki.AuthenticodeSigner;
import io.cvmboot.uki.SigningIdentity;
import io.cvmboot.uki.UkiAssembler;
import io.cvmboot.uki.UkiSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UKI built by cvmboot (Debian's systemd-stub 252 + the pinned Debian kernel + an initrd written by
 * cvmboot) boots through OVMF under TCG: the firmware loads it from an ESP, the stub hands the kernel
 * its .cmdline and .initrd, and the initrd's /init (busybox-static) reports what it sees. Under
 * Secure Boot (Debian's snakeoil OVMF), the UKI signed by cvmboot boots and the unsigned one is refused.
 */
@Needs({QEMU, OVMF, SYSTEMD_STUB, BUSYBOX, TEST_KERNEL})
class UkiBootTest {
    static final String CMDLINE = "console=ttyS0 panic=-1 cvmboot.test=uki-boot";

    /** Debian's test-only Secure Boot firmware: the "snakeoil" certificate is in PK, KEK and db. */
    static final Path SNAKEOIL_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd");
    static final Path SNAKEOIL_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd");
    /** Its private key (password "snakeoil", per /usr/share/doc/ovmf/README.Debian) and certificate. */
    static final Path SNAKEOIL_KEY = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.key");
    static final Path SNAKEOIL_CERT = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.pem");

    private static byte[] uki;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildUki() throws Exception {
        uki = UkiAssembler.assemble(UkiSpec.builder()
                .stub(Files.readAllBytes(HostFiles.SYSTEMD_STUB))
                .linux(Files.readAllBytes(TestKernel.vmlinuz()))
                .initrd(initrd())
                .cmdline(CMDLINE)
                .osRelease("ID=cvmboot-test\n".getBytes(StandardCharsets.UTF_8))
                .build()).bytes();
    }

    @Test
    void uki_bootsThroughOvmf_stubPassesCmdlineAndInitrd() throws Exception {
        BootResult r = boot(uki, HostFiles.OVMF_CODE, HostFiles.OVMF_VARS, false);
        assertGuestRan(r);
        assertFalse(r.serial().contains("Secure boot enabled"), tail(r.serial()));
    }

    @Test
    void uki_firmwareMeasuresOurAuthenticodeDigestIntoEventLog() throws Exception {
        assumeTrue(Swtpm.available(), "swtpm not installed (Debian: apt-get install swtpm swtpm-tools)");
        BootResult r;
        try (Swtpm tpm = Swtpm.start(dir.resolve("tpm"))) {
            r = boot(uki, HostFiles.OVMF_CODE, HostFiles.OVMF_VARS, false, tpm);
        }
        assertGuestRan(r);
        byte[] log = eventLog(r);
        // OVMF extends PCR 4 with the image's Authenticode digest (EV_EFI_BOOT_SERVICES_APPLICATION):
        // our digest of the UKI must appear verbatim in the firmware's own log.
        byte[] sha256 = Authenticode.digest("uki.efi", uki, HashAlgorithm.SHA256).bytes();
        assertTrue(indexOf(log, sha256) >= 0, "firmware log lacks Authenticode sha256 " + HexFormat.of().formatHex(sha256));
        // Bad variant: the plain file hash is not what the firmware measures.
        byte[] fileHash = io.cvmboot.measure.Digest.compute(HashAlgorithm.SHA256, uki).bytes();
        assertEquals(-1, indexOf(log, fileHash));
    }

    private static byte[] eventLog(BootResult r) {
        List<String> lines = r.serialLines();
        int begin = lines.indexOf("CVMBOOT-EVENTLOG-BEGIN");
        int end = lines.indexOf("CVMBOOT-EVENTLOG-END");
        assertTrue(begin >= 0 && end > begin, "no event log printed\n" + tail(r.serial()));
        return Base64.getMimeDecoder().decode(String.join("", lines.subList(begin + 1, end)));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void signedUki_bootsUnderSecureBoot() throws Exception {
        SigningIdentity snakeoil = snakeoil();
        byte[] signed = AuthenticodeSigner.sign("uki.efi", uki, snakeoil, HashAlgorithm.SHA256);
        BootResult r = boot(signed, SNAKEOIL_CODE, SNAKEOIL_VARS, true);
        assertGuestRan(r);
        assertTrue(r.serial().contains("secureboot: Secure boot enabled"), tail(r.serial()));
    }

    @Test
    void unsignedUki_refusedUnderSecureBoot() throws Exception {
        snakeoil(); // same preconditions as the signed case
        BootResult r = boot(uki, SNAKEOIL_CODE, SNAKEOIL_VARS, true);
        assertTrue(r.serial().contains("Access Denied"), tail(r.serial()));
        assertFalse(r.serial().contains("CVMBOOT-UKI"), tail(r.serial()));
    }

    private SigningIdentity snakeoil() throws Exception {
        assumeTrue(Files.isRegularFile(SNAKEOIL_CODE) && Files.isRegularFile(SNAKEOIL_KEY),
                "Debian's snakeoil OVMF absent (Debian: apt-get install ovmf)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl absent (Debian: apt-get install openssl)");
        Path key = dir.resolve("snakeoil.key");
        Process p = new ProcessBuilder("/usr/bin/openssl", "pkey", "-in", SNAKEOIL_KEY.toString(), "-passin", "pass:snakeoil",
                "-out", key.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return SigningIdentity.fromPem(key.toString(), Files.readAllBytes(key), SNAKEOIL_CERT.toString(),
                Files.readAllBytes(SNAKEOIL_CERT));
    }

    private BootResult boot(byte[] image, Path code, Path vars, boolean secureBoot) throws Exception {
        return boot(image, code, vars, secureBoot, null);
    }

    private BootResult boot(byte[] image, Path code, Path vars, boolean secureBoot, Swtpm tpm) throws Exception {
        Path boot = Files.createDirectories(dir.resolve("esp/EFI/BOOT"));
        Files.write(boot.resolve("BOOTX64.EFI"), image);
        QemuSpec.Builder builder = QemuSpec.builder()
                .ovmf(code, vars)
                .secureBoot(secureBoot)
                .esp(dir.resolve("esp"))
                .memoryMiB(1024);
        if (tpm != null) {
            builder.tpm(tpm);
        }
        QemuSpec spec = builder.build();
        // Stop at the guest's last line, or when the firmware refuses the image.
        return Qemu.boot(spec, Duration.ofMinutes(8),
                line -> line.contains("CVMBOOT-UKI-DONE") || line.contains("No bootable option or device was found"));
    }

    private static void assertGuestRan(BootResult r) {
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
                // With a TPM, print the firmware's event log for the PCR 4 check.
                "/bin/busybox mount -t securityfs securityfs /sys/kernel/security",
                "if [ -r /sys/kernel/security/tpm0/binary_bios_measurements ]; then",
                "  echo CVMBOOT-EVENTLOG-BEGIN",
                "  /bin/busybox base64 /sys/kernel/security/tpm0/binary_bios_measurements",
                "  echo CVMBOOT-EVENTLOG-END",
                "fi",
                "echo CVMBOOT-UKI-DONE",
                "/bin/busybox poweroff -f",
                "");
        var archive = new InitrdBuilder()
                .addDirectory("bin", 0755)
                .addDirectory("dev", 0755)
                .addDirectory("proc", 0555)
                .addDirectory("sys", 0555)
                .addFile("bin/busybox", 0755, HostFiles.BUSYBOX)
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
