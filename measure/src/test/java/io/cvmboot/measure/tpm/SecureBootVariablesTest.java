package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PCR 7 from Debian's OVMF VARS images (ovmf 2022.11-6+deb12u2), against the values the guests'
 * TPMs held in real boots (/work/shared/docs/pcr-prediction.md §4, §7, §11).
 */
class SecureBootVariablesTest {
    /** PCR 7, Secure Boot off, OVMF_VARS_4M.fd (no keys enrolled). */
    static final String PCR7_PLAIN = "65caf8dd1e0ea7a6347b635d2b379c93b9a1351edc2afc3ecda700e534eb3068";
    /** PCR 7, Secure Boot on, OVMF_VARS_4M.snakeoil.fd, for any UKI signed with the snakeoil key. */
    static final String PCR7_SNAKEOIL_SIGNED = "02a4f904010ebddfb1ce765622af8d48ac2408422e220ad4eed1e1856407f704";

    @Test
    void plainVars_secureBootOff_pcr7MatchesGuest() throws Exception {
        OvmfVarStore vars = OvmfVarStore.parse("OVMF_VARS_4M.fd", TpmTestResources.read("ovmf/OVMF_VARS_4M.fd.gz"));
        SecureBootVariables sb = SecureBootVariables.from(vars);
        assertFalse(sb.secureBoot());
        assertEquals(PCR7_PLAIN, pcr7(sb, null).hex());
    }

    @Test
    void snakeoilVars_secureBootOn_withAuthority_pcr7MatchesGuest() throws Exception {
        OvmfVarStore vars = OvmfVarStore.parse("snakeoil", TpmTestResources.read("ovmf/OVMF_VARS_4M.snakeoil.fd.gz"));
        assertTrue(vars.secureBootEnabled());
        assertEquals(935, vars.get(EfiGuid.GLOBAL_VARIABLE, "PK").orElseThrow().length);
        assertEquals(935, vars.get(EfiGuid.IMAGE_SECURITY_DATABASE, "db").orElseThrow().length);
        assertEquals(76, vars.get(EfiGuid.IMAGE_SECURITY_DATABASE, "dbx").orElseThrow().length);
        SecureBootVariables sb = SecureBootVariables.from(vars);
        List<EfiSignatureList.Entry> db = sb.dbEntries("snakeoil");
        assertEquals(1, db.size());
        assertEquals(EfiGuid.CERT_X509, db.get(0).type());
        assertEquals("a0baa8a3-041d-48a8-bc87-c36d121b5e3d", db.get(0).owner().text());
        assertEquals(PCR7_SNAKEOIL_SIGNED, pcr7(sb, db.get(0)).hex());
    }

    @Test
    void snakeoilVars_withoutAuthorityEvent_differs() throws Exception {
        // Bad variant: forgetting the authority event (or logging the leaf instead of the db entry) changes PCR 7.
        SecureBootVariables sb = SecureBootVariables.from(
                OvmfVarStore.parse("snakeoil", TpmTestResources.read("ovmf/OVMF_VARS_4M.snakeoil.fd.gz")));
        assertFalse(pcr7(sb, null).hex().equals(PCR7_SNAKEOIL_SIGNED));
    }

    @Test
    void notAVarsImage_isRefusedNamingTheInput() {
        byte[] notVars = new byte[4096];
        MeasureException e = assertThrows(MeasureException.class, () -> OvmfVarStore.parse("kernel.img", notVars));
        assertTrue(e.getMessage().startsWith("kernel.img: not an OVMF VARS image"), e.getMessage());
    }

    @Test
    void truncatedVarsImage_isRefused() {
        byte[] vars = TpmTestResources.read("ovmf/OVMF_VARS_4M.snakeoil.fd.gz");
        // Cut inside the PK record: its data would run past the end.
        byte[] cut = Arrays.copyOf(vars, 0x400);
        MeasureException e = assertThrows(MeasureException.class, () -> OvmfVarStore.parse("cut.fd", cut));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    static Digest pcr7(SecureBootVariables sb, EfiSignatureList.Entry authority) {
        HashAlgorithm bank = HashAlgorithm.SHA256;
        Digest pcr = Pcrs.zero(bank);
        for (UefiVariableData v : sb.measured()) {
            pcr = Pcrs.extend(pcr, Pcrs.hash(bank, v.encode()));
        }
        pcr = Pcrs.extend(pcr, Pcrs.hash(bank, new byte[4]));
        if (authority != null) {
            pcr = Pcrs.extend(pcr, Pcrs.hash(bank,
                    new UefiVariableData(EfiGuid.IMAGE_SECURITY_DATABASE, "db", authority.entry()).encode()));
        }
        return pcr;
    }
}
