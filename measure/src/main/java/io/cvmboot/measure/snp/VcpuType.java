package io.cvmboot.measure.snp;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * QEMU CPU model names and their family/model/stepping (QEMU target/i386/cpu.c,
 * builtin_x86_defs), the names sev-snp-measure's {@code --vcpu-type} accepts (case-sensitive).
 */
public enum VcpuType {
    EPYC("EPYC", 23, 1, 2),
    EPYC_V1("EPYC-v1", 23, 1, 2),
    EPYC_V2("EPYC-v2", 23, 1, 2),
    EPYC_IBPB("EPYC-IBPB", 23, 1, 2),
    EPYC_V3("EPYC-v3", 23, 1, 2),
    EPYC_V4("EPYC-v4", 23, 1, 2),
    EPYC_ROME("EPYC-Rome", 23, 49, 0),
    EPYC_ROME_V1("EPYC-Rome-v1", 23, 49, 0),
    EPYC_ROME_V2("EPYC-Rome-v2", 23, 49, 0),
    EPYC_ROME_V3("EPYC-Rome-v3", 23, 49, 0),
    EPYC_MILAN("EPYC-Milan", 25, 1, 1),
    EPYC_MILAN_V1("EPYC-Milan-v1", 25, 1, 1),
    EPYC_MILAN_V2("EPYC-Milan-v2", 25, 1, 1),
    EPYC_GENOA("EPYC-Genoa", 25, 17, 0),
    EPYC_GENOA_V1("EPYC-Genoa-v1", 25, 17, 0),
    EPYC_TURIN("EPYC-Turin", 26, 0, 0);

    private final String qemuName;
    private final int family;
    private final int model;
    private final int stepping;

    VcpuType(String qemuName, int family, int model, int stepping) {
        this.qemuName = qemuName;
        this.family = family;
        this.model = model;
        this.stepping = stepping;
    }

    public String qemuName() {
        return qemuName;
    }

    public VcpuSignature signature() {
        return VcpuSignature.of(family, model, stepping);
    }

    public static Optional<VcpuType> fromQemuName(String name) {
        return Arrays.stream(values()).filter(t -> t.qemuName.equals(name)).findFirst();
    }

    public static String validNames() {
        return Arrays.stream(values()).map(VcpuType::qemuName).collect(Collectors.joining(", "));
    }
}
