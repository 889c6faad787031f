package io.cvmboot.measure.report;

import io.cvmboot.measure.MeasureException;
import java.util.Locale;
import java.util.Optional;

/**
 * The AMD EPYC generations whose SEV-SNP firmware signs reports. The product decides which AMD
 * root certificates apply and how the 8-byte TCB_VERSION is laid out.
 */
public enum SnpProduct {
    MILAN("Milan"),
    GENOA("Genoa"),
    TURIN("Turin");

    private final String kdsName;

    SnpProduct(String kdsName) {
        this.kdsName = kdsName;
    }

    /** The name used by the AMD Key Distribution Service in URLs and certificate names ("Milan"). */
    public String kdsName() {
        return kdsName;
    }

    /** Whether TCB_VERSION carries an FMC field and the Turin byte order (AMD SEV-SNP ABI 56860, TCB_VERSION). */
    public boolean hasFmcTcbLayout() {
        return this == TURIN;
    }

    /**
     * The product named by the report's CPUID fields (report version 3 and later). Family 0x19
     * models 0x00-0x0F are Milan, 0x10-0x1F and 0xA0-0xAF Genoa; family 0x1A models 0x00-0x11
     * Turin (AMD Processor Programming References; same table in virtee/sev and trustee).
     */
    public static Optional<SnpProduct> fromCpuid(int family, int model) {
        if (family == 0x19 && model <= 0x0F) {
            return Optional.of(MILAN);
        }
        if (family == 0x19 && (model >= 0x10 && model <= 0x1F || model >= 0xA0 && model <= 0xAF)) {
            return Optional.of(GENOA);
        }
        if (family == 0x1A && model <= 0x11) {
            return Optional.of(TURIN);
        }
        return Optional.empty();
    }

    /**
     * Parses a product name as written on command lines, in KDS URLs and in the VCEK productName
     * extension, where a stepping may follow a dash ("Milan-B0").
     */
    public static SnpProduct fromName(String name) throws MeasureException {
        String base = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
        for (SnpProduct p : values()) {
            if (p.kdsName.toLowerCase(Locale.ROOT).equals(base.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new MeasureException("product name: expected Milan, Genoa or Turin (optionally with a stepping, e.g. "
                + "Milan-B0), found '" + name + "'");
    }
}
