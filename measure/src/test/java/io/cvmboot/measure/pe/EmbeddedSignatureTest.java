package io.cvmboot.measure.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedSignatureTest {
    @Test
    void claimedDigests_sbsign_sha256() throws Exception {
        PeImage pe = PeImage.parse("signed", PeVectors.resource("stub252-sbsign.efi"));
        assertEquals(List.of(Digest.ofHex(HashAlgorithm.SHA256,
                "32cab00c99673e8b50d5d7f7602b2f8fdb5138aba67d1d2e422fdc8464310bc1")),
                EmbeddedSignature.claimedDigests(pe));
    }

    @Test
    void claimedDigests_osslsigncode_sha384() throws Exception {
        PeImage pe = PeImage.parse("signed", PeVectors.resource("stub252-osslsigncode-sha384.efi"));
        assertEquals(List.of(Digest.ofHex(HashAlgorithm.SHA384,
                "0b4cba7c379b102660124ab6826d57c522d0685508ef7f5772230ee4ca0b7fbd4caee5211cae967812138b9b6a091da2")),
                EmbeddedSignature.claimedDigests(pe));
    }

    @Test
    void claimedDigests_unsigned_empty() throws Exception {
        assertEquals(List.of(), EmbeddedSignature.claimedDigests(PeImage.parse("stub", PeVectors.resource("stub252.efi"))));
    }

    @Test
    void claimedDigests_corruptedSignedData_rejected() throws Exception {
        byte[] b = PeVectors.resource("stub252-sbsign.efi");
        PeImage pe = PeImage.parse("signed", b);
        int der = (int) pe.optionalHeader().certificateTable().virtualAddress() + EmbeddedSignature.WIN_CERTIFICATE_HEADER_SIZE;
        // ContentInfo is 30 82 LL LL 06 ...: turn its contentType OID tag into NULL (05).
        b[der + 4] = 0x05;
        MeasureException e = assertThrows(MeasureException.class,
                () -> EmbeddedSignature.claimedDigests(PeImage.parse("signed", b)));
        assertTrue(e.getMessage().startsWith("signed: "), e.getMessage());
    }
}
