package io.cvmboot.stage1.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.testing.SwtpmTcp;
import io.cvmboot.stage1.testing.TestCa;
import io.cvmboot.stage1.testing.Tpm2Tools;
import io.cvmboot.stage1.tpm.AkTemplate;
import io.cvmboot.stage1.tpm.TcpTransport;
import io.cvmboot.stage1.tpm.Tpm;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import io.cvmboot.stage1.tpm.TpmSignature;
import io.cvmboot.stage1.tpm.TpmsAttest;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attestor against swtpm with cloud AK material provisioned as on a GCE Shielded VM: tpm2-tools
 * writes the AK template (the TPMT_PUBLIC tpm2_createprimary itself marshalled) and a certificate
 * from a throw-away CA over the key the TPM made from that template into the GCE NV indices.
 */
class AttestorTest {
    /** Restricted signing key attributes, as GCE's template (go-tpm-tools' FlagSignerDefault). */
    private static final String AK_ATTRIBUTES = "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign";
    /** An ECC AK template unlike stage1's own: its unique field makes it derive another key. */
    private static final String[] ECC_TEMPLATE_WITH_UNIQUE = {"-G", "ecc256:ecdsa-sha256:null", "-a", AK_ATTRIBUTES, "-u"};
    private static final byte[] NONCE = new byte[32];

    @TempDir
    Path dir;

