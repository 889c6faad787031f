package io.cvmboot.measure.snp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad inputs (each a named variant of a good fixture) and the intermediate values. Good digests
 * are checked against the reference in {@link ReferenceVectorsTest}.
 */
class LaunchDigestCalculatorTest {
    private static final byte[] AMDSEV = SnpTestFiles.resource(SnpTestFiles.AMDSEV);
    private static final VcpuSignature EPYC_V4 = VcpuType.EPYC_V4.signature();

    private static LaunchMeasurement snp(byte[] firmware, int vcpus) throws MeasureException {
        return LaunchDigestCalculator.compute(LaunchInput.builder(GuestMode.SNP, OvmfImage.parse("fw.fd", firmware))
                .vcpus(vcpus).signature(EPYC_V4).build());
    }

    private static String error(byte[] firmware) {
        return assertThrows(MeasureException.class, () -> snp(firmware, 2)).getMessage();
    }

    /** Offset of the ASEV header in the AmdSev fixture, found the way the parser finds it. */
    private static int metadataOffset() throws MeasureException {
        OvmfFooterTable t = OvmfFooterTable.parse("fw", AMDSEV);
        return (int) (AMDSEV.length - t.u32("fw", OvmfFooterTable.OVMF_SEV_METADATA).orElseThrow());
    }

    @Test
    void readFirmware_equalsParsedBytes_andKeepsItsHash(@TempDir Path dir) throws IOException, MeasureException {
        Path file = Files.write(dir.resolve("OVMF.fd"), AMDSEV);
        OvmfImage read = OvmfImage.read(file);
        OvmfImage parsed = OvmfImage.parse("fw.fd", AMDSEV);
        assertEquals(parsed.gpa(), read.gpa());
        assertEquals(parsed.sections(), read.sections());
        assertEquals(file.toString(), read.source());
        assertEquals(Digest.compute(HashAlgorithm.SHA256, AMDSEV), read.sha256());
        Digest fromRead = LaunchDigestCalculator.firmwareDigest(read);
        assertEquals(LaunchDigestCalculator.firmwareDigest(parsed), fromRead);
    }

