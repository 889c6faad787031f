package io.cvmboot.measure.snp;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hypervisor whose initial vCPU register state goes into the VMSA pages. Names are spelled
 * exactly as sev-snp-measure's {@code --vmm-type} accepts them.
 */
public enum VmmType {
    QEMU("QEMU"),
    EC2("ec2"),
    GCE("gce");

    private final String cliName;

    VmmType(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Case-sensitive, like the reference CLI. */
    public static Optional<VmmType> fromCliName(String name) {
        return Arrays.stream(values()).filter(v -> v.cliName.equals(name)).findFirst();
    }

    public static String validNames() {
        return Arrays.stream(values()).map(VmmType::cliName).collect(Collectors.joining(", "));
    }
}