    @Test
    void noCloudIndices_ownAk_sourceCvmbootAndNoCertificate() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false);
                Tpm tpm = connect(swtpm)) {
            Attestation a = new Attestor(tpm, Log.NONE).attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null,
                    null, null);
            assertEquals("cvmboot", a.akSource());
            assertNull(a.akCertificate());
            Map<String, String> json = fields(AttestationJson.toJson(a));
            assertEquals("cvmboot", json.get("ak.source"));
            assertTrue(!json.containsKey("ak.certificate"), json.keySet().toString());
        }
    }

    @Test
    void eccTemplateAndCertificate_certifiedAkQuotesAndCertificateIsEmitted() throws Exception {
        TestCa ca = TestCa.create("Test AK CA");
        byte[] certificate;
        PublicKey expectedKey;
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            Tpm2Tools.CreatedPrimary primary = tools.createEndorsementPrimary(eccWithUnique());
            expectedKey = primary.publicKey();
            certificate = ca.issue("test-vm AK", expectedKey).getEncoded();
            tools.provision(CloudAkIndices.GCE_ECC.templateIndex(), primary.template(), primary.template().length + 32);
            // NV indices are larger than the certificate; stage1 trims to the DER length as for EK certificates.
            tools.provision(CloudAkIndices.GCE_ECC.certificateIndex(), certificate, certificate.length + 100);

            List<String> log = new ArrayList<>();
            Attestation a;
            PublicKey ownKey;
            try (Tpm tpm = connect(swtpm)) {
                a = new Attestor(tpm, log::add).attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null);
                var own = tpm.createAttestationKey(AkTemplate.ECC_P256);
                tpm.flush(own.handle());
                ownKey = TpmPublicKey.toJca(own.publicArea());
            }
            assertEquals("nv-template 0x01C10003", a.akSource());
            assertArrayEquals(certificate, a.akCertificate());
            PublicKey ak = TpmPublicKey.toJca(a.akPublic());
            // The AK is the key the TPM gave tpm2_createprimary for the same template, not stage1's own.
            assertEquals(expectedKey, ak);
            assertNotEquals(ownKey, ak);
            TpmSignature.verify(ak, a.quote().attest(), a.quote().signature());
            assertArrayEquals(NONCE, TpmsAttest.parse(a.quote().attest()).extraData());
            assertTrue(log.stream().anyMatch(l -> l.contains("0x01C10002 matches the AK") && l.contains("CN=test-vm AK")),
                    log.toString());

            Map<String, String> json = fields(AttestationJson.toJson(a));
            assertEquals("nv-template 0x01C10003", json.get("ak.source"));
            assertEquals(Base64.getEncoder().encodeToString(certificate), json.get("ak.certificate"));
            assertEquals("", tools.transientHandles(), "the AK is flushed");
        }
    }

    @Test
    void eccAndRsaTemplates_eccPreferred() throws Exception {
        TestCa ca = TestCa.create("Test AK CA");
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            Tpm2Tools.CreatedPrimary ecc = tools.createEndorsementPrimary(eccWithUnique());
            Tpm2Tools.CreatedPrimary rsa = tools.createEndorsementPrimary("-G", "rsa2048:rsassa-sha256:null",
                    "-a", AK_ATTRIBUTES);
            provision(tools, CloudAkIndices.GCE_ECC, ecc.template(), ca.issue("ecc AK", ecc.publicKey()).getEncoded());
            provision(tools, CloudAkIndices.GCE_RSA, rsa.template(), ca.issue("rsa AK", rsa.publicKey()).getEncoded());
            try (Tpm tpm = connect(swtpm)) {
                Attestation a = new Attestor(tpm, Log.NONE).attest(NONCE, AkTemplate.RSA_2048, tpm.allocatedBanks(), null,
                        null, null);
                assertEquals("nv-template 0x01C10003", a.akSource());
                assertInstanceOf(ECPublicKey.class, TpmPublicKey.toJca(a.akPublic()));
            }
        }
    }

    @Test
    void rsaTemplateOnly_rsaCloudAkUsed() throws Exception {
        TestCa ca = TestCa.create("Test AK CA");
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            Tpm2Tools.CreatedPrimary rsa = tools.createEndorsementPrimary("-G", "rsa2048:rsassa-sha256:null",
                    "-a", AK_ATTRIBUTES);
            byte[] cert = ca.issue("rsa AK", rsa.publicKey()).getEncoded();
            provision(tools, CloudAkIndices.GCE_RSA, rsa.template(), cert);
            try (Tpm tpm = connect(swtpm)) {
                Attestation a = new Attestor(tpm, Log.NONE).attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null,
                        null, null);
                assertEquals("nv-template 0x01C10001", a.akSource());
                assertArrayEquals(cert, a.akCertificate());
                PublicKey ak = TpmPublicKey.toJca(a.akPublic());
                assertInstanceOf(RSAPublicKey.class, ak);
                assertEquals(rsa.publicKey(), ak);
                TpmSignature.verify(ak, a.quote().attest(), a.quote().signature());
            }
        }
    }

    @Test
    void certificateForAnotherKey_failsNamingTheIndexAndFlushesTheAk() throws Exception {
        TestCa ca = TestCa.create("Test AK CA");
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            Tpm2Tools.CreatedPrimary ecc = tools.createEndorsementPrimary(eccWithUnique());
            byte[] foreign = ca.issue("someone else", TestCa.newEcKey().getPublic()).getEncoded();
            provision(tools, CloudAkIndices.GCE_ECC, ecc.template(), foreign);
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK certificate at NV index 0x01C10002 (subject CN=someone else) "
                        + "certifies another key than the AK created from the AK template at NV index 0x01C10003"),
                        e.getMessage());
            }
            assertEquals("", tools.transientHandles(), "the AK is flushed after the refusal");
        }
    }

    @Test
    void templateWithoutRestricted_failsNamingTheIndex() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            Tpm2Tools.CreatedPrimary unrestricted = tools.createEndorsementPrimary("-G", "ecc256:ecdsa-sha256:null",
                    "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
            provision(tools, CloudAkIndices.GCE_ECC, unrestricted.template(),
                    TestCa.create("CA").issue("AK", unrestricted.publicKey()).getEncoded());
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK template at NV index 0x01C10003: expected a restricted signing key"),
                        e.getMessage());
            }
        }
    }

    @Test
    void unusableEccTemplate_noFallbackToTheRsaTemplate() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            tools.provision(CloudAkIndices.GCE_ECC.templateIndex(), new byte[] {0x00, 0x23, 0x00}, 64);
            tools.provision(CloudAkIndices.GCE_RSA.templateIndex(), templateResource("template-rsa-2048.bin"), 64);
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK template at NV index 0x01C10003"), e.getMessage());
            }
        }
    }

    @Test
    void templateTheTpmRefuses_failsNamingTheIndex() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            // authPolicy of 5 bytes with nameAlg SHA-256: well-formed, but CreatePrimary wants a digest-sized policy.
            byte[] own = templateResource("template-ecc-p256.bin");
            byte[] bad = new byte[own.length + 5];
            System.arraycopy(own, 0, bad, 0, 8);
            bad[9] = 5;
            System.arraycopy(own, 10, bad, 15, own.length - 10);
            tools.provision(CloudAkIndices.GCE_ECC.templateIndex(), bad, bad.length);
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK template at NV index 0x01C10003: TPM2_CreatePrimary in the "
                        + "endorsement hierarchy refused the template"), e.getMessage());
            }
        }
    }

    @Test
    void templateWithoutCertificate_cloudAkUsedWithoutCertificate() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            Tpm2Tools.CreatedPrimary ecc = tools.createEndorsementPrimary(eccWithUnique());
            tools.provision(CloudAkIndices.GCE_ECC.templateIndex(), ecc.template(), ecc.template().length);
            List<String> log = new ArrayList<>();
            try (Tpm tpm = connect(swtpm)) {
                Attestation a = new Attestor(tpm, log::add).attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null,
                        null, null);
                assertEquals("nv-template 0x01C10003", a.akSource());
                assertNull(a.akCertificate());
                assertEquals(ecc.publicKey(), TpmPublicKey.toJca(a.akPublic()));
            }
            assertTrue(log.stream().anyMatch(l -> l.contains("0x01C10002 is absent")), log.toString());
        }
    }

    /** Azure's RSA AK (restricted RSASSA/SHA-256), as tpm2_createprimary marshals it. */
    private static final String[] RSA_AK = {"-G", "rsa2048:rsassa-sha256:null", "-a", AK_ATTRIBUTES};
    private static final int AZURE_AK = PersistentCloudAk.AZURE.handle();

    @Test
    void azurePersistentAkWithCertificate_quotesWithItAndLeavesItPersisted() throws Exception {
        TestCa ca = TestCa.create("Test AK CA");
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            PublicKey expectedKey = tools.persistEndorsementPrimary(AZURE_AK, RSA_AK).publicKey();
            byte[] certificate = ca.issue("azure-vm AK", expectedKey).getEncoded();
            tools.provision(PersistentCloudAk.AZURE.certificateIndex(), certificate, certificate.length + 64);
            List<String> log = new ArrayList<>();
            Attestation a;
            try (Tpm tpm = connect(swtpm)) {
                a = new Attestor(tpm, log::add).attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null);
            }
            assertEquals("persistent 0x81000003", a.akSource());
            assertArrayEquals(certificate, a.akCertificate());
            PublicKey ak = TpmPublicKey.toJca(a.akPublic());
            assertEquals(expectedKey, ak);
            assertInstanceOf(RSAPublicKey.class, ak);
            TpmSignature.verify(ak, a.quote().attest(), a.quote().signature());
            assertArrayEquals(NONCE, TpmsAttest.parse(a.quote().attest()).extraData());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("AK at persistent handle 0x81000003 used; AK certificate at "
                    + "NV index 0x01C101D0 matches the AK (subject CN=azure-vm AK")), log.toString());
            assertEquals("persistent 0x81000003", fields(AttestationJson.toJson(a)).get("ak.source"));
            assertTrue(tools.persistentHandles().contains("0x81000003"), "the cloud's AK is not flushed");
            assertEquals("", tools.transientHandles(), "nothing else is left loaded");
        }
    }

    @Test
    void azurePersistentAkWithoutCertificate_usedWithoutCertificate() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            PublicKey expectedKey = tools.persistEndorsementPrimary(AZURE_AK, RSA_AK).publicKey();
            List<String> log = new ArrayList<>();
            try (Tpm tpm = connect(swtpm)) {
                Attestation a = new Attestor(tpm, log::add).attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(),
                        null, null, null);
                assertEquals("persistent 0x81000003", a.akSource());
                assertNull(a.akCertificate());
                assertEquals(expectedKey, TpmPublicKey.toJca(a.akPublic()));
            }
            assertTrue(log.contains("AK at persistent handle 0x81000003 used; AK certificate at NV index 0x01C101D0 is "
                    + "absent: no AK certificate"), log.toString());
        }
    }

    @Test
    void azurePersistentStorageKey_failsNamingTheHandle() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            // A storage key (restricted decrypt) where Azure keeps its AK: not something to quote with.
            tools.persistEndorsementPrimary(AZURE_AK, "-G", "rsa2048:null:aes128cfb",
                    "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt");
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK at persistent handle 0x81000003: expected a restricted signing key"),
                        e.getMessage());
            }
            assertEquals("", tools.transientHandles(), "no fallback AK was created");
        }
    }

    @Test
    void azurePersistentAkWithoutUserWithAuth_failsBeforeQuoting() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            // A policy-only AK: restricted signing, but the quote would need a policy session.
            tools.persistEndorsementPrimary(AZURE_AK, "-G", "rsa2048:rsassa-sha256:null",
                    "-a", "fixedtpm|fixedparent|sensitivedataorigin|adminwithpolicy|restricted|sign");
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK at persistent handle 0x81000003: expected userWithAuth set"),
                        e.getMessage());
            }
        }
    }

    @Test
    void azurePersistentAkWithAnotherKeysCertificate_failsNamingBoth() throws Exception {
        TestCa ca = TestCa.create("Test AK CA");
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            tools.persistEndorsementPrimary(AZURE_AK, RSA_AK);
            byte[] foreign = ca.issue("someone else", TestCa.newEcKey().getPublic()).getEncoded();
            tools.provision(PersistentCloudAk.AZURE.certificateIndex(), foreign, foreign.length + 64);
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK certificate at NV index 0x01C101D0 (subject CN=someone else) "
                        + "certifies another key than the AK at persistent handle 0x81000003"), e.getMessage());
            }
        }
    }

    @Test
    void gceTemplateAndAzurePersistentAk_gceTemplateWins() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            tools.persistEndorsementPrimary(AZURE_AK, RSA_AK);
            Tpm2Tools.CreatedPrimary ecc = tools.createEndorsementPrimary(eccWithUnique());
            tools.provision(CloudAkIndices.GCE_ECC.templateIndex(), ecc.template(), ecc.template().length);
            try (Tpm tpm = connect(swtpm)) {
                Attestation a = new Attestor(tpm, Log.NONE).attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(),
                        null, null, null);
                assertEquals("nv-template 0x01C10003", a.akSource());
                assertEquals(ecc.publicKey(), TpmPublicKey.toJca(a.akPublic()));
            }
        }
    }

    @Test
    void certificateIndexWithoutDer_failsNamingIt() throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir.resolve("tpm"), false)) {
            Tpm2Tools tools = Tpm2Tools.on(swtpm, dir);
            Tpm2Tools.CreatedPrimary ecc = tools.createEndorsementPrimary(eccWithUnique());
            provision(tools, CloudAkIndices.GCE_ECC, ecc.template(), "not a certificate".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            try (Tpm tpm = connect(swtpm)) {
                IOException e = assertThrows(IOException.class, () -> new Attestor(tpm, Log.NONE)
                        .attest(NONCE, AkTemplate.ECC_P256, tpm.allocatedBanks(), null, null, null));
                assertTrue(e.getMessage().startsWith("AK certificate at NV index 0x01C10002: expected a DER certificate"),
                        e.getMessage());
            }
        }
    }

    private String[] eccWithUnique() throws IOException {
        Path unique = dir.resolve("unique.bin");
        // tpm2_createprimary -u: a TPMU_PUBLIC_ID with little-endian sizes (it keeps x).
        byte[] x = "cvmboot cloud AK test, unique x.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] u = new byte[2 + x.length];
        u[0] = (byte) x.length;
        System.arraycopy(x, 0, u, 2, x.length);
        java.nio.file.Files.write(unique, u);
        String[] args = java.util.Arrays.copyOf(ECC_TEMPLATE_WITH_UNIQUE, ECC_TEMPLATE_WITH_UNIQUE.length + 1);
        args[args.length - 1] = unique.toString();
        return args;
    }

    private static void provision(Tpm2Tools tools, CloudAkIndices indices, byte[] template, byte[] certificate)
            throws IOException, InterruptedException {
        tools.provision(indices.templateIndex(), template, template.length);
        tools.provision(indices.certificateIndex(), certificate, certificate.length + 64);
    }

    private static Tpm connect(SwtpmTcp swtpm) throws IOException {
        return new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()));
    }

    /** A template vector of NvAkTemplateTest (tpm2-tools' marshalling, see generate-templates.sh). */
    private static byte[] templateResource(String name) throws IOException {
        try (var in = AkTemplate.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** The string fields of the attestation JSON's {@code ak} object. */
    private static Map<String, String> fields(byte[] json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("ak")) {
                    Map<String, String> out = new HashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        out.put("ak." + field, p.getText());
                    }
                    return out;
                }
                p.skipChildren();
            }
        }
        throw new AssertionError("no ak object in the attestation JSON");
    }
}
