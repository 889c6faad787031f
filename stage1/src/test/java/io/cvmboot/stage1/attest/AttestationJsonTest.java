package io.cvmboot.stage1.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.tpm.QuoteResult;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AttestationJsonTest {

    @Test
    void toJson_fieldsOfTheVersion1Format_banksAndPcrsInOrder() {
        TreeMap<Integer, Digest> sha256 = new TreeMap<>();
        sha256.put(10, Digest.compute(HashAlgorithm.SHA256, new byte[] {10}));
        sha256.put(2, Digest.compute(HashAlgorithm.SHA256, new byte[] {2}));
        TreeMap<Integer, Digest> sha1 = new TreeMap<>();
        sha1.put(0, Digest.compute(HashAlgorithm.SHA1, new byte[0]));
        BitSet quoted = new BitSet();
        quoted.set(0, 16);
        Attestation a = new Attestation(new byte[] {1, 2}, Map.of(HashAlgorithm.SHA256, sha256, HashAlgorithm.SHA1, sha1),
                HashAlgorithm.SHA256, quoted, new QuoteResult(new byte[] {3}, new byte[] {4}), new byte[] {5}, new byte[] {6},
                List.of(new byte[] {7}), new Attestation.Stage2Info("http://h/s2", Digest.compute(HashAlgorithm.SHA256, new byte[0])),
                Digest.compute(HashAlgorithm.SHA256, new byte[] {9}), null);
        String json = new String(AttestationJson.toJson(a), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\n  \"version\" : 1,\n  \"nonce\" : \"0102\","), json);
        assertTrue(json.indexOf("\"sha1\"") < json.indexOf("\"sha256\""), "banks in algorithm order");
        assertTrue(json.indexOf("\"2\" :") < json.indexOf("\"10\" :"), "PCRs by number, not as text");
        assertTrue(json.contains("\"pcrs\" : [ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 ]"), json);
        assertTrue(json.contains("\"attest\" : \"Aw==\"") && json.contains("\"signature\" : \"BA==\""), json);
        assertTrue(json.contains("\"certificates\" : [ \"Bw==\" ]"), json);
        assertTrue(json.contains("\"url\" : \"http://h/s2\""), json);
        assertTrue(!json.contains("eventlog"), "absent event log is left out, not null");
        assertTrue(json.contains("\"source\" : \"cvmboot\""), "stage1's own AK: " + json);
        assertTrue(!json.contains("\"certificate\""), "no AK certificate without a cloud template: " + json);
    }

    @Test
    void toJson_cloudAk_sourceAndCertificateInTheAkObject() {
        BitSet quoted = new BitSet();
        quoted.set(0, 16);
        Attestation a = new Attestation(new byte[] {1}, Map.of(), HashAlgorithm.SHA256, quoted,
                new QuoteResult(new byte[] {3}, new byte[] {4}), new byte[] {5}, new byte[] {6}, "nv-template 0x01C10003",
                new byte[] {0x30, 0}, List.of(), null, null, null);
        String json = new String(AttestationJson.toJson(a), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"ak\" : {\n    \"public\" : \"BQ==\",\n    \"spki\" : \"Bg==\",\n"
                + "    \"source\" : \"nv-template 0x01C10003\",\n    \"certificate\" : \"MAA=\"\n  }"), json);
    }

    @Test
    void trimDer_cutsNvPaddingAndRejectsNonDer() {
        byte[] cert = {0x30, (byte) 0x82, 0x00, 0x03, 1, 2, 3};
        byte[] padded = new byte[20];
        System.arraycopy(cert, 0, padded, 0, cert.length);
        assertArrayEquals(cert, Attestor.trimDer(padded));
        assertNull(Attestor.trimDer(new byte[] {(byte) 0xFF, 0, 0, 0}));
        assertNull(Attestor.trimDer(new byte[] {0x30, (byte) 0x82, 0x10, 0x00}), "length beyond the data");
        assertEquals(2, Attestor.trimDer(new byte[] {0x30, 0x00, 9, 9}).length);
    }
}
