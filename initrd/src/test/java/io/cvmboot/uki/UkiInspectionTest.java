package io.cvmboot.uki;

import static io.cvmboot.uki.UkiVectors.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.pe.PeImage;
import org.junit.jupiter.api.Test;

class UkiInspectionTest {
    @Test
    void of_sbsignedStub_reportsOsslsigncodeDigestsAndMatchingSignature() throws Exception {
        UkiInspection i = UkiInspection.of("signed", resource("stub252-sbsign.efi"));
        // Expected values: osslsigncode 2.9 (measure/src/test/resources/pe/README.md).
        assertEquals("32cab00c99673e8b50d5d7f7602b2f8fdb5138aba67d1d2e422fdc8464310bc1",
                i.authenticode(HashAlgorithm.SHA256).orElseThrow().hex());
        assertEquals("0b4cba7c379b102660124ab6826d57c522d0685508ef7f5772230ee4ca0b7fbd4caee5211cae967812138b9b6a091da2",
                i.authenticode(HashAlgorithm.SHA384).orElseThrow().hex());
        assertEquals(1, i.signatures().size());
        assertTrue(i.signatures().getFirst().matchesImage());
        assertEquals("PE32+, machine 0x8664, subsystem 10", i.format());
    }

    @Test
    void of_tamperedSignedStub_signatureDoesNotMatch() throws Exception {
        byte[] b = resource("stub252-sbsign.efi");
        PeImage pe = PeImage.parse("s", b);
        b[(int) pe.section(".text").orElseThrow().pointerToRawData() + 16] ^= 1;
        assertFalse(UkiInspection.of("tampered", b).signatures().getFirst().matchesImage());
    }

    @Test
    void of_uki_sectionDigestsAndTexts() throws Exception {
        Uki uki = UkiAssembler.assemble(UkiSpec.builder().stub(resource("stub252.efi")).linux(resource("stub257.efi"))
                .osRelease(resource("os-release")).initrd(resource("initrd-a.bin")).cmdline("console=ttyS0").uname("6.1.0-x").build());
        UkiInspection i = UkiInspection.of("uki", uki.bytes());
        var initrd = i.sections().stream().filter(s -> s.header().name().equals(".initrd")).findFirst().orElseThrow();
        assertEquals(Digest.compute(HashAlgorithm.SHA256, resource("initrd-a.bin")), initrd.sha256());
        assertTrue(initrd.text().isEmpty());
        var uname = i.sections().stream().filter(s -> s.header().name().equals(".uname")).findFirst().orElseThrow();
        assertEquals("6.1.0-x", uname.text().orElseThrow());
        assertTrue(i.signatures().isEmpty());
    }

    @Test
    void of_nonPe_rejected() {
        ArtefactInputException e = assertThrows(ArtefactInputException.class, () -> UkiInspection.of("x.txt", resource("os-release")));
        assertTrue(e.getMessage().startsWith("x.txt: not a PE image"), e.getMessage());
    }
}
