package io.cvmboot.stage1.attest;

import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.tpm.AkPublicArea;
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
 * Finds or creates the attestation key, in this order: from the first cloud AK template present in
 * NV ({@link CloudAkIndices#IN_PREFERENCE}, GCE); the cloud's persistent AK
 * ({@link PersistentCloudAk#AZURE}); else from stage1's own {@link AkTemplate}. A cloud AK's
 * certificate, when provisioned, is checked to be over that key.
 *
 * <p>A cloud AK that is present but unusable (not a restricted signing key, unparsable, refused by
 * TPM2_CreatePrimary) or a certificate that is not the AK's is an error naming the index or handle,
 * never a fallback to the next source or to stage1's own: the attestation would then claim a
 * certified AK, or a verifier would mistake an uncertified one for it.
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
        if (tpm.hasPersistentObject(PersistentCloudAk.AZURE.handle())) {
            return fromPersistent(PersistentCloudAk.AZURE);
        }
        return new AttestationKey(tpm.createAttestationKey(own), AttestationKey.OWN_SOURCE, null, true);
    }

    private AttestationKey fromPersistent(PersistentCloudAk cloud) throws IOException {
        CreatedKey key = tpm.readPublic(cloud.handle());
        byte[] publicArea = key.publicArea();
        int length = AkPublicArea.check(cloud.keyName(), publicArea);
        if (length != publicArea.length) {
            throw new IOException(cloud.keyName() + ": TPM2_ReadPublic returned " + publicArea.length
                    + " bytes of public area, of which the TPMT_PUBLIC takes " + length);
        }
        byte[] certificate = readCertificate(cloud.certificateIndex(), cloud.certificateName());
        checkCertificate(cloud.keyName(), cloud.certificateName(), "the " + cloud.keyName(), certificate, key);
        return new AttestationKey(key, cloud.source(), certificate, false);
    }

    private AttestationKey fromCloudTemplate(CloudAkIndices indices, byte[] nvData) throws IOException {
        NvAkTemplate template = NvAkTemplate.parse(indices.templateIndex(), nvData);
        // Read and trim the certificate before creating the key, so a broken index leaves nothing loaded.
        byte[] certificate = readCertificate(indices.certificateIndex(), indices.certificateName());
        CreatedKey key;
        try {
            key = tpm.createPrimary(Tpm.TPM_RH_ENDORSEMENT, template.publicArea());
        } catch (TpmResponseException e) {
            throw new IOException(indices.templateName() + ": TPM2_CreatePrimary in the endorsement hierarchy refused "
                    + "the template: " + e.getMessage(), e);
        }
        try {
            checkCertificate(indices.templateName(), indices.certificateName(),
                    "the AK created from the " + indices.templateName(), certificate, key);
        } catch (IOException | RuntimeException e) {
            flushAfterFailure(key, e);
            throw e;
        }
        return new AttestationKey(key, indices.source(), certificate, true);
    }

    /** The DER certificate at {@code index}, trimmed to its length; null when the index is absent. */
    private byte[] readCertificate(int index, String certificateName) throws IOException {
        Optional<byte[]> certData = nv.readIfPresent(index);
        if (certData.isEmpty()) {
            return null;
        }
        byte[] data = certData.get();
        byte[] certificate = Attestor.trimDer(data);
        if (certificate == null) {
            throw new IOException(certificateName + ": expected a DER certificate (a SEQUENCE whose "
                    + "length fits the " + data.length + "-byte index), found data that is not one");
        }
        return certificate;
    }

    /** Checks that {@code certificate}, when present, certifies {@code key}; logs which AK is used and how. */
    private void checkCertificate(String keyName, String certificateName, String akName, byte[] certificate,
            CreatedKey key) throws IOException {
        if (certificate == null) {
            // Without a certificate the AK is as uncertified as stage1's own; ak.source says where it came
            // from and no ak.certificate is written, so a verifier asking for one refuses it.
            log.line(keyName + " used; " + certificateName + " is absent: no AK certificate");
            return;
        }
        X509Certificate cert = AkCertificates.requireKeyOf(certificateName, akName, certificate,
                TpmPublicKey.toJca(key.publicArea()));
        log.line(keyName + " used; " + certificateName + " matches the AK (subject "
                + cert.getSubjectX500Principal().getName() + ", issuer "
                + cert.getIssuerX500Principal().getName() + ")");
    }

    private void flushAfterFailure(CreatedKey key, Exception cause) {
        try {
            tpm.flush(key.handle());
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
