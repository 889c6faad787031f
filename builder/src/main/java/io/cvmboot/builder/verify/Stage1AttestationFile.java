package io.cvmboot.builder.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvmboot.builder.cli.UserInputException;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.quote.PcrSelection;
import io.cvmboot.measure.quote.QuoteEvidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the stage1 attestation file ({@code /tmp/stage1.attest}, JSON, version 1; format in
 * docs/verify.md) into {@link QuoteEvidence}. Only the structure is checked here; whether the
 * content is authentic is the verifier's job.
 */
public final class Stage1AttestationFile {
    private Stage1AttestationFile() {}

    public static QuoteEvidence parse(String name, byte[] bytes) throws UserInputException {
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
        return new QuoteEvidence(nonce, pcrs, new PcrSelection(bank, selected), attest, signature, akPublic, spki,
                eventLog, stage2, config);
    }

    private static Digest sha256(JsonFields f, JsonNode node, String path) throws UserInputException {
        byte[] d = f.hex(node, path, "sha256");
        if (d.length != 32) {
            throw new UserInputException(f.file() + ": expected 32 bytes at " + path + "sha256, found " + d.length);
        }
        return Digest.of(HashAlgorithm.SHA256, d);
    }
}
