package io.cvmboot.measure.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vectors: swtpm 0.7.1 + tpm2-tools, see src/test/resources/io/cvmboot/measure/stage1/README.md. */
class Stage1PcrsTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Stage1PcrsTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static Map<String, String> swtpmValues() throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : new String(resource("pcrs-after-extend.txt"), StandardCharsets.US_ASCII).split("\n")) {
            String[] kv = line.split("=");
            values.put(kv[0], kv[1]);
        }
        return values;
    }

    @Test
    void predict_matchesSwtpmInEveryBank() throws IOException {
        byte[] stage2 = resource("stage2.bin");
        byte[] config = resource("config.json");
        Map<String, String> swtpm = swtpmValues();
        for (HashAlgorithm bank : HashAlgorithm.values()) {
            Stage1PcrValues predicted = Stage1Pcrs.predict(bank, stage2, config);
            assertEquals(swtpm.get(bank.label() + ":14"), predicted.stage2Pcr().hex(), bank + " PCR 14");
            assertEquals(swtpm.get(bank.label() + ":15"), predicted.configPcr().hex(), bank + " PCR 15");
        }
    }

    /** Bad variant: the double hash of the stage1 this follows does not give the TPM's value. */
    @Test
    void predict_doubleHashedStage2_doesNotMatchSwtpm() throws IOException {
        byte[] stage2 = resource("stage2.bin");
        Digest doubleHashed = Digest.compute(HashAlgorithm.SHA256,
                Digest.compute(HashAlgorithm.SHA256, stage2).bytes());
        Digest pcr = Stage1Pcrs.extend(Stage1Pcrs.resetValue(HashAlgorithm.SHA256), doubleHashed);
        assertNotEquals(swtpmValues().get("sha256:14"), pcr.hex());
    }

    @Test
    void extend_zeroDigestIntoZeroPcr_knownValue() {
        // Value read back from swtpm after TPM2_PCR_Extend(14, sha256 = 32 zero bytes), as recorded in
        // /work/shared/docs/peers-and-stage1.md section 7 (TSS.Java experiment); SHA-256 of 64 zero bytes.
        Digest zero = Stage1Pcrs.resetValue(HashAlgorithm.SHA256);
        assertEquals("f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b",
                Stage1Pcrs.extend(zero, zero).hex());
    }

    @Test
    void extend_mixedBanks_rejected() {
        Digest a = Stage1Pcrs.resetValue(HashAlgorithm.SHA256);
        Digest b = Stage1Pcrs.resetValue(HashAlgorithm.SHA384);
        assertThrows(IllegalArgumentException.class, () -> Stage1Pcrs.extend(a, b));
        assertThrows(IllegalArgumentException.class, () -> Stage1Pcrs.predict(a, b));
    }
}
