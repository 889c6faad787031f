package io.cvmboot.measure.report;

import io.cvmboot.measure.MeasureException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** Common names of the AMD certificates ("ARK-Milan", "SEV-Milan", "SEV-VLEK-Milan", "SEV-VCEK"). */
final class CertificateNames {
    private CertificateNames() {}

    static String subjectCn(X509Certificate cert) throws MeasureException {
        return cn(cert.getSubjectX500Principal());
    }

    static String issuerCn(X509Certificate cert) throws MeasureException {
        return cn(cert.getIssuerX500Principal());
    }

    /** The product an intermediate's or leaf issuer's CN names: "SEV-Genoa" and "SEV-VLEK-Genoa" give Genoa. */
    static Optional<SnpProduct> productOfIntermediate(String cn) {
        for (SnpProduct p : SnpProduct.values()) {
            if (cn.equals("SEV-" + p.kdsName()) || cn.equals("SEV-VLEK-" + p.kdsName())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String cn(X500Principal principal) throws MeasureException {
        try {
            for (Rdn rdn : new LdapName(principal.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            throw new MeasureException("certificate name '" + principal + "' cannot be parsed", e);
        }
        throw new MeasureException("certificate name '" + principal + "' has no common name (CN)");
    }
}
