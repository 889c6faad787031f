package io.cvmboot.stage1.attest;

import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.tpm.AkTemplate;
import io.cvmboot.stage1.tpm.CreatedKey;
import io.cvmboot.stage1.tpm.NvAkTemplate;
import io.cvmboot.stage1.tpm.Tpm;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import io.cvmboot.stage1.tpm.TpmResponseException;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Creates the attestation key: from the first cloud AK template present in NV
 * ({@link CloudAkIndices#IN_PREFERENCE}), whose certificate is then checked to be over the created
 * key, or, when no cloud template exists, from stage1's own {@link AkTemplate}.
 *
 * <p>A cloud template that is present but unusable (not a restricted signing key, unparsable,
 * refused by TPM2_CreatePrimary) or a certificate that is not the AK's is an error naming the
 * index, never a fallback to the next template or to stage1's own: the attestation would then
 * claim a certified AK, or a verifier would mistake an uncertified one for it.
 */
final class AttestationKeys {
    private final Tpm tpm;
    private final NvIndexReader nv;
    private final Log log;

    AttestationKeys(Tpm tpm, NvIndexReader nv, Log log) {
        this.tpm = tpm;
        this.nv = nv;
        this.log = log;
    }

    AttestationKey create(AkTemplate own) throws IOException {
        for (CloudAkIndices indices : CloudAkIndices.IN_PREFERENCE) {
            Optional<byte[]> template = nv.readIfPresent(indices.templateIndex());
            if (template.isPresent()) {
                return fromCloudTemplate(indices, template.get());
            }
        }
        return new AttestationKey(tpm.createAttestationKey(own), AttestationKey.OWN_SOURCE, null);
    }

    private AttestationKey fromCloudTemplate(CloudAkIndices indices, byte[] nvData) throws IOException {
        NvAkTemplate template = NvAkTemplate.parse(indices.templateIndex(), nvData);
        // Read and trim the certificate before creating the key, so a broken index leaves nothing loaded.
        byte[] certificate = null;
        Optional<byte[]> certData = nv.readIfPresent(indices.certificateIndex());
        if (certData.isPresent()) {
            byte[] data = certData.get();
            certificate = Attestor.trimDer(data);
            if (certificate == null) {
                throw new IOException(indices.certificateName() + ": expected a DER certificate (a SEQUENCE whose "
                        + "length fits the " + data.length + "-byte index), found data that is not one");
            }
        }
        CreatedKey key;
        try {
            key = tpm.createPrimary(Tpm.TPM_RH_ENDORSEMENT, template.publicArea());
        } catch (TpmResponseException e) {
            throw new IOException(indices.templateName() + ": TPM2_CreatePrimary in the endorsement hierarchy refused "
                    + "the template: " + e.getMessage(), e);
        }
        try {
            if (certificate == null) {
                // Without a certificate the AK is as uncertified as stage1's own; ak.source says where it came
                // from and no ak.certificate is written, so a verifier asking for one refuses it.
                log.line(indices.templateName() + " used; " + indices.certificateName() + " is absent: no AK certificate");
            } else {
                X509Certificate cert = AkCertificates.requireKeyOf(indices, certificate,
                        TpmPublicKey.toJca(key.publicArea()));
                log.line(indices.templateName() + " used; " + indices.certificateName() + " matches the AK (subject "
                        + cert.getSubjectX500Principal().getName() + ", issuer "
                        + cert.getIssuerX500Principal().getName() + ")");
            }
        } catch (IOException | RuntimeException e) {
            flushAfterFailure(key, e);
            throw e;
        }
        return new AttestationKey(key, indices.source(), certificate);
    }

    private void flushAfterFailure(CreatedKey key, Exception cause) {
        try {
            tpm.flush(key.handle());
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
