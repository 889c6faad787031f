package io.cvmboot.measure.pe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.measure.MeasureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeImageTest {

    // Expected header values of the Debian 252 stub as printed by `objdump -p -h` (binutils 2.40)
    // and listed in shared notes (initrd-uki-build.md §4).
    @Test
    void parse_debianStub252_headersAsObjdumpShows() throws Exception {
        PeImage pe = PeImage.parse("stub252", PeVectors.resource("stub252.efi"));
        assertEquals(PeFormat.PE32_PLUS, pe.optionalHeader().format());
        assertEquals(CoffHeader.MACHINE_AMD64, pe.coffHeader().machine());
        assertEquals(0, pe.coffHeader().timeDateStamp());
        assertEquals(0x11400, pe.coffHeader().pointerToSymbolTable());
        assertEquals(362, pe.coffHeader().numberOfSymbols());
        assertEquals(0x200, pe.optionalHeader().sectionAlignment());
        assertEquals(0x200, pe.optionalHeader().fileAlignment());
        assertEquals(0x400, pe.optionalHeader().sizeOfHeaders());
        assertEquals(0x19300, pe.optionalHeader().sizeOfImage());
        assertEquals(0xc000, pe.optionalHeader().sizeOfCode());
        assertEquals(0x5000, pe.optionalHeader().sizeOfInitializedData());
        assertEquals(0x4000, pe.optionalHeader().addressOfEntryPoint());
        assertEquals(10, pe.optionalHeader().subsystem());
        assertEquals(0x1aa6c, pe.optionalHeader().checkSum());
        assertFalse(pe.isSigned());
        assertEquals(List.of(".text", ".reloc", ".data", ".dynamic", ".rela", ".dynsym", ".sbat", ".sdmagic"),
                pe.sections().stream().map(PeSection::name).toList());
        PeSection sbat = pe.section(".sbat").orElseThrow();
        assertEquals(0x19000, sbat.virtualAddress());
        assertEquals(0x200, sbat.sizeOfRawData());
        assertEquals(0xe2, sbat.virtualSize());
        assertEquals(0x19100, pe.section(".sdmagic").orElseThrow().virtualAddress());
        assertTrue(pe.section(".linux").isEmpty());
    }

    @Test
    void sectionBytes_areVirtualSizeLong_andStartWithTheSbatHeader() throws Exception {
        PeImage pe = PeImage.parse("stub252", PeVectors.resource("stub252.efi"));
        byte[] sbat = pe.sectionBytes(pe.section(".sbat").orElseThrow());
        assertEquals(0xe2, sbat.length);
        String text = new String(sbat, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("sbat,1,SBAT Version,sbat,1,"), text);
        assertTrue(text.contains("systemd.debian,1,"), text);
        assertEquals(0x200, pe.rawData(pe.section(".sbat").orElseThrow()).length);
    }

    @Test
    void sectionBytes_zeroExtendWhenVirtualSizeExceedsRawSize() throws Exception {
        byte[] b = PeVectors.resource("stub252.efi");
        PeImage pe = PeImage.parse("stub252", b);
        PeSection sbat = pe.section(".sbat").orElseThrow();
        // Patch VirtualSize to 0x300 (> SizeOfRawData 0x200): the loader zero-fills the tail.
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(sbat.headerOffset() + PeSection.OFFSET_VIRTUAL_SIZE, 0x300);
        PeImage patched = PeImage.parse("patched", b);
        byte[] bytes = patched.sectionBytes(patched.section(".sbat").orElseThrow());
        assertEquals(0x300, bytes.length);
        assertArrayEquals(pe.rawData(sbat), Arrays.copyOf(bytes, 0x200));
        assertArrayEquals(new byte[0x100], Arrays.copyOfRange(bytes, 0x200, 0x300));
    }

    @Test
    void parse_signedImage_reportsCertificateTable() throws Exception {
        PeImage pe = PeImage.parse("signed", PeVectors.resource("stub252-sbsign.efi"));
        assertTrue(pe.isSigned());
        DataDirectory t = pe.optionalHeader().certificateTable();
        // sbsign pads the 83,297-byte stub to 83,304 and appends the table there.
        assertEquals(83304, t.virtualAddress());
        assertEquals(pe.length(), t.virtualAddress() + t.size());
    }

    @Test
    void parse_debianKernel_isPe32PlusWithImageVersion1() throws Exception {
        var kernel = PeVectors.testKernel();
        assumeTrue(kernel.isPresent(), "test kernel absent: run ci/fetch-test-kernel.sh (or set CVMBOOT_TEST_KERNEL_DIR)");
        PeImage pe = PeImage.parse("vmlinuz", Files.readAllBytes(kernel.get()));
        assertEquals(PeFormat.PE32_PLUS, pe.optionalHeader().format());
        assertEquals(1, pe.optionalHeader().majorImageVersion());
        assertEquals(0x1000, pe.optionalHeader().sectionAlignment());
        assertEquals(0xdcc000, pe.optionalHeader().sizeOfImage());
        assertTrue(pe.isSigned());
        assertEquals(0xd87200, pe.optionalHeader().certificateTable().virtualAddress());
    }

    @Test
    void parse_nonPe_namesInputAndMagic() {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] padded = Arrays.copyOf(elf, 128);
        MeasureException e = assertThrows(MeasureException.class, () -> PeImage.parse("kernel.elf", padded));
        assertTrue(e.getMessage().startsWith("kernel.elf: not a PE image"), e.getMessage());
        assertTrue(e.getMessage().contains("7f 45 4c 46"), e.getMessage());
    }

    @Test
    void parse_emptyFile_rejected() {
        MeasureException e = assertThrows(MeasureException.class, () -> PeImage.parse("empty", new byte[0]));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    }

    @Test
    void parse_lfanewPastEnd_rejected() throws IOException {
        byte[] b = Arrays.copyOf(PeVectors.resource("stub252.efi"), 0x100);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(PeImage.OFFSET_E_LFANEW, 0x7fff_0000);
        MeasureException e = assertThrows(MeasureException.class, () -> PeImage.parse("stub", b));
        assertTrue(e.getMessage().contains("e_lfanew"), e.getMessage());
    }

    @Test
    void parse_brokenPeSignature_rejected() throws Exception {
        byte[] b = PeVectors.resource("stub252.efi");
        int pe = PeImage.parse("stub", b).peHeaderOffset();
        b[pe + 1] = 'X';
        MeasureException e = assertThrows(MeasureException.class, () -> PeImage.parse("stub", b));
        assertTrue(e.getMessage().contains("PE\\0\\0"), e.getMessage());
    }

    @Test
    void parse_unknownOptionalHeaderMagic_rejected() throws Exception {
        byte[] b = PeVectors.resource("stub252.efi");
        int opt = PeImage.parse("stub", b).optionalHeaderOffset();
        b[opt] = 0x07;
        b[opt + 1] = 0x01; // 0x107 = ROM image
        MeasureException e = assertThrows(MeasureException.class, () -> PeImage.parse("stub", b));
        assertTrue(e.getMessage().contains("found 0x107"), e.getMessage());
    }

    @Test
    void parse_truncatedInsideSectionData_rejected() throws Exception {
        byte[] full = PeVectors.resource("stub252.efi");
        byte[] cut = Arrays.copyOf(full, 0x5000);
        MeasureException e = assertThrows(MeasureException.class, () -> PeImage.parse("stub", cut));
        assertTrue(e.getMessage().contains("runs past the end of the file"), e.getMessage());
    }

    @Test
    void bytes_areACopy() throws Exception {
        PeImage pe = PeImage.parse("stub", PeVectors.resource("stub252.efi"));
        byte[] b = pe.bytes();
        b[0] = 0;
        assertEquals('M', pe.bytes()[0]);
    }
}
