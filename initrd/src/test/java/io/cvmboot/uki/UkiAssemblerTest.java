package io.cvmboot.uki;

import static io.cvmboot.uki.UkiVectors.resource;
import static io.cvmboot.uki.UkiVectors.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.pe.PeSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected bytes: ukify's layout functions (systemd commit 0010d39a, python3-pefile 2023.2.7) run on
 * the same inputs; see src/test/resources/uki/README.md for the commands and digests.
 */
class UkiAssemblerTest {

    private static UkiSpec.Builder base(String stub, byte[] linux) {
        return UkiSpec.builder().stub(resource(stub)).linux(linux).osRelease(resource("os-release"));
    }

    @Test
    void assemble_stub252_allOptionalSections_equalsUkify() throws Exception {
        Uki uki = UkiAssembler.assemble(base("stub252.efi", resource("stub257.efi"))
                .initrd(resource("initrd-a.bin"))
                .cmdline(resource("cmdline.txt"))
                .dtb(resource("dtb.bin"))
                .pcrpkey(resource("pcrpkey.pem"))
                .sbat(resource("sbat.csv"))
                .build());
        assertEquals(165888, uki.bytes().length);
        assertEquals("9f9cf17b7913a43f080a0313df6cdd2d93ef1047883a8b072014ccfb29646c68", sha256(uki.bytes()));
        assertTrue(uki.uname().isEmpty(), "a non-bzImage kernel has no version string");
    }

    @Test
    void assemble_stub254_splashAndGivenUname_equalsUkify() throws Exception {
        Uki uki = UkiAssembler.assemble(base("stub254.efi", resource("stub257.efi"))
                .initrd(resource("initrd-b.bin"))
                .cmdline("x")
                .splash(resource("splash.bmp"))
                .uname("1.2.3")
                .build());
        assertEquals("7f4189ad79a20b382196f270e0c0b1918f48c2952592f17287b782071aedf9f6", sha256(uki.bytes()));
    }

    @Test
    void assemble_stub257_twoInitrds_equalsUkify() throws Exception {
        Uki uki = UkiAssembler.assemble(base("stub257.efi", resource("stub254.efi"))
                .initrd(resource("initrd-a.bin"))
                .initrd(resource("initrd-b.bin"))
                .cmdline("a b")
                .build());
        assertEquals("141653d7a7f55601cdceb28afb8627a158f91d61bb6f854edd77d997cc059858", sha256(uki.bytes()));
    }

    @Test
    void assemble_debianKernel_withEachStub_equalsUkify() throws Exception {
        var kernel = UkiVectors.testKernel();
        assumeTrue(kernel.isPresent(), UkiVectors.NO_KERNEL);
        byte[] vmlinuz = Files.readAllBytes(kernel.get());
        Uki k252 = UkiAssembler.assemble(base("stub252.efi", vmlinuz)
                .initrd(resource("initrd-a.bin"))
                .initrd(resource("initrd-b.bin"))
                .cmdline("console=ttyS0   quiet  panic=-1")
                .build());
        assertEquals("72a5d9e996efef4185c82cf19a59b1076f9ea4c4dbeb21425ef02c77848a4672", sha256(k252.bytes()));
        assertEquals("6.1.0-56-cloud-amd64", k252.uname().orElseThrow());
        Uki k254 = UkiAssembler.assemble(base("stub254.efi", vmlinuz)
                .initrd(resource("initrd-a.bin"))
                .cmdline(resource("cmdline.txt"))
                .build());
        assertEquals("6c2521a951964e1d425696476b0cc11977b7c504e5dc9069220fe44eccf6b465", sha256(k254.bytes()));
        Uki k257 = UkiAssembler.assemble(base("stub257.efi", vmlinuz)
                .initrd(resource("initrd-b.bin"))
                .cmdline(resource("cmdline.txt"))
                .uname("6.1.0-test")
                .build());
        assertEquals("ad6951fa0ec44612fe9f5ddf14af22c55789e10ec3736fd8ea25f307b6e3087c", sha256(k257.bytes()));
    }

