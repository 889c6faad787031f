package io.cvmboot.builder.boot.pcr;

import io.cvmboot.builder.testing.HostFiles;
import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.CpioArchive;
import io.cvmboot.initrd.InitrdBuilder;
import io.cvmboot.initrd.InitrdImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A busybox initrd whose /init prints what the guest's TPM holds on the serial console: every PCR
 * of every bank in sysfs, the Stub* EFI variables systemd-stub set, and the firmware event log in
 * base64, between markers {@link GuestTpmReport} parses. Then it powers off.
 */
public final class PcrProbeInitrd {
    /** systemd's loader vendor GUID (systemd src/boot/efi: LOADER_GUID). */
    static final String LOADER_GUID = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";

    private PcrProbeInitrd() {}

    /**
     * The initrd (an uncompressed newc archive).
     *
     * @param marker printed as "CVM-MARKER ..." and stored in /etc/marker, so that two probes differ
     * @param efivarfs the test kernel's efivarfs.ko (the Debian kernel builds it as a module)
     */
    public static byte[] build(String marker, Path efivarfs) throws Exception {
        CpioArchive archive = new InitrdBuilder()
                .addFile("/bin/busybox", 0755, Files.readAllBytes(HostFiles.BUSYBOX))
                .addSymlink("/bin/sh", "busybox")
                .addFile("/init", 0755, script(marker).getBytes(StandardCharsets.US_ASCII))
                .addFile("/lib/efivarfs.ko", 0644, Files.readAllBytes(efivarfs))
                .addFile("/etc/marker", 0644, (marker + "\n").getBytes(StandardCharsets.US_ASCII))
                .addCharDevice("/dev/console", 0600, 5, 1)
                .addDirectory("/proc", 0755)
                .addDirectory("/sys", 0755)
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Uncompressed: the captured UKIs then depend on the newc writer only, not on a compressor's output.
        InitrdImage.of(archive, Compression.NONE).write(out);
        return out.toByteArray();
    }

    static String script(String marker) {
        return """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                export PATH=/bin
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                mount -t devtmpfs devtmpfs /dev
                mount -t securityfs securityfs /sys/kernel/security
                insmod /lib/efivarfs.ko && mount -t efivarfs efivarfs /sys/firmware/efi/efivars
                echo "CVM-MARKER %s"
                for bank in sha1 sha256 sha384 sha512; do
                  d=/sys/class/tpm/tpm0/pcr-$bank
                  [ -d $d ] || continue
                  i=0
                  while [ $i -le 23 ]; do
                    echo "CVM-PCR $bank $i $(cat $d/$i)"
                    i=$((i+1))
                  done
                done
                for v in StubPcrKernelImage StubPcrKernelParameters StubPcrInitRDSysExts StubInfo; do
                  f=/sys/firmware/efi/efivars/$v-%s
                  [ -e $f ] && echo "CVM-VAR $v $(tail -c +5 $f | hexdump -v -e '1/1 "%%02x"')"
                done
                echo CVM-LOG-BEGIN
                base64 /sys/kernel/security/tpm0/binary_bios_measurements
                echo CVM-LOG-END
                echo CVM-DONE
                poweroff -f
                """.formatted(marker, LOADER_GUID);
    }
}