    @Test
    void readFirmware_namesTheFileInErrors(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("short.fd"), Arrays.copyOf(AMDSEV, 4097));
        String m = assertThrows(MeasureException.class, () -> OvmfImage.read(file)).getMessage();
        assertEquals(file + ": the firmware image must be a multiple of 4096 bytes, found 4097 bytes (1 over)", m);
    }

    @Test
    void emptyFirmware_isRejected() {
        assertEquals("fw.fd: the firmware image is empty", error(new byte[0]));
    }

    @Test
    void firmwareNotAPageMultiple_isRejected() {
        assertEquals("fw.fd: the firmware image must be a multiple of 4096 bytes, found 4194305 bytes (1 over)",
                error(Arrays.copyOf(AMDSEV, AMDSEV.length + 1)));
    }

    @Test
    void truncatedFirmware_hasNoFooterTable() {
        String m = error(Arrays.copyOf(AMDSEV, 1 << 20));
        assertTrue(m.startsWith("fw.fd: no OVMF footer table: expected GUID 96b582de-1fb2-45f7-baea-a366c55a082d"), m);
    }

    @Test
    void lastPageCut_hasNoFooterTable() {
        String m = error(Arrays.copyOf(AMDSEV, AMDSEV.length - 4096));
        assertTrue(m.startsWith("fw.fd: no OVMF footer table"), m);
    }

    @Test
    void firmwareWithoutFooterGuid_isRejected() {
        byte[] fw = AMDSEV.clone();
        fw[fw.length - 48] ^= 1; // first byte of the footer GUID
        assertTrue(error(fw).startsWith("fw.fd: no OVMF footer table"));
    }

    @Test
    void firmwareWithoutResetBlock_isRejected() throws MeasureException {
        byte[] fw = AMDSEV.clone();
        // Rename the SEV-ES reset block entry's GUID so that lookup fails but the table still parses.
        int at = indexOf(fw, OvmfFooterTable.SEV_ES_RESET_BLOCK.efiBytes());
        fw[at] ^= 0x55;
        String m = error(fw);
        assertTrue(m.startsWith("fw.fd: expected a SEV-ES reset block entry (00f771de-1a7e-4fcb-890e-68c77e2fb44e)"), m);
    }

    @Test
    void apResetEipZero_worksForOneVcpu_failsForTwo() throws MeasureException {
        byte[] fw = AMDSEV.clone();
        // Entry layout: [data (size - 18)][u16 size][GUID]; the data starts with the u32 EIP.
        int guidAt = indexOf(fw, OvmfFooterTable.SEV_ES_RESET_BLOCK.efiBytes());
        int size = LittleEndian.u16(fw, guidAt - 2);
        int data = guidAt + EfiGuid.LENGTH - size;
        java.util.Arrays.fill(fw, data, data + 4, (byte) 0);
        assertEquals(0L, OvmfImage.parse("fw.fd", fw).apResetEip().orElseThrow());
        snp(fw, 1);
        assertEquals("fw.fd: the SEV-ES reset block gives AP reset EIP 0, so the 1 AP(s) have no start address",
                error(fw));
    }

    @Test
    void metadataSizeTooSmallForItsSections_isRejected() throws MeasureException {
        byte[] fw = AMDSEV.clone();
        LittleEndian.put32(fw, metadataOffset() + 4, 16);
        assertTrue(error(fw).startsWith("fw.fd: SEV metadata size 16 is too small for its 7 sections"), error(fw));
    }

    @Test
    void badMetadataSignature_isRejected() throws MeasureException {
        byte[] fw = AMDSEV.clone();
        fw[metadataOffset()] = 'X';
        String m = error(fw);
        assertTrue(m.startsWith("fw.fd: wrong SEV metadata signature at offset 0x"), m);
        assertTrue(m.endsWith("expected 'ASEV', found 58534556"), m);
    }

    @Test
    void badMetadataVersion_isRejected() throws MeasureException {
        byte[] fw = AMDSEV.clone();
        fw[metadataOffset() + 8] = 2;
        assertEquals("fw.fd: wrong SEV metadata version: expected 1, found 2", error(fw));
    }

    @Test
    void unknownSectionType_isRejected() throws MeasureException {
        byte[] fw = AMDSEV.clone();
        fw[metadataOffset() + 16 + 8] = 7; // type of the first section
        String m = error(fw);
        assertTrue(m.startsWith("fw.fd: SEV metadata section 0 (gpa 0x800000) has unknown type 0x7, expected one of"), m);
    }

    @Test
    void kernelWithFirmwareWithoutKernelHashesSection_isRejected() throws MeasureException {
        byte[] bookworm = SnpTestFiles.resource(SnpTestFiles.BOOKWORM);
        var input = LaunchInput.builder(GuestMode.SNP, OvmfImage.parse("OVMF.bookworm.fd", bookworm)).vcpus(1)
                .signature(EPYC_V4).kernelHashes(SevHashTable.of(new byte[] {1}, null, "")).build();
        String m = assertThrows(MeasureException.class, () -> LaunchDigestCalculator.compute(input)).getMessage();
        assertTrue(m.startsWith("OVMF.bookworm.fd: a kernel was given, but the firmware's SEV metadata has no"
                + " SNP_KERNEL_HASHES section"), m);
    }

    @Test
    void kernelWithSevFirmwareWithoutHashTable_isRejected() throws MeasureException {
        byte[] bookworm = SnpTestFiles.resource(SnpTestFiles.BOOKWORM);
        var input = LaunchInput.builder(GuestMode.SEV, OvmfImage.parse("OVMF.bookworm.fd", bookworm))
                .kernelHashes(SevHashTable.of(new byte[] {1}, null, "")).build();
        String m = assertThrows(MeasureException.class, () -> LaunchDigestCalculator.compute(input)).getMessage();
        assertTrue(m.startsWith("OVMF.bookworm.fd: a kernel was given, but the firmware has no SEV hash table"), m);
    }

    @Test
    void zeroOrNegativeVcpus_isRejected() {
        for (int n : new int[] {0, -1}) {
            var e = assertThrows(IllegalArgumentException.class, () -> LaunchInput.builder(GuestMode.SNP,
                    OvmfImage.parse("fw.fd", AMDSEV)).vcpus(n).signature(EPYC_V4).build());
            assertEquals("mode snp needs at least 1 vCPU, got " + n, e.getMessage());
        }
    }

    @Test
    void guestFeaturesWiderThan64Bits_isRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> GuestFeatures.parse("0x10000000000000001"));
        assertTrue(e.getMessage().startsWith("guest features must fit in 64 bits"), e.getMessage());
        assertEquals(0x21, GuestFeatures.parse("33").value());
        assertEquals(-1L, GuestFeatures.parse("0xffffffffffffffff").value());
        assertThrows(IllegalArgumentException.class, () -> GuestFeatures.parse("-1"));
    }

    @Test
    void digestForNVcpus_isAPrefixOfTheChainForMore() throws MeasureException {
        // The trace of the 4-vCPU chain passes through the 2-vCPU digest (the BSP and first AP).
        var fw = OvmfImage.parse("fw.fd", AMDSEV);
        List<PageUpdate> steps = LaunchDigestCalculator.compute(LaunchInput.builder(GuestMode.SNP, fw).vcpus(4)
                .signature(EPYC_V4).build(), true).trace();
        Digest two = snp(AMDSEV, 2).launchDigest();
        assertEquals(two, steps.get(steps.size() - 3).launchDigest());
        assertEquals(PageType.VMSA, steps.getLast().type());
        assertEquals(0xFFFFFFFFF000L, steps.getLast().gpa());
    }

    @Test
    void intermediates_firmwareDigestAndUpdateCount() throws MeasureException {
        LaunchMeasurement m = snp(AMDSEV, 4);
        // snp:ovmf-hash of this firmware from the reference (vectors.json, snpovmfhash_amdsev).
        assertEquals("9d0dd8be18c86e3fe3bf0038ed75ebf5340bee69fd2632c8ff9409964575960ae1f7e84be387d2e3467bc3508d1e4806",
                m.firmwareDigest().orElseThrow().hex());
        // 1024 firmware pages; sections 9+3+1+1+1+31+1 pages; 4 VMSAs.
        assertEquals(1024 + 47 + 4, m.pageUpdates());
        assertEquals(0x0080B004L, m.apResetEip().orElseThrow());
        assertEquals(2, m.vmsaDigests().size());
    }

    @Test
    void splitAtFirmware_givesTheSameDigest() throws MeasureException {
        var fw = OvmfImage.parse("fw.fd", AMDSEV);
        SevHashTable table = SevHashTable.of(new byte[] {1, 2, 3}, null, "console=ttyS0");
        Digest whole = LaunchDigestCalculator.compute(LaunchInput.builder(GuestMode.SNP, fw).vcpus(3).signature(EPYC_V4)
                .kernelHashes(table).build()).launchDigest();
        Digest split = LaunchDigestCalculator.compute(LaunchInput.builder(GuestMode.SNP, fw).vcpus(3).signature(EPYC_V4)
                .kernelHashes(table).firmwareHash(LaunchDigestCalculator.firmwareDigest(fw)).build()).launchDigest();
        assertEquals(whole, split);
        Digest other = LaunchDigestCalculator.compute(LaunchInput.builder(GuestMode.SNP, fw).vcpus(3).signature(EPYC_V4)
                .kernelHashes(table).firmwareHash(Digest.compute(HashAlgorithm.SHA384, new byte[0])).build()).launchDigest();
        assertTrue(!whole.equals(other), "a different firmware digest must change the launch digest");
    }

    @Test
    void trace_isRecordedOnlyOnRequest() throws Exception {
        var input = LaunchInput.builder(GuestMode.SNP, OvmfImage.parse("fw.fd", AMDSEV)).vcpus(1).signature(EPYC_V4).build();
        assertTrue(LaunchDigestCalculator.compute(input).trace().isEmpty());
        List<PageUpdate> t = new ArrayList<>(LaunchDigestCalculator.compute(input, true).trace());
        assertEquals(1024 + 47 + 1, t.size());
        assertEquals(new PageUpdate(0, PageType.NORMAL, 0xFFC00000L,
                Digest.of(HashAlgorithm.SHA384, java.security.MessageDigest.getInstance("SHA-384")
                        .digest(Arrays.copyOf(AMDSEV, 4096))), t.get(0).launchDigest()), t.get(0));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    static {
        // Guard the named variants: if the fixture changed, the offsets above would mean nothing.
        try {
            if (!java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(AMDSEV))
                    .equals("3e4fd0b3fe3b2dbe481c3d9e99418a034174f26cbe1f55aa212b0f18c12d2d6f")) {
                throw new AssertionError("OVMF.amdsev.sid.fd is not the fixture these variants were written for");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
