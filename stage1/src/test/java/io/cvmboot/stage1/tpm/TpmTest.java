package io.cvmboot.stage1.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.stage1.Stage1PcrValues;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import io.cvmboot.stage1.testing.SwtpmTcp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real software TPM (swtpm over TCP): the TPM is the oracle for marshalling and PCR math. */
class TpmTest {

    @Test
    void extend_pcr14And15InEveryBank_equalsMeasurePrediction(@TempDir java.nio.file.Path dir) throws Exception {
        byte[] stage2 = "stage2 ELF bytes".getBytes(StandardCharsets.UTF_8);
        byte[] config = "{\"_stage2\":{}}".getBytes(StandardCharsets.UTF_8);
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir, false);
                Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
            List<PcrBank> banks = tpm.allocatedBanks();
            assertFalse(banks.isEmpty());
            List<Digest> s2 = new ArrayList<>();
            List<Digest> cf = new ArrayList<>();
            for (PcrBank b : banks) {
                s2.add(Stage1Pcrs.eventDigest(b.algorithm(), stage2));
                cf.add(Stage1Pcrs.eventDigest(b.algorithm(), config));
            }
            tpm.pcrExtend(Stage1Pcrs.STAGE2_PCR, s2);
            tpm.pcrExtend(Stage1Pcrs.CONFIG_PCR, cf);
            BitSet both = new BitSet();
            both.set(14);
            both.set(15);
            for (PcrBank b : banks) {
                Map<Integer, Digest> read = tpm.pcrRead(b.algorithm(), both);
                Stage1PcrValues predicted = Stage1Pcrs.predict(b.algorithm(), stage2, config);
                assertEquals(predicted.stage2Pcr(), read.get(14), b.algorithm() + " PCR 14");
                assertEquals(predicted.configPcr(), read.get(15), b.algorithm() + " PCR 15");
            }
        }
    }

    @Test
    void pcrRead_all24_loopsOverTheEightPerAnswerLimit(@TempDir java.nio.file.Path dir) throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir, false);
                Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
            BitSet all = new BitSet();
            all.set(0, 24);
            Map<Integer, Digest> values = tpm.pcrRead(HashAlgorithm.SHA256, all);
            assertEquals(24, values.size());
            // PC Client PTP: PCR 0-16 and 23 reset to zeros, 17-22 to ones (D-RTM), after Startup(CLEAR).
            assertEquals(Stage1Pcrs.resetValue(HashAlgorithm.SHA256), values.get(14));
            assertArrayEquals(filled(32, (byte) 0xFF), values.get(17).bytes());
        }
    }

    @Test
    void quote_eccAk_verifiesAndBindsNonceAndPcrs(@TempDir java.nio.file.Path dir) throws Exception {
        quoteRoundTrip(dir, AkTemplate.ECC_P256);
    }

    @Test
    void quote_rsaAk_verifiesAndBindsNonceAndPcrs(@TempDir java.nio.file.Path dir) throws Exception {
        quoteRoundTrip(dir, AkTemplate.RSA_2048);
    }

    private static void quoteRoundTrip(java.nio.file.Path dir, AkTemplate template) throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir, false);
                Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
            tpm.pcrExtend(14, List.of(Digest.compute(HashAlgorithm.SHA256, new byte[] {1})));
            CreatedKey ak = tpm.createAttestationKey(template);
            byte[] nonce = MessageDigest.getInstance("SHA-256").digest("challenge".getBytes(StandardCharsets.UTF_8));
            BitSet pcrs = new BitSet();
            pcrs.set(0, 16);
            QuoteResult q;
            try {
                q = tpm.quote(ak.handle(), nonce, HashAlgorithm.SHA256, pcrs);
                // ReadPublic of the loaded AK gives the same public area CreatePrimary returned.
                assertArrayEquals(ak.publicArea(), tpm.readPublic(ak.handle()).publicArea());
            } finally {
                tpm.flush(ak.handle());
            }
            PublicKey key = TpmPublicKey.toJca(ak.publicArea());
            TpmSignature.verify(key, q.attest(), q.signature());

            TpmsAttest attest = TpmsAttest.parse(q.attest());
            assertArrayEquals(nonce, attest.extraData());
            // Qualified name of a primary key (Part 1, 16 "Names"): nameAlg || H(QN(hierarchy) || Name),
            // where a hierarchy's qualified name is its handle.
            MessageDigest qn = MessageDigest.getInstance("SHA-256");
            qn.update(new byte[] {0x40, 0x00, 0x00, 0x0B});
            qn.update(ak.name());
            byte[] expectedSigner = new byte[34];
            expectedSigner[1] = 0x0B;
            System.arraycopy(qn.digest(), 0, expectedSigner, 2, 32);
            assertArrayEquals(expectedSigner, attest.qualifiedSigner());
            assertEquals(pcrs, attest.pcrs());
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Digest d : tpm.pcrRead(HashAlgorithm.SHA256, pcrs).values()) {
                md.update(d.bytes());
            }
            assertArrayEquals(md.digest(), attest.pcrDigest());

            // Bad variant: one flipped bit in the signed structure must not verify.
            byte[] tampered = q.attest();
            tampered[tampered.length - 1] ^= 1;
            assertThrows(IOException.class, () -> TpmSignature.verify(key, tampered, q.signature()));
            // The AK is restricted and signing: attributes as the template says.
            assertEquals(AkTemplate.ATTRIBUTES, attributesOf(ak.publicArea()));
        }
    }

    private static int attributesOf(byte[] publicArea) throws IOException {
        TpmReader r = new TpmReader(publicArea, "TPMT_PUBLIC");
        r.u16();
        r.u16();
        return r.u32();
    }

    @Test
    void flush_handleTwice_secondIsHandleError(@TempDir java.nio.file.Path dir) throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir, false);
                Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
            CreatedKey ak = tpm.createAttestationKey(AkTemplate.ECC_P256);
            tpm.flush(ak.handle());
            TpmResponseException e = assertThrows(TpmResponseException.class, () -> tpm.flush(ak.handle()));
            assertTrue(e.getMessage().contains("TPM2_FlushContext"), e.getMessage());
        }
    }

    @Test
    void nvReadPublic_absentEkIndex_isHandleError(@TempDir java.nio.file.Path dir) throws Exception {
        try (SwtpmTcp swtpm = SwtpmTcp.start(dir, false);
                Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
            TpmResponseException e = assertThrows(TpmResponseException.class, () -> tpm.nvReadPublic(0x01C00002));
            assertTrue(e.isHandleError(), e.getMessage());
        }
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, b);
        return a;
    }
}
