package io.cvmboot.builder.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvmboot.builder.cli.UserInputException;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.quote.PcrSelection;
import io.cvmboot.measure.quote.QuoteEvidence;
import io.cvmboot.measure.report.X509Certificates;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the stage1 attestation file ({@code /tmp/stage1.attest}, JSON, version 1; format in
 * docs/verify.md) into {@link QuoteEvidence} and the AK's origin. Only the structure is checked
 * here; whether the content is authentic is the verifier's job.
 */
public final class Stage1AttestationFile {
    private Stage1AttestationFile() {}

    /** The quote evidence only (callers that do not look at the AK certificate). */
    public static QuoteEvidence parse(String name, byte[] bytes) throws UserInputException {
        return read(name, bytes).evidence();
    }

    /**
     * @throws UserInputException naming the file and field for malformed JSON, a missing field, bad
     *     hex or base64, or an {@code ak.certificate} that is not a DER X.509 certificate
     */
    public static Stage1Attestation read(String name, byte[] bytes) throws UserInputException {
        JsonFields f = new JsonFields(name);
        JsonNode root = f.parse(bytes);
        int version = f.integer(root, "", "version");
        if (version != 1) {
            throw new UserInputException(name + ": expected version 1, found " + version);
        }
        byte[] nonce = f.hex(root, "", "nonce");
        var pcrs = PcrJson.read(f, f.object(root, "", "pcrs"), "pcrs.");
        JsonNode quote = f.object(root, "", "quote");
        HashAlgorithm bank;
        try {
            bank = HashAlgorithm.fromLabel(f.text(quote, "quote.", "bank"));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(name + ": quote.bank: " + e.getMessage(), e);
        }
        JsonNode list = quote.get("pcrs");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new UserInputException(name + ": expected a non-empty array of PCR indices at quote.pcrs, found "
                    + JsonFields.describe(list));
        }
        List<Integer> selected = new ArrayList<>();
        for (JsonNode n : list) {
            if (!n.isInt() || n.asInt() < 0 || n.asInt() > 23) {
                throw new UserInputException(name + ": expected PCR indices 0..23 in quote.pcrs, found "
                        + JsonFields.describe(n));
            }
            selected.add(n.asInt());
        }
        byte[] attest = f.base64(quote, "quote.", "attest");
        byte[] signature = f.base64(quote, "quote.", "signature");
        JsonNode ak = f.object(root, "", "ak");
        byte[] akPublic = f.base64(ak, "ak.", "public");
        Optional<byte[]> spki = ak.has("spki") ? Optional.of(f.base64(ak, "ak.", "spki")) : Optional.empty();
        Optional<byte[]> eventLog = root.has("eventlog") ? Optional.of(f.base64(root, "", "eventlog")) : Optional.empty();
        Optional<Digest> stage2 = root.has("stage2")
                ? Optional.of(sha256(f, f.object(root, "", "stage2"), "stage2.")) : Optional.empty();
        Optional<Digest> config = root.has("config")
                ? Optional.of(sha256(f, f.object(root, "", "config"), "config.")) : Optional.empty();
        Optional<String> akSource = ak.has("source") ? Optional.of(f.text(ak, "ak.", "source")) : Optional.empty();
        Optional<X509Certificate> akCertificate = Optional.empty();
        if (ak.has("certificate")) {
            byte[] der = f.base64(ak, "ak.", "certificate");
            X509Certificate cert;
            try {
                cert = X509Certificates.parse(name + ": ak.certificate", der);
                // The JDK reads one certificate and ignores what follows; stage1 writes exactly the DER.
                if (!java.util.Arrays.equals(cert.getEncoded(), der)) {
                    throw new UserInputException(name + ": expected exactly one DER certificate at ak.certificate, found "
                            + der.length + " bytes of which the certificate is " + cert.getEncoded().length);
                }
            } catch (MeasureException e) {
                throw new UserInputException(e.getMessage(), e);
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new UserInputException(name + ": ak.certificate cannot be re-encoded: " + e.getMessage(), e);
            }
            akCertificate = Optional.of(cert);
        }
        QuoteEvidence evidence = new QuoteEvidence(nonce, pcrs, new PcrSelection(bank, selected), attest, signature,
                akPublic, spki, eventLog, stage2, config);
        return new Stage1Attestation(evidence, akSource, akCertificate);
    }

    private static Digest sha256(JsonFields f, JsonNode node, String path) throws UserInputException {
        byte[] d = f.hex(node, path, "sha256");
        if (d.length != 32) {
            throw new UserInputException(f.file() + ": expected 32 bytes at " + path + "sha256, found " + d.length);
        }
        return Digest.of(HashAlgorithm.SHA256, d);
    }
}
