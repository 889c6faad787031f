package io.cvmboot.measure.snp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The small value types: GUID encoding, CPU signatures, the hash table layout, int literals. */
class SnpValuesTest {
    @Test
    void efiGuid_usesMixedEndianBytes() {
        // Byte form as in the firmware and in Python's uuid.UUID(...).bytes_le (snp-launch notes §1).
        assertEquals("de82b596b21ff745baeaa366c55a082d", HexFormat.of().formatHex(OvmfFooterTable.FOOTER.efiBytes()));
        assertEquals(OvmfFooterTable.FOOTER, EfiGuid.fromEfiBytes(OvmfFooterTable.FOOTER.efiBytes(), 0));
        assertEquals("06d63894224fc94cb479a793d411fd21", HexFormat.of().formatHex(SevHashTable.TABLE.efiBytes()));
        assertThrows(IllegalArgumentException.class, () -> EfiGuid.of("96b582de-1fb2-45f7-baea-a366c55a082"));
    }

    @Test
    void vcpuSignature_composesFamilyModelStepping() {
        // QEMU CPU model values (snp-launch notes §7.2 table).
        assertEquals(0x00800F12L, VcpuType.EPYC_V4.signature().value());
        assertEquals(0x00830F10L, VcpuType.EPYC_ROME.signature().value());
        assertEquals(0x00A00F11L, VcpuType.EPYC_MILAN.signature().value());
        assertEquals(0x00A10F10L, VcpuType.EPYC_GENOA.signature().value());
        assertEquals(0x00B00F00L, VcpuType.EPYC_TURIN.signature().value());
        assertEquals(0x0E12L, VcpuSignature.of(14, 1, 2).value());
        assertThrows(IllegalArgumentException.class, () -> VcpuSignature.of(25, 1, 16));
        assertThrows(IllegalArgumentException.class, () -> new VcpuSignature(1L << 32));
        assertEquals(16, VcpuType.values().length);
    }

    @Test
    void sevHashTable_layout() {
        Digest k = Digest.compute(HashAlgorithm.SHA256, new byte[] {1});
        Digest i = SevHashTable.noInitrd();
        SevHashTable t = SevHashTable.fromDigests(k, i, "");
        byte[] b = t.toBytes();
        assertEquals(176, b.length);
        assertEquals(168, LittleEndian.u16(b, 16));
        assertArrayEquals(SevHashTable.CMDLINE.efiBytes(), java.util.Arrays.copyOfRange(b, 18, 34));
        assertEquals(50, LittleEndian.u16(b, 34));
        // An empty or absent cmdline hashes the single NUL byte: 6e340b9c…a01d (snp-launch notes §6).
        assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", t.cmdline().hex());
        assertEquals(t.cmdline(), SevHashTable.cmdlineDigest(null));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", i.hex());
        assertArrayEquals(k.bytes(), java.util.Arrays.copyOfRange(b, 118 + 18, 118 + 50));
        assertEquals(0, b[168] | b[175]);
        byte[] page = t.toPage(0xC00);
        assertArrayEquals(b, java.util.Arrays.copyOfRange(page, 0xC00, 0xC00 + 176));
        assertThrows(IllegalArgumentException.class, () -> t.toPage(0xF80));
    }

    @Test
    void intLiterals_followPythonAutoBase() {
        assertEquals(BigInteger.valueOf(33), IntLiterals.parse("0x21"));
        assertEquals(BigInteger.valueOf(33), IntLiterals.parse("33"));
        assertEquals(BigInteger.valueOf(33), IntLiterals.parse("0o41"));
        assertEquals(BigInteger.valueOf(33), IntLiterals.parse("0b100001"));
        assertEquals(BigInteger.ZERO, IntLiterals.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> IntLiterals.parse("021"));
        assertThrows(IllegalArgumentException.class, () -> IntLiterals.parse("0x"));
        assertThrows(IllegalArgumentException.class, () -> IntLiterals.parse("0x-5"));
        assertThrows(IllegalArgumentException.class, () -> IntLiterals.parse("abc"));
    }
}