    @Test
    void assemble_layout_sectionsAlignedAndHeadersUpdated() throws Exception {
        Uki uki = UkiAssembler.assemble(base("stub252.efi", resource("stub257.efi"))
                .initrd(resource("initrd-a.bin"))
                .cmdline("console=ttyS0")
                .build());
        PeImage pe = PeImage.parse("uki", uki.bytes());
        PeImage stub = PeImage.parse("stub", resource("stub252.efi"));
        assertEquals(List.of(".text", ".reloc", ".data", ".dynamic", ".rela", ".dynsym", ".sbat", ".sdmagic",
                ".osrel", ".cmdline", ".initrd", ".linux"),
                pe.sections().stream().map(PeSection::name).toList());
        assertEquals(uki.sections(), pe.sections().stream().map(PeSection::name).toList());
        long fa = pe.optionalHeader().fileAlignment();
        long sa = pe.optionalHeader().sectionAlignment();
        PeSection previous = null;
        for (PeSection s : pe.sections().subList(8, pe.sections().size())) {
            assertEquals(0, s.pointerToRawData() % fa, s.name());
            assertEquals(0, s.sizeOfRawData() % fa, s.name());
            assertEquals(0, s.virtualAddress() % sa, s.name());
            if (previous != null) {
                assertEquals(PeEditor.roundUp(previous.endOfVirtual(), sa), s.virtualAddress(), s.name());
            }
            previous = s;
        }
        PeSection linux = pe.section(".linux").orElseThrow();
        assertEquals(PeImage.parse("k", resource("stub257.efi")).optionalHeader().sizeOfImage(), linux.virtualSize());
        assertEquals(UkiAssembler.LINUX_SECTION, linux.characteristics());
        assertEquals(UkiAssembler.DATA_SECTION, pe.section(".osrel").orElseThrow().characteristics());
        assertEquals(PeEditor.roundUp(linux.endOfVirtual(), sa), pe.optionalHeader().sizeOfImage());
        assertEquals(0, pe.optionalHeader().checkSum());
        assertEquals(0, pe.coffHeader().pointerToSymbolTable(), "COFF symbol table stripped");
        assertEquals(0, pe.coffHeader().timeDateStamp());
        long added = pe.sections().subList(8, pe.sections().size()).stream().mapToLong(PeSection::virtualSize).sum();
        assertEquals(stub.optionalHeader().sizeOfInitializedData() + added, pe.optionalHeader().sizeOfInitializedData());
        assertEquals(stub.optionalHeader().sizeOfCode(), pe.optionalHeader().sizeOfCode());
        assertArrayEquals("console=ttyS0".getBytes(StandardCharsets.US_ASCII), pe.sectionBytes(pe.section(".cmdline").orElseThrow()));
        assertArrayEquals(resource("initrd-a.bin"), pe.sectionBytes(pe.section(".initrd").orElseThrow()));
    }

