package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import org.junit.jupiter.api.Test;

class PcrsTest {
    /**
     * PCR 2/3/6 of an OVMF boot hold only the separator: E(0, H(00000000)). Value read from
     * /sys/class/tpm/tpm0/pcr-sha256/2 of a QEMU + OVMF 2022.11 + swtpm guest
     * (/work/shared/docs/pcr-prediction.md §4).
     */
    static final String SEPARATOR_ONLY_SHA256 = "3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969";

    @Test
    void extend_separatorFromReset_matchesGuestPcr2() {
        Digest pcr = Pcrs.extend(Pcrs.resetValue(HashAlgorithm.SHA256, 2), Pcrs.hash(HashAlgorithm.SHA256, new byte[4]));
        assertEquals(SEPARATOR_ONLY_SHA256, pcr.hex());
    }

    @Test
    void extend_isOrderSensitive() {
        Digest a = Pcrs.hash(HashAlgorithm.SHA256, new byte[] {1});
        Digest b = Pcrs.hash(HashAlgorithm.SHA256, new byte[] {2});
        Digest zero = Pcrs.zero(HashAlgorithm.SHA256);
        assertNotEquals(Pcrs.extend(Pcrs.extend(zero, a), b), Pcrs.extend(Pcrs.extend(zero, b), a));
    }

    @Test
    void extend_rejectsDigestOfAnotherBank() {
        assertThrows(IllegalArgumentException.class,
                () -> Pcrs.extend(Pcrs.zero(HashAlgorithm.SHA256), Pcrs.zero(HashAlgorithm.SHA384)));
    }

    @Test
    void resetValue_drtmPcrsAreAllOnes() {
        assertEquals("ff".repeat(32), Pcrs.resetValue(HashAlgorithm.SHA256, 17).hex());
        assertEquals("00".repeat(48), Pcrs.resetValue(HashAlgorithm.SHA384, 16).hex());
    }

    @Test
    void hashAscii_callingEfiApplication_matchesOvmfPcr4FirstEvent() {
        // First PCR 4 event of every OVMF boot from a boot option (observed digest prefix 3d6772b4, ibid. §4).
        assertEquals("3d6772b4", Pcrs.hashAscii(HashAlgorithm.SHA256, "Calling EFI Application from Boot Option").hex()
                .substring(0, 8));
    }
}
