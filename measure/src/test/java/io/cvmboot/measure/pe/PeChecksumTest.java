package io.cvmboot.measure.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class PeChecksumTest {
    @Test
    void compute_stub252_equalsTheLinkersCheckSum() throws Exception {
        // 0x1aa6c was written by the stub's own build (objcopy/gnu-efi), not by cvmboot.
        PeImage pe = PeImage.parse("stub252", PeVectors.resource("stub252.efi"));
        assertEquals(0x1aa6cL, PeChecksum.compute(pe));
    }

    @Test
    void compute_sbsignedStub_equalsTheCheckSumSbsignWrote() throws Exception {
        PeImage pe = PeImage.parse("signed", PeVectors.resource("stub252-sbsign.efi"));
        assertEquals(pe.optionalHeader().checkSum(), PeChecksum.compute(pe));
    }

    @Test
    void compute_oneChangedByte_changesTheSum() throws Exception {
        byte[] b = PeVectors.resource("stub252.efi");
        b[0x500] ^= 0x10;
        PeImage pe = PeImage.parse("stub252", b);
        assertNotEquals(0x1aa6cL, PeChecksum.compute(pe));
    }
}
