package io.cvmboot.measure.quote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.util.HexFormat;
import java.util.List;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TpmsAttestTest {
    @Test
    void parse_swtpmQuote() throws Exception {
        TpmsAttest a = TpmsAttest.parse("ecc-attest.bin", QuoteFixtures.bytes("ecc-attest.bin"));
        assertEquals(TpmsAttest.TPM_GENERATED_VALUE, a.magic());
        assertEquals(TpmsAttest.TPM_ST_ATTEST_QUOTE, a.type());
        // tpm2_quote -q: the qualifying data is the nonce (generate.sh).
        assertArrayEquals(HexFormat.of().parseHex(new String(QuoteFixtures.bytes("ecc-nonce.hex"),
                java.nio.charset.StandardCharsets.US_ASCII).strip()), a.extraData());
        assertEquals(List.of(new PcrSelection(HashAlgorithm.SHA256, IntStream.range(0, 16).boxed().toList())),
                a.pcrSelect());
        assertEquals(32, a.pcrDigest().length);
        // qualifiedSigner is a TPM2B_NAME with a SHA-256 name algorithm: 2 + 32 bytes.
        assertEquals(34, a.qualifiedSigner().length);
    }

    @Test
    void parse_trailingBytesRejected() {
        byte[] b = QuoteFixtures.bytes("ecc-attest.bin");
        byte[] longer = java.util.Arrays.copyOf(b, b.length + 1);
        MeasureException e = assertThrows(MeasureException.class, () -> TpmsAttest.parse("x", longer));
        assertTrue(e.getMessage().contains("TPMS_ATTEST ends at byte " + b.length));
    }

    @Test
    void parse_truncatedNamesTheField() {
        byte[] b = java.util.Arrays.copyOf(QuoteFixtures.bytes("rsa-attest.bin"), 20);
        MeasureException e = assertThrows(MeasureException.class, () -> TpmsAttest.parse("short", b));
        assertTrue(e.getMessage().startsWith("short: expected"), e.getMessage());
    }

    @Test
    void tpmtPublic_nameMatchesQualifiedSignerLength() throws Exception {
        for (String kind : new String[] {"ecc", "rsa"}) {
            byte[] tpm2b = QuoteFixtures.bytes(kind + "-ak.pub");
            TpmtPublic p = TpmtPublic.parse(kind, java.util.Arrays.copyOfRange(tpm2b, 2, tpm2b.length));
            assertEquals(kind.equals("ecc") ? TpmtPublic.TPM_ALG_ECC : TpmtPublic.TPM_ALG_RSA, p.type());
            assertEquals(34, p.name().length);
            // The SPKI tpm2_readpublic wrote is the same key.
            assertArrayEquals(QuoteFixtures.bytes(kind + "-ak.der"), p.key().getEncoded());
        }
    }

    // Every proper prefix of a real structure is refused with a MeasureException naming the input:
    // never an index or arithmetic exception, never a silent partial parse.
    interface Parser {
        void parse(String name, byte[] bytes) throws MeasureException;
    }

    @Test
    void tpmsAttest_everyPrefixRefused() {
        everyPrefixRefused(QuoteFixtures.bytes("rsa-attest.bin"), TpmsAttest::parse);
    }

    @Test
    void tpmtSignature_everyPrefixRefused() {
        everyPrefixRefused(QuoteFixtures.bytes("ecc-signature.bin"), TpmtSignature::parse);
        everyPrefixRefused(QuoteFixtures.bytes("rsa-signature.bin"), TpmtSignature::parse);
    }

    @Test
    void tpmtPublic_everyPrefixRefused() {
        for (String kind : new String[] {"ecc", "rsa"}) {
            byte[] tpm2b = QuoteFixtures.bytes(kind + "-ak.pub");
            everyPrefixRefused(Arrays.copyOfRange(tpm2b, 2, tpm2b.length), TpmtPublic::parse);
        }
    }

    private static void everyPrefixRefused(byte[] whole, Parser parser) {
        for (int n = 0; n < whole.length; n++) {
            byte[] prefix = Arrays.copyOf(whole, n);
            MeasureException e = assertThrows(MeasureException.class, () -> parser.parse("input", prefix), "length " + n);
            assertTrue(e.getMessage().startsWith("input: "), e.getMessage());
        }
    }
}
