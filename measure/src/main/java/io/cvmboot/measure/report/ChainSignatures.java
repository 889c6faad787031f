package io.cvmboot.measure.report;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;

/**
 * Checks one link of the AMD chain. Every AMD certificate (ARK self-signature, ASK/ASVK, VCEK/VLEK)
 * is signed with RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48, trailer 1 (AMD VCEK spec 57230,
 * "Certificate Signing"); anything else is refused rather than verified with whatever the
 * certificate names.
 */
final class ChainSignatures {
    /** RSASSA-PSS parameters AMD uses for every certificate. */
    static final PSSParameterSpec AMD_PSS = new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);

    private ChainSignatures() {}

    /** Empty when {@code cert} is signed by {@code issuerKey} with AMD's PSS parameters; else why not. */
    static Optional<String> problem(X509Certificate cert, PublicKey issuerKey) {
        if (!"RSASSA-PSS".equals(cert.getSigAlgName())) {
            return Optional.of("signature algorithm is " + cert.getSigAlgName() + ", expected RSASSA-PSS");
        }
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("RSASSA-PSS");
            params.init(cert.getSigAlgParams());
            PSSParameterSpec spec = params.getParameterSpec(PSSParameterSpec.class);
            if (!spec.getDigestAlgorithm().equals("SHA-384") || spec.getSaltLength() != 48
                    || !(spec.getMGFParameters() instanceof MGF1ParameterSpec mgf)
                    || !mgf.getDigestAlgorithm().equals("SHA-384")) {
                return Optional.of("PSS parameters are " + spec.getDigestAlgorithm() + "/salt " + spec.getSaltLength()
                        + ", expected SHA-384, MGF1-SHA-384, salt 48");
            }
            Signature verifier = Signature.getInstance("RSASSA-PSS");
            verifier.setParameter(AMD_PSS);
            verifier.initVerify(issuerKey);
            verifier.update(cert.getTBSCertificate());
            if (!verifier.verify(cert.getSignature())) {
                return Optional.of("RSASSA-PSS signature does not verify");
            }
            return Optional.empty();
        } catch (GeneralSecurityException | java.io.IOException e) {
            return Optional.of("signature cannot be checked: " + e.getMessage());
        }
    }
}
