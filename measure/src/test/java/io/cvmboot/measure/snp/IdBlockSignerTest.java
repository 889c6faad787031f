package io.cvmboot.measure.snp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * ID block and ID auth against snp-create-id-block (sev-snp-measure v0.0.13, vectors.json
 * "idBlocks"): the deterministic fields byte for byte, the reference's randomised signatures
 * verified by our verifier, and our signatures verified with tampered bad variants.
 */
class IdBlockSignerTest {
    private static final JsonNode DOC = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(SnpTestFiles.resource("vectors.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static KeyPair key(String name) throws MeasureException {
        return EcKeys.parsePrivatePem(name, SnpTestFiles.resource(name));
    }

    private static Digest measurementOf(JsonNode v) {
        byte[] ld = Base64.getDecoder().decode(v.get("argv").get(3).asText());
        return Digest.of(HashAlgorithm.SHA384, ld);
    }

    @Test
    void idBlockAndKeyDigests_matchReference() throws Exception {
        for (JsonNode v : DOC.get("idBlocks")) {
            KeyPair id = key(v.get("argv").get(5).asText());
            KeyPair author = key(v.get("argv").get(7).asText());
            IdBlock block = IdBlock.withDefaults(measurementOf(v));
            assertEquals(v.get("idBlock").asText(), Base64.getEncoder().encodeToString(block.toBytes()), v.get("name").asText());
            IdAuth ours = IdBlockSigner.sign(block, id, author);
            assertEquals(v.get("idKeyHash").asText(), Base64.getEncoder().encodeToString(ours.idKey().digest().bytes()));
            assertEquals(v.get("authorKeyHash").asText(), Base64.getEncoder().encodeToString(ours.authorKey().digest().bytes()));
        }
    }

    @Test
    void referenceIdAuth_parsesAndVerifies_andItsDeterministicFieldsMatchOurs() throws Exception {
        for (JsonNode v : DOC.get("idBlocks")) {
            byte[] refAuth = Base64.getDecoder().decode(v.get("idAuth").asText());
            IdBlock block = IdBlock.parse("reference id-block", Base64.getDecoder().decode(v.get("idBlock").asText()));
            IdAuth parsed = IdAuth.parse("reference id-auth", refAuth);
            assertDoesNotThrow(() -> IdBlockSigner.verify(block, parsed));
            IdAuth ours = IdBlockSigner.sign(block, key(v.get("argv").get(5).asText()), key(v.get("argv").get(7).asText()));
            byte[] mine = ours.toBytes();
            // Everything but the two signature fields is deterministic.
            assertArrayEquals(Arrays.copyOfRange(refAuth, 0, IdAuth.OFF_ID_BLOCK_SIG), Arrays.copyOfRange(mine, 0, IdAuth.OFF_ID_BLOCK_SIG));
            assertArrayEquals(Arrays.copyOfRange(refAuth, IdAuth.OFF_ID_KEY, IdAuth.OFF_ID_KEY_SIG),
                    Arrays.copyOfRange(mine, IdAuth.OFF_ID_KEY, IdAuth.OFF_ID_KEY_SIG));
            assertArrayEquals(Arrays.copyOfRange(refAuth, IdAuth.OFF_AUTHOR_KEY, IdAuth.LENGTH),
                    Arrays.copyOfRange(mine, IdAuth.OFF_AUTHOR_KEY, IdAuth.LENGTH));
            assertEquals(block, IdBlock.parse("ours", block.toBytes()));
        }
    }

    @Test
    void ourSignatures_verify_andRoundTripThroughBytes() throws Exception {
        IdBlock block = IdBlock.withDefaults(Digest.compute(HashAlgorithm.SHA384, new byte[] {1}));
        IdAuth auth = IdBlockSigner.sign(block, key("id-key.sec1.pem"), key("author-key.pkcs8.pem"));
        IdAuth reparsed = IdAuth.parse("ours", auth.toBytes());
        assertDoesNotThrow(() -> IdBlockSigner.verify(block, reparsed));
        assertArrayEquals(auth.toBytes(), reparsed.toBytes());
    }

    @Test
    void verify_failsForAnotherLaunchDigest() throws Exception {
        IdBlock block = IdBlock.withDefaults(Digest.compute(HashAlgorithm.SHA384, new byte[] {1}));
        IdAuth auth = IdBlockSigner.sign(block, key("id-key.sec1.pem"), key("author-key.pkcs8.pem"));
        IdBlock other = IdBlock.withDefaults(Digest.compute(HashAlgorithm.SHA384, new byte[] {2}));
        MeasureException e = assertThrows(MeasureException.class, () -> IdBlockSigner.verify(other, auth));
        assertTrue(e.getMessage().startsWith("ID_BLOCK_SIG does not verify"), e.getMessage());
    }

    @Test
    void verify_failsWhenTheAuthorKeyIsSwapped() throws Exception {
        IdBlock block = IdBlock.withDefaults(Digest.compute(HashAlgorithm.SHA384, new byte[] {1}));
        IdAuth auth = IdBlockSigner.sign(block, key("id-key.sec1.pem"), key("author-key.pkcs8.pem"));
        IdAuth swapped = new IdAuth(auth.idBlockSignature(), auth.idKey(), auth.idKeySignature(), auth.idKey());
        MeasureException e = assertThrows(MeasureException.class, () -> IdBlockSigner.verify(block, swapped));
        assertTrue(e.getMessage().startsWith("ID_KEY_SIG does not verify"), e.getMessage());
    }

    @Test
    void p256Key_isRejectedNamingTheFile() {
        MeasureException e = assertThrows(MeasureException.class, () -> key("p256-key.pkcs8.pem"));
        assertEquals("p256-key.pkcs8.pem: SNP only supports EC curve P-384 (OID 1.3.132.0.34), found curve OID 1.2.840.10045.3.1.7",
                e.getMessage());
    }

    @Test
    void rsaKey_isRejectedNamingTheFile() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        MeasureException e = assertThrows(MeasureException.class,
                () -> EcKeys.parsePrivatePem("rsa.pem", pem.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("rsa.pem: expected an EC private key"), e.getMessage());
        assertTrue(e.getMessage().contains("(RSA)"), e.getMessage());
    }

    @Test
    void notPem_isRejectedNamingTheFile() {
        MeasureException e = assertThrows(MeasureException.class,
                () -> EcKeys.parsePrivatePem("key.txt", "hello".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("key.txt: expected a PEM"), e.getMessage());
    }
}
