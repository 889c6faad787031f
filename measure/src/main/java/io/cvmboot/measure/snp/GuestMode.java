package io.cvmboot.measure.snp;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What is computed, named as sev-snp-measure's {@code --mode} values. */
public enum GuestMode {
    /** SEV: SHA-256 of the firmware (and the kernel-hashes table). */
    SEV("sev"),
    /** SEV-ES: SHA-256 of the firmware, the kernel-hashes table and the VMSAs. */
    SEV_ES("seves"),
    /** SEV-SNP launch digest (SHA-384 PAGE_INFO chain). */
    SNP("snp"),
    /** The SNP launch digest after the firmware pages alone (for {@code --snp-ovmf-hash}). */
    SNP_OVMF_HASH("snp:ovmf-hash"),
    /** SEV-SNP with a Coconut-SVSM image loaded below the firmware. */
    SNP_SVSM("snp:svsm");

    private final String cliName;

    GuestMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the mode builds VMSA pages and so needs a vCPU count. */
    public boolean hasVmsas() {
        return this == SEV_ES || this == SNP || this == SNP_SVSM;
    }

    public static Optional<GuestMode> fromCliName(String name) {
        return Arrays.stream(values()).filter(m -> m.cliName.equals(name)).findFirst();
    }

    public static String validNames() {
        return Arrays.stream(values()).map(GuestMode::cliName).collect(Collectors.joining(", "));
    }
}
