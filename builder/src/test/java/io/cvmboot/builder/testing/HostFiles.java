package io.cvmboot.builder.testing;

import java.nio.file.Path;

/** Where Debian's packages put the host files the boot tests use. */
public final class HostFiles {
    /** Package ovmf: the firmware without Secure Boot, and its variable store template. */
    public static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    public static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    /** Package ovmf: the Secure Boot firmware, and a store enrolled with Debian's snakeoil keys. */
    public static final Path OVMF_CODE_SECBOOT = Path.of("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd");
    public static final Path OVMF_VARS_SNAKEOIL = Path.of("/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd");
    /** Package systemd-boot-efi (systemd 252 on bookworm). */
    public static final Path SYSTEMD_STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");
    /** Package busybox-static: the guest side of the probe initrds. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private HostFiles() {}
}
