package io.cvmboot.measure.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.tpm.PcrValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Loads the swtpm fixtures of src/test/resources/quote (made by generate.sh there). */
final class QuoteFixtures {
    private QuoteFixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = QuoteFixtures.class.getResourceAsStream("/quote/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource /quote/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The evidence of {@code <kind>-stage1.attest} (kind: ecc, rsa or boot-ecc). */
    static QuoteEvidence evidence(String kind) {
        JsonNode a = json(kind + "-stage1.attest");
        Base64.Decoder b64 = Base64.getDecoder();
        List<Integer> pcrs = new ArrayList<>();
        a.get("quote").get("pcrs").forEach(n -> pcrs.add(n.asInt()));
        return new QuoteEvidence(HexFormat.of().parseHex(a.get("nonce").asText()), pcrs(a.get("pcrs")),
                new PcrSelection(HashAlgorithm.fromLabel(a.get("quote").get("bank").asText()), pcrs),
                b64.decode(a.get("quote").get("attest").asText()), b64.decode(a.get("quote").get("signature").asText()),
                b64.decode(a.get("ak").get("public").asText()), Optional.of(b64.decode(a.get("ak").get("spki").asText())),
                Optional.of(b64.decode(a.get("eventlog").asText())),
                Optional.of(Digest.ofHex(HashAlgorithm.SHA256, a.get("stage2").get("sha256").asText())),
                Optional.of(Digest.ofHex(HashAlgorithm.SHA256, a.get("config").get("sha256").asText())));
    }

    /** The prediction of expected-measurement.json (computed by make_attestation.py from the data). */
    static PcrValues expected() {
        return expected("expected-measurement.json");
    }

    static PcrValues expected(String file) {
        return pcrs(json(file).get("tpm"));
    }

    static PcrValues pcrs(JsonNode banks) {
        Map<HashAlgorithm, SortedMap<Integer, Digest>> out = new EnumMap<>(HashAlgorithm.class);
        banks.properties().forEach(bank -> {
            HashAlgorithm alg = HashAlgorithm.fromLabel(bank.getKey());
            SortedMap<Integer, Digest> values = new TreeMap<>();
            bank.getValue().properties().forEach(p -> values.put(Integer.parseInt(p.getKey()),
                    Digest.ofHex(alg, p.getValue().asText())));
            out.put(alg, values);
        });
        return new PcrValues(out);
    }

    /** {@code pcrs} with one value replaced. */
    static PcrValues replace(PcrValues pcrs, HashAlgorithm bank, int pcr, Digest value) {
        Map<HashAlgorithm, SortedMap<Integer, Digest>> copy = new EnumMap<>(HashAlgorithm.class);
        pcrs.values().forEach((b, v) -> copy.put(b, new TreeMap<>(v)));
        copy.get(bank).put(pcr, value);
        return new PcrValues(copy);
    }
}