    @Test
    void assemble_sbat_mergesStubEntriesAndDefaultUkiEntryInPlace() throws Exception {
        Uki uki = UkiAssembler.assemble(base("stub252.efi", resource("stub257.efi")).initrd(resource("initrd-a.bin")).build());
        PeImage pe = PeImage.parse("uki", uki.bytes());
        PeSection sbat = pe.section(".sbat").orElseThrow();
        assertEquals(6, sbat.index(), "merged into the stub's own .sbat, not appended");
        String text = new String(pe.sectionBytes(sbat), StandardCharsets.UTF_8);
        // Kernel (stub257 here) entries come after the 252 stub's, then the default uki line.
        assertTrue(text.endsWith("\n\0"));
        List<String> lines = text.substring(0, text.length() - 1).lines().toList();
        assertEquals(Sbat.HEADER, lines.getFirst());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("sbat,")).count());
        assertTrue(lines.get(1).startsWith("systemd,1,"), text);
        assertTrue(lines.getLast().startsWith("uki,1,UKI,uki,1,"), text);
    }

    @Test
    void assemble_twice_sameBytes() throws Exception {
        UkiSpec spec = base("stub252.efi", resource("stub257.efi")).initrd(resource("initrd-a.bin")).cmdline("a").build();
        assertArrayEquals(UkiAssembler.assemble(spec).bytes(), UkiAssembler.assemble(spec).bytes());
    }

    @Test
    void assemble_cmdlineText_whitespaceCollapsedLikeUkify() throws Exception {
        Uki uki = UkiAssembler.assemble(base("stub252.efi", resource("stub257.efi"))
                .initrd(resource("initrd-a.bin")).cmdline("  a\t\tb \n c\u00a0d ").build());
        PeImage pe = PeImage.parse("uki", uki.bytes());
        assertEquals("a b c d", new String(pe.sectionBytes(pe.section(".cmdline").orElseThrow()), StandardCharsets.UTF_8));
    }

    @Test
    void assemble_emptyPayload_getsNoSection() throws Exception {
        Uki uki = UkiAssembler.assemble(base("stub252.efi", resource("stub257.efi"))
                .initrd(resource("initrd-a.bin")).cmdline("   ").build());
        assertTrue(PeImage.parse("uki", uki.bytes()).section(".cmdline").isEmpty());
    }

    // ---- bad input ----

    @Test
    void assemble_stubWithoutHeaderRoom_namesStubAndSection() {
        // The 252 stub has room for 7 more headers; .osrel .cmdline .dtb .uname .splash .pcrpkey .initrd .linux are 8.
        UkiSpec spec = base("stub252.efi", resource("stub257.efi"))
                .initrd(resource("initrd-a.bin")).cmdline("a").dtb(resource("dtb.bin")).uname("1")
                .splash(resource("splash.bmp")).pcrpkey(resource("pcrpkey.pem")).build();
        ArtefactInputException e = assertThrows(ArtefactInputException.class, () -> UkiAssembler.assemble(spec));
        assertTrue(e.getMessage().startsWith("stub: not enough header space to add section .linux"), e.getMessage());
    }

    @Test
    void assemble_nonPeStub_rejected() {
        UkiSpec spec = UkiSpec.builder().stub(resource("os-release")).linux(resource("stub257.efi")).build();
        ArtefactInputException e = assertThrows(ArtefactInputException.class, () -> UkiAssembler.assemble(spec));
        assertTrue(e.getMessage().startsWith("stub: not a PE image"), e.getMessage());
        assertTrue(e.getMessage().contains("systemd-stub"), e.getMessage());
    }

    @Test
    void assemble_nonPeKernel_rejected() {
        byte[] elf = Arrays.copyOf(new byte[] {0x7f, 'E', 'L', 'F'}, 4096);
        UkiSpec spec = UkiSpec.builder().stub(resource("stub252.efi")).linux(elf).build();
        ArtefactInputException e = assertThrows(ArtefactInputException.class, () -> UkiAssembler.assemble(spec));
        assertTrue(e.getMessage().startsWith("linux: not a PE image"), e.getMessage());
        assertTrue(e.getMessage().contains("CONFIG_EFI_STUB"), e.getMessage());
    }

    @Test
    void assemble_signedStub_rejected() {
        byte[] signed = resource("stub252-sbsign.efi");
        UkiSpec spec = UkiSpec.builder().stub(signed).linux(resource("stub257.efi")).build();
        ArtefactInputException e = assertThrows(ArtefactInputException.class, () -> UkiAssembler.assemble(spec));
        assertTrue(e.getMessage().contains("expected an unsigned systemd-stub, found a signed image"), e.getMessage());
    }

    @Test
    void assemble_sbatTooLargeForStubSection_rejected() {
        StringBuilder csv = new StringBuilder(Sbat.HEADER + "\n");
        for (int i = 0; i < 20; i++) {
            csv.append("component").append(i).append(",1,Example,example,1,https://example.invalid/\n");
        }
        UkiSpec spec = base("stub252.efi", resource("stub257.efi")).initrd(resource("initrd-a.bin"))
                .sbat(csv.toString().getBytes(StandardCharsets.UTF_8)).build();
        ArtefactInputException e = assertThrows(ArtefactInputException.class, () -> UkiAssembler.assemble(spec));
        assertTrue(e.getMessage().startsWith("stub: not enough space in its .sbat section"), e.getMessage());
    }

    @Test
    void assemble_sbatWithoutHeader_rejected() {
        UkiSpec spec = base("stub252.efi", resource("stub257.efi")).initrd(resource("initrd-a.bin"))
                .sbat("uki,1,UKI,uki,1,https://example.invalid/\n".getBytes(StandardCharsets.UTF_8)).build();
        ArtefactInputException e = assertThrows(ArtefactInputException.class, () -> UkiAssembler.assemble(spec));
        assertTrue(e.getMessage().startsWith("sbat: expected SBAT CSV starting with an \"sbat,1,...\" header line"),
                e.getMessage());
    }

    @Test
    void assemble_stubWithUnalignedRawData_isRealigned() throws Exception {
        // Shrink .sbat's SizeOfRawData to 0xe4 (unaligned), as a stripped stub may have: the editor pads it back.
        byte[] stub = resource("stub252.efi");
        PeImage parsed = PeImage.parse("stub", stub);
        PeSection sbat = parsed.section(".sbat").orElseThrow();
        ByteBuffer.wrap(stub).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(sbat.headerOffset() + PeSection.OFFSET_SIZE_OF_RAW_DATA, 0xe4);
        Uki uki = UkiAssembler.assemble(UkiSpec.builder().stub(stub).linux(resource("stub257.efi"))
                .initrd(resource("initrd-a.bin")).osRelease(resource("os-release")).build());
        PeImage pe = PeImage.parse("uki", uki.bytes());
        assertEquals(0x200, pe.section(".sbat").orElseThrow().sizeOfRawData());
        assertEquals(0, pe.section(".sdmagic").orElseThrow().pointerToRawData() % 0x200);
        // Every section's data is where its header says. (ukify gets this case wrong: after realigning
        // it splices the .sbat gap out of the file without moving later PointerToRawData; README.md.)
        assertArrayEquals(parsed.rawData(parsed.section(".sdmagic").orElseThrow()),
                pe.rawData(pe.section(".sdmagic").orElseThrow()));
        assertArrayEquals(resource("os-release"), pe.sectionBytes(pe.section(".osrel").orElseThrow()));
        assertArrayEquals(resource("initrd-a.bin"), pe.sectionBytes(pe.section(".initrd").orElseThrow()));
        assertArrayEquals(resource("stub257.efi"), java.util.Arrays.copyOf(
                pe.rawData(pe.section(".linux").orElseThrow()), resource("stub257.efi").length));
    }
}
