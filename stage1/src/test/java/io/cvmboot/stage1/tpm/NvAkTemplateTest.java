package io.cvmboot.stage1.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * AK templates as tpm2-tools 5.4 marshals them ({@code template-*.bin}, written by
 * {@code generate-templates.sh} beside them): the good ones parse to exactly their bytes, the bad
 * ones fail with a message naming the NV index.
 */
class NvAkTemplateTest {
    private static final int ECC_INDEX = 0x01C10003;

    @Test
    void parse_tpm2ToolsEccTemplateWithUnique_keptByteForByte() throws Exception {
        byte[] t = resource("template-ecc-p256-unique.bin");
        NvAkTemplate parsed = NvAkTemplate.parse(ECC_INDEX, t);
        assertArrayEquals(t, parsed.publicArea());
        assertEquals(ECC_INDEX, parsed.nvIndex());
    }

    @Test
    void parse_rsaTemplate_accepted() throws Exception {
        byte[] t = resource("template-rsa-2048.bin");
        assertArrayEquals(t, NvAkTemplate.parse(0x01C10001, t).publicArea());
    }

    @Test
    void ownTemplates_equalTpm2ToolsRestrictedSigningTemplates() throws Exception {
        // Independent check of AkTemplate: tpm2_createprimary -G ecc256:ecdsa-sha256:null / rsa2048:rsassa-sha256:null
        // with the same attributes marshals the same TPMT_PUBLIC.
        assertArrayEquals(resource("template-ecc-p256.bin"), AkTemplate.ECC_P256.publicArea());
        assertArrayEquals(resource("template-rsa-2048.bin"), AkTemplate.RSA_2048.publicArea());
    }

    @Test
    void parse_zeroPaddedNvData_trimmedToTheStructure() throws Exception {
        byte[] t = resource("template-ecc-p256-unique.bin");
        assertArrayEquals(t, NvAkTemplate.parse(ECC_INDEX, Arrays.copyOf(t, t.length + 200)).publicArea());
    }

    @Test
    void parse_nonZeroAfterTheStructure_refused() throws Exception {
        byte[] t = Arrays.copyOf(resource("template-ecc-p256.bin"), 40);
        t[39] = 1;
        IOException e = assertThrows(IOException.class, () -> NvAkTemplate.parse(ECC_INDEX, t));
        assertTrue(e.getMessage().contains("0x01C10003") && e.getMessage().contains("zero padding"), e.getMessage());
    }

    @Test
    void parse_unrestrictedSigningKey_refusedNamingTheIndex() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> NvAkTemplate.parse(ECC_INDEX, resource("template-ecc-unrestricted.bin")));
        assertTrue(e.getMessage().startsWith("AK template at NV index 0x01C10003: expected a restricted signing key"),
                e.getMessage());
        assertTrue(e.getMessage().contains("found objectAttributes 0x00040072"), e.getMessage());
    }

    @Test
    void parse_storageKey_refused() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> NvAkTemplate.parse(ECC_INDEX, resource("template-ecc-storage.bin")));
        assertTrue(e.getMessage().contains("restricted signing key") && e.getMessage().contains("0x00030072"),
                e.getMessage());
    }

    @Test
    void parse_truncated_refusedNamingTheIndex() throws Exception {
        byte[] t = Arrays.copyOf(resource("template-ecc-p256-unique.bin"), 30);
        IOException e = assertThrows(IOException.class, () -> NvAkTemplate.parse(ECC_INDEX, t));
        assertTrue(e.getMessage().startsWith("AK template at NV index 0x01C10003 (TPMT_PUBLIC): expected"), e.getMessage());
    }

    @Test
    void parse_otherCurve_refused() throws Exception {
        byte[] t = resource("template-ecc-p256.bin");
        t[17] = 0x04; // TPMS_ECC_PARMS.curveID at offset 16: NIST P-384
        IOException e = assertThrows(IOException.class, () -> NvAkTemplate.parse(ECC_INDEX, t));
        assertTrue(e.getMessage().contains("NIST P-256") && e.getMessage().contains("0x0004"), e.getMessage());
    }

    @Test
    void parse_sha1SigningScheme_refused() throws Exception {
        byte[] t = resource("template-ecc-p256.bin");
        t[15] = 0x04; // scheme hash at offset 14: TPM_ALG_SHA1
        IOException e = assertThrows(IOException.class, () -> NvAkTemplate.parse(ECC_INDEX, t));
        assertTrue(e.getMessage().contains("ECDSA") && e.getMessage().contains("hash 0x0004"), e.getMessage());
    }

    @Test
    void parse_keyedHashObject_refused() throws Exception {
        byte[] t = resource("template-ecc-p256.bin");
        t[1] = 0x08; // TPM_ALG_KEYEDHASH
        IOException e = assertThrows(IOException.class, () -> NvAkTemplate.parse(ECC_INDEX, t));
        assertTrue(e.getMessage().contains("expected key type RSA (0x0001) or ECC (0x0023), found 0x0008"), e.getMessage());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NvAkTemplateTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
