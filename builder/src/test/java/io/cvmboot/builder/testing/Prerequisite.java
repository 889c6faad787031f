package io.cvmboot.builder.testing;

import io.cvmboot.builder.boot.stage1.Stage1Image;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.qemu.Tools;
import java.nio.file.Files;
import java.util.function.BooleanSupplier;

/** Something a test class needs from the host or the build, with what to do when it is missing. */
public enum Prerequisite {
    QEMU("qemu-system-x86_64 not installed (Debian: apt-get install qemu-system-x86)", Qemu::available),
    SWTPM("swtpm not installed (Debian: apt-get install swtpm swtpm-tools)", Swtpm::available),
    TPM2_TOOLS("tpm2-tools not installed (Debian: apt-get install tpm2-tools)", () -> Tools.onPath("tpm2_nvdefine")),
    OVMF("OVMF absent (Debian: apt-get install ovmf)",
            () -> Files.isRegularFile(HostFiles.OVMF_CODE) && Files.isRegularFile(HostFiles.OVMF_VARS)),
    SYSTEMD_STUB("systemd-stub absent (Debian: apt-get install systemd-boot-efi)",
            () -> Files.isRegularFile(HostFiles.SYSTEMD_STUB)),
    BUSYBOX("busybox absent (Debian: apt-get install busybox-static)", () -> Files.isRegularFile(HostFiles.BUSYBOX)),
    TEST_KERNEL("test kernel absent: run ci/fetch-test-kernel.sh (or set CVMBOOT_TEST_KERNEL_DIR)", TestKernel::available),
    STAGE1_IMAGE("stage1 image not built: run the package phase with stage1 in the reactor, "
            + "e.g. mvn -pl stage1,builder -am verify", Stage1Image::built);

    private final String whenMissing;
    private final BooleanSupplier check;

    Prerequisite(String whenMissing, BooleanSupplier check) {
        this.whenMissing = whenMissing;
        this.check = check;
    }

    public boolean met() {
        return check.getAsBoolean();
    }

    /** Why a test that needs this cannot run, and how to fix that. */
    public String whenMissing() {
        return whenMissing;
    }
}
