package io.cvmboot.builder.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to boot under QEMU and how: either OVMF (code + a vars template, which is copied so the
 * template stays untouched) booting an ESP directory, or a direct kernel boot, or both (OVMF with
 * {@code -kernel}). Build with {@link #builder()}.
 *
 * @param ovmfCode OVMF code image (read-only pflash), or null for QEMU's default BIOS
 * @param ovmfVarsTemplate OVMF variable store to copy into a writable pflash, or null
 * @param bios a unified firmware image loaded with {@code -bios} (e.g. OVMF.fd, variables emulated in
 *     memory), or null
 * @param secureBoot whether the firmware is a Secure Boot build (needs SMM and a secure pflash)
 * @param esp a directory exposed to the guest as a FAT disk (EFI/BOOT/BOOTX64.EFI is booted), or null
 * @param kernel kernel for direct boot, or null
 * @param initrd initrd for direct boot, or null
 * @param append kernel command line for direct boot, or null
 * @param tpmSocket control socket of a running swtpm, or null for no TPM
 * @param network whether to give the guest a virtio NIC on QEMU user networking
 * @param netRules extra {@code -netdev user} options such as {@code guestfwd=tcp:10.0.2.100:80-tcp:127.0.0.1:8080}
 * @param accel QEMU accelerator; "tcg" on machines where /dev/kvm is unusable
 * @param memoryMiB guest memory
 * @param cpus vCPU count
 * @param extraArgs further QEMU arguments, appended last
 */
public record QemuSpec(
        Path ovmfCode,
        Path ovmfVarsTemplate,
        Path bios,
        boolean secureBoot,
        Path esp,
        Path kernel,
        Path initrd,
        String append,
        Path tpmSocket,
        boolean network,
        List<String> netRules,
        String accel,
        int memoryMiB,
        int cpus,
        List<String> extraArgs) {

    public QemuSpec {
        netRules = List.copyOf(netRules);
        extraArgs = List.copyOf(extraArgs);
        Objects.requireNonNull(accel, "accel");
        if (ovmfCode != null && bios != null) {
            throw new IllegalArgumentException("give OVMF as pflash (ovmfCode) or as -bios, not both");
        }
        if (ovmfCode == null && bios == null && esp != null) {
            throw new IllegalArgumentException("booting an ESP needs OVMF (ovmfCode or bios)");
        }
        if (ovmfCode == null && bios == null && kernel == null) {
            throw new IllegalArgumentException("nothing to boot: give OVMF firmware or a kernel");
        }
        if (memoryMiB < 128 || cpus < 1) {
            throw new IllegalArgumentException("need at least 128 MiB and one vCPU");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; defaults: TCG, 1024 MiB, one vCPU, no network, no TPM. */
    public static final class Builder {
        private Path ovmfCode;
        private Path ovmfVarsTemplate;
        private Path bios;
        private boolean secureBoot;
        private Path esp;
        private Path kernel;
        private Path initrd;
        private String append;
        private Path tpmSocket;
        private boolean network;
        private final List<String> netRules = new ArrayList<>();
        private String accel = "tcg";
        private int memoryMiB = 1024;
        private int cpus = 1;
        private final List<String> extraArgs = new ArrayList<>();

        public Builder ovmf(Path code, Path varsTemplate) {
            this.ovmfCode = code;
            this.ovmfVarsTemplate = varsTemplate;
            return this;
        }

        /** A unified firmware image (code and variables in one file) loaded with -bios. */
        public Builder bios(Path image) {
            this.bios = image;
            return this;
        }

        public Builder secureBoot(boolean on) {
            this.secureBoot = on;
            return this;
        }

        public Builder esp(Path directory) {
            this.esp = directory;
            return this;
        }

        public Builder kernel(Path kernel, Path initrd, String append) {
            this.kernel = kernel;
            this.initrd = initrd;
            this.append = append;
            return this;
        }

        public Builder tpm(Swtpm swtpm) {
            this.tpmSocket = swtpm.socket();
            return this;
        }

        public Builder tpmSocket(Path socket) {
            this.tpmSocket = socket;
            return this;
        }

        public Builder network(boolean on) {
            this.network = on;
            return this;
        }

        /** Adds a user-networking rule ({@code guestfwd=...} or {@code hostfwd=...}); implies network. */
        public Builder netRule(String rule) {
            this.network = true;
            this.netRules.add(rule);
            return this;
        }

        /**
         * Plays a cloud's metadata service: the guest's connections to 169.254.169.254:80 reach the
         * loopback server on {@code hostPort}. Slirp only forwards addresses inside its virtual
         * network, so the guest network becomes 169.254.0.0/16: DHCP hands out 169.254.0.15 with the
         * gateway 169.254.0.2 (static: 169.254.0.15/16 via 169.254.0.2).
         */
        public Builder metadataServer(int hostPort) {
            netRule("net=169.254.0.0/16");
            netRule("host=169.254.0.2");
            netRule("dhcpstart=169.254.0.15");
            return netRule("guestfwd=tcp:169.254.169.254:80-tcp:127.0.0.1:" + hostPort);
        }

        public Builder accel(String accel) {
            this.accel = accel;
            return this;
        }

        public Builder memoryMiB(int mib) {
            this.memoryMiB = mib;
            return this;
        }

        public Builder cpus(int cpus) {
            this.cpus = cpus;
            return this;
        }

        public Builder extraArg(String arg) {
            this.extraArgs.add(arg);
            return this;
        }

        public QemuSpec build() {
            return new QemuSpec(ovmfCode, ovmfVarsTemplate, bios, secureBoot, esp, kernel, initrd, append, tpmSocket,
                    network, netRules, accel, memoryMiB, cpus, extraArgs);
        }
    }
}
