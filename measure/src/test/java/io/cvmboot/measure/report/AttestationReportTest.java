package io.cvmboot.measure.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.MeasureException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttestationReportTest {
    @Test
    void parse_v5TurinFields() throws Exception {
        AttestationReport r = ReportFixtures.report("oak/turin_oc_report.bin");
        assertEquals(5, r.version());
        assertEquals(0x30000, r.policy().bits());
        assertEquals(new AttestationReport.Cpuid(0x1A, 0x02, 1), r.cpuid().orElseThrow());
        assertEquals(0x67, r.platformInfo());
        assertEquals(0x4700000002000100L, r.reportedTcbRaw());
        assertEquals(0L, r.launchMitigationVector().orElseThrow());
        assertEquals(List.of(), r.nonZeroReservedRanges());
        // Turin: only CHIP_ID[0:8] is used.
        assertEquals("3b42092f69c656d3", HexFormat.of().formatHex(r.chipId(), 0, 8));
        assertTrue(java.util.Arrays.equals(new byte[56], java.util.Arrays.copyOfRange(r.chipId(), 8, 64)));
    }

    @Test
    void parse_v2HasNoCpuidOrMitigationVectors() throws Exception {
        AttestationReport r = ReportFixtures.report("go-sev-guest/attestation.bin");
        assertEquals(2, r.version());
        assertTrue(r.cpuid().isEmpty());
        assertTrue(r.launchMitigationVector().isEmpty());
        assertEquals(0xb0000, r.policy().bits());
        assertTrue(r.policy().isSet(GuestPolicy.DEBUG));
    }

    @Test
    void parse_vlekSignerInfo() throws Exception {
        AttestationReport r = ReportFixtures.report("trustee/test-vlek-report.bin");
        assertEquals(SigningKey.VLEK, r.signingKey());
        assertEquals(1, r.vmpl());
        // AWS sample (doc §2): reported ucode 217, committed 219, current 220.
        assertEquals(217, TcbVersion.decode(r.reportedTcbRaw(), SnpProduct.MILAN).microcode());
        assertEquals(219, TcbVersion.decode(r.committedTcbRaw(), SnpProduct.MILAN).microcode());
        assertEquals(220, TcbVersion.decode(r.currentTcbRaw(), SnpProduct.MILAN).microcode());
    }

    @Test
    void parse_wrongSizeIsUnusableInput() {
        MeasureException e = assertThrows(MeasureException.class, () -> AttestationReport.parse("short.bin", new byte[100]));
        assertTrue(e.getMessage().contains("short.bin") && e.getMessage().contains("1184") && e.getMessage().contains("100"));
    }

    @Test
    void reservedRanges_v2ReservesTheCpuidBytes() throws Exception {
        byte[] b = ReportFixtures.report("go-sev-guest/attestation.bin").bytes();
        b[0x188] = 0x19;
        assertEquals(List.of("0x188-0x1A0"), AttestationReport.parse("x", b).nonZeroReservedRanges());
    }

    @Test
    void tcbVersion_encodeRoundTripsBothLayouts() {
        assertEquals(0x4700000002000100L, new TcbVersion(0, 1, 0, 2, 71).encode(SnpProduct.TURIN));
        assertEquals(0xdb18000000000004L, new TcbVersion(0, 4, 0, 24, 219).encode(SnpProduct.MILAN));
        assertEquals(new TcbVersion(0, 4, 0, 24, 219), TcbVersion.decode(0xdb18000000000004L, SnpProduct.GENOA));
    }

    @Test
    void productFromCpuid() {
        assertEquals(SnpProduct.MILAN, SnpProduct.fromCpuid(0x19, 0x01).orElseThrow());
        assertEquals(SnpProduct.GENOA, SnpProduct.fromCpuid(0x19, 0x11).orElseThrow());
        assertEquals(SnpProduct.GENOA, SnpProduct.fromCpuid(0x19, 0xA0).orElseThrow());
        assertEquals(SnpProduct.TURIN, SnpProduct.fromCpuid(0x1A, 0x02).orElseThrow());
        assertTrue(SnpProduct.fromCpuid(0x17, 0x31).isEmpty());
    }
}
