package io.cvmboot.stage1.attest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes an {@link Attestation} as the version-1 JSON of {@code /tmp/stage1.attest}: hex for
 * digests and the nonce, base64 for binary TPM structures and certificates, banks in the order
 * sha1, sha256, sha384, sha512 and PCRs by number, so the same state gives the same bytes.
 */
public final class AttestationJson {
    public static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private AttestationJson() {}

    public static byte[] toJson(Attestation a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            HexFormat hex = HexFormat.of();
            Base64.Encoder b64 = Base64.getEncoder();
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("nonce", hex.formatHex(a.nonce()));
            g.writeObjectFieldStart("pcrs");
            Map<HashAlgorithm, SortedMap<Integer, Digest>> banks = new TreeMap<>(a.pcrs());
            for (var bank : banks.entrySet()) {
                g.writeObjectFieldStart(bank.getKey().label());
                for (var pcr : bank.getValue().entrySet()) {
                    g.writeStringField(Integer.toString(pcr.getKey()), pcr.getValue().hex());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("quote");
            g.writeStringField("bank", a.quoteBank().label());
            g.writeArrayFieldStart("pcrs");
            for (int i = a.quotedPcrs().nextSetBit(0); i >= 0; i = a.quotedPcrs().nextSetBit(i + 1)) {
                g.writeNumber(i);
            }
            g.writeEndArray();
            g.writeStringField("attest", b64.encodeToString(a.quote().attest()));
            g.writeStringField("signature", b64.encodeToString(a.quote().signature()));
            g.writeEndObject();
            g.writeObjectFieldStart("ak");
            g.writeStringField("public", b64.encodeToString(a.akPublic()));
            g.writeStringField("spki", b64.encodeToString(a.akSpki()));
            g.writeStringField("source", a.akSource());
            if (a.akCertificate() != null) {
                g.writeStringField("certificate", b64.encodeToString(a.akCertificate()));
            }
            g.writeEndObject();
            g.writeObjectFieldStart("ek");
            g.writeArrayFieldStart("certificates");
            for (byte[] cert : a.ekCertificates()) {
                g.writeString(b64.encodeToString(cert));
            }
            g.writeEndArray();
            g.writeEndObject();
            if (a.stage2() != null) {
                g.writeObjectFieldStart("stage2");
                g.writeStringField("url", a.stage2().url());
                g.writeStringField("sha256", a.stage2().sha256().hex());
                g.writeEndObject();
            }
            if (a.configSha256() != null) {
                g.writeObjectFieldStart("config");
                g.writeStringField("sha256", a.configSha256().hex());
                g.writeEndObject();
            }
            if (a.eventLog() != null) {
                g.writeStringField("eventlog", b64.encodeToString(a.eventLog()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
