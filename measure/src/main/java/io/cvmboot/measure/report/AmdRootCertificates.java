package io.cvmboot.measure.report;

import io.cvmboot.measure.MeasureException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AMD root certificates a report chain must end in. {@link #embedded()} loads the ARK, ASK
 * and ASVK of Milan, Genoa and Turin shipped in this module and refuses any whose SHA-256
 * fingerprint differs from the pin below, so a swapped resource cannot widen the trust.
 */
public final class AmdRootCertificates {
    /**
     * SHA-256 fingerprints of the DER certificates served by AMD KDS at
     * https://kdsintf.amd.com/vcek/v1/{product}/cert_chain and .../vlek/v1/{product}/cert_chain
     * (identical bytes in go-sev-guest verify/trust, virtee/sev builtin and trustee).
     */
    private static final Map<String, String> PINNED = Map.of(
            "ark-milan", "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd",
            "ask-milan", "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b",
            "asvk-milan", "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5",
            "ark-genoa", "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",
            "ask-genoa", "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521",
            "asvk-genoa", "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372",
            "ark-turin", "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a",
            "ask-turin", "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185",
            "asvk-turin", "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c");

    private static final AmdRootCertificates EMBEDDED = loadEmbedded();

    private final Map<SnpProduct, AmdRoots> roots;

    private AmdRootCertificates(Map<SnpProduct, AmdRoots> roots) {
        this.roots = Map.copyOf(roots);
    }

    /** AMD's roots for Milan, Genoa and Turin, checked against the pinned fingerprints. */
    public static AmdRootCertificates embedded() {
        return EMBEDDED;
    }

    /** Other trust anchors, e.g. a test hierarchy; the caller vouches for them. */
    public static AmdRootCertificates of(List<AmdRoots> roots) {
        Map<SnpProduct, AmdRoots> map = new EnumMap<>(SnpProduct.class);
        for (AmdRoots r : roots) {
            map.put(r.product(), r);
        }
        return new AmdRootCertificates(map);
    }

    public Optional<AmdRoots> forProduct(SnpProduct product) {
        return Optional.ofNullable(roots.get(product));
    }

    private static AmdRootCertificates loadEmbedded() {
        Map<SnpProduct, AmdRoots> map = new EnumMap<>(SnpProduct.class);
        for (SnpProduct p : SnpProduct.values()) {
            String suffix = p.kdsName().toLowerCase(java.util.Locale.ROOT);
            map.put(p, new AmdRoots(p, pinned("ark-" + suffix), pinned("ask-" + suffix), pinned("asvk-" + suffix)));
        }
        return new AmdRootCertificates(map);
    }

    private static X509Certificate pinned(String name) {
        String resource = "amd/" + name + ".pem";
        try (InputStream in = AmdRootCertificates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("embedded AMD root " + resource + " is missing from the measure jar");
            }
            X509Certificate cert = X509Certificates.parse(resource, in.readAllBytes());
            String actual = X509Certificates.sha256Fingerprint(cert);
            if (!actual.equals(PINNED.get(name))) {
                // Fail closed: a root that is not the pinned one must never become a trust anchor.
                throw new IllegalStateException("embedded AMD root " + resource + ": expected SHA-256 fingerprint "
                        + PINNED.get(name) + ", found " + actual);
            }
            return cert;
        } catch (IOException e) {
            throw new UncheckedIOException("reading embedded AMD root " + resource, e);
        } catch (MeasureException e) {
            throw new IllegalStateException("embedded AMD root " + resource + " does not parse", e);
        }
    }
}
