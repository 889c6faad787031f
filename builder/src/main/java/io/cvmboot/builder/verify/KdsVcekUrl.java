package io.cvmboot.builder.verify;

import io.cvmboot.measure.report.SnpProduct;
import io.cvmboot.measure.report.TcbVersion;
import java.net.URI;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The AMD Key Distribution Service address of a VCEK (AMD VCEK spec 57230, "VCEK Certificate
 * Retrieval"): {@code /vcek/v1/{product}/{hwid}?blSPL=..&teeSPL=..&snpSPL=..&ucodeSPL=..}, where
 * hwid is the report's CHIP_ID in hex (its first 8 bytes on Turin, which also takes fmcSPL) and the
 * SPLs are REPORTED_TCB's components: the TCB the firmware derived the signing key from.
 */
public final class KdsVcekUrl {
    /** AMD's public KDS. */
    public static final URI AMD_KDS = URI.create("https://kdsintf.amd.com");
    private static final int TURIN_HW_ID_LENGTH = 8;

    private KdsVcekUrl() {}

    public static URI of(URI base, SnpProduct product, byte[] chipId, TcbVersion reportedTcb) {
        String query = "blSPL=" + reportedTcb.bootLoader() + "&teeSPL=" + reportedTcb.tee() + "&snpSPL="
                + reportedTcb.snp() + "&ucodeSPL=" + reportedTcb.microcode()
                + (product.hasFmcTcbLayout() ? "&fmcSPL=" + reportedTcb.fmc() : "");
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        return URI.create(root + "/vcek/v1/" + product.kdsName() + "/" + hwId(product, chipId) + "?" + query);
    }

    /** The hwid path element: CHIP_ID as lower-case hex, truncated to 8 bytes on Turin. */
    public static String hwId(SnpProduct product, byte[] chipId) {
        byte[] id = product == SnpProduct.TURIN ? Arrays.copyOf(chipId, TURIN_HW_ID_LENGTH) : chipId;
        return HexFormat.of().formatHex(id);
    }
}
