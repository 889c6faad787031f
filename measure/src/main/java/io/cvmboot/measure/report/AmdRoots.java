package io.cvmboot.measure.report;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The trust anchors of one product: the self-signed ARK, the ASK that signs VCEKs and the ASVK
 * that signs VLEKs (AMD VCEK spec 57230, "Certificate Chain").
 */
public record AmdRoots(SnpProduct product, X509Certificate ark, X509Certificate ask, X509Certificate asvk) {
    public AmdRoots {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(ark, "ark");
        Objects.requireNonNull(ask, "ask");
        Objects.requireNonNull(asvk, "asvk");
    }

    /** The intermediate that certifies keys of {@code kind}: the ASK for a VCEK, the ASVK for a VLEK. */
    public X509Certificate intermediateFor(SigningKey kind) {
        return kind == SigningKey.VLEK ? asvk : ask;
    }
}
