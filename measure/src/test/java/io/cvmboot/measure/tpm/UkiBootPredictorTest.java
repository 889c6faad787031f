package io.cvmboot.measure.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the predictor refuses and what it leaves unpredicted, on synthetic UKIs. Predicted values
 * themselves are proven against real boots (builder: PcrPredictionBootTest, MeasurePcrCommandTest).
 */
class UkiBootPredictorTest {
    static final String SDMAGIC_252 = "#### LoaderInfo: systemd-stub 252.39-1~deb12u2 ####";

    static byte[] kernel() {
        return new TestPe().section(".text", "kernel code").build(); // MajorImageVersion 1, no setup header
    }

    static TestPe uki(String sdmagic) {
        byte[] k = kernel();
        return new TestPe().section(".sdmagic", sdmagic).section(".osrel", "ID=x\n").section(".cmdline", "quiet")
                .section(".initrd", new byte[] {1, 2, 3}, 3).section(".linux", k, k.length);
    }

    @Test
    void ukiWithoutLinux_isRefused() {
        byte[] pe = new TestPe().section(".sdmagic", SDMAGIC_252).section(".osrel", "ID=x\n").build();
        MeasureException e = assertThrows(MeasureException.class,
                () -> UkiBootPredictor.predict(UkiBootInputs.builder("nolinux.efi", pe).build()));
        assertTrue(e.getMessage().startsWith("nolinux.efi: no .linux section"), e.getMessage());
    }

    @Test
    void unknownStubVersion_isRefused_explicitVersionIsUsed() throws Exception {
        byte[] pe = uki("#### LoaderInfo: systemd-stub 249.11 ####").build();
        MeasureException e = assertThrows(MeasureException.class,
                () -> UkiBootPredictor.predict(UkiBootInputs.builder("old.efi", pe).build()));
        assertTrue(e.getMessage().contains("systemd-stub 249 has no verified PCR model"), e.getMessage());
        PcrPrediction p = UkiBootPredictor.predict(UkiBootInputs.builder("old.efi", pe).systemdVersion(252).build());
        assertEquals(252, p.stub().major());
    }

    @Test
    void noSdmagic_withoutExplicitVersion_isRefused() {
        byte[] k = kernel();
        byte[] pe = new TestPe().section(".linux", k, k.length).build();
        MeasureException e = assertThrows(MeasureException.class,
                () -> UkiBootPredictor.predict(UkiBootInputs.builder("plain.efi", pe).build()));
        assertTrue(e.getMessage().contains("systemd-stub version is unknown"), e.getMessage());
    }

    @Test
    void kernelOfUnknownVersion_leavesPcr9Unpredicted_andFirmwarePcrsWithoutReference() throws Exception {
        PcrPrediction p = UkiBootPredictor.predict(UkiBootInputs.builder("uki.efi", uki(SDMAGIC_252).build())
                .banks(List.of(HashAlgorithm.SHA256, HashAlgorithm.SHA384)).build());
        assertEquals(List.of(4, 11, 12, 13), List.copyOf(p.predicted()));
        assertTrue(p.notPredicted().get(9).contains("only Linux >= 6.1"), p.notPredicted().toString());
        assertTrue(p.notPredicted().containsKey(0) && p.notPredicted().containsKey(7), p.notPredicted().toString());
        assertFalse(p.values().bank(HashAlgorithm.SHA256).containsKey(9), "PCR 9 has no value");
        assertEquals(4, p.events().stream().filter(e -> e.pcr() == 4).count(), "action, separator, UKI, kernel");
        assertEquals(8, p.events().stream().filter(e -> e.pcr() == 11).count(), ".linux .osrel .cmdline .initrd");
        assertEquals(Pcrs.zero(HashAlgorithm.SHA384), p.values().get(HashAlgorithm.SHA384, 12).orElseThrow());
    }

    @Test
    void loadOptions_measuredIntoPcr12_whenSecureBootOff() throws Exception {
        PcrPrediction p = UkiBootPredictor.predict(UkiBootInputs.builder("uki.efi", uki(SDMAGIC_252).build())
                .loadOptions("console=ttyS0\t").build());
        PredictedEvent e = p.events().stream().filter(x -> x.pcr() == 12).findFirst().orElseThrow();
        assertEquals(Pcrs.hash(HashAlgorithm.SHA256, StubCmdline.loadOptions("console=ttyS0")), e.digests().get(HashAlgorithm.SHA256));
    }

    @Test
    void loadOptions_ignoredUnderSecureBootWhenCmdlineEmbedded() throws Exception {
        PcrPrediction p = UkiBootPredictor.predict(UkiBootInputs.builder("uki.efi", uki(SDMAGIC_252).build())
                .secureBoot(true).loadOptions("init=/bin/sh").build());
        assertEquals(Pcrs.zero(HashAlgorithm.SHA256), p.values().get(HashAlgorithm.SHA256, 12).orElseThrow());
        assertEquals(3, p.events().stream().filter(e -> e.pcr() == 4).count(), "no kernel event under Secure Boot");
    }

    @Test
    void qemuKernelBoot_measuresTheUkiBeforeTheBdsAction() throws Exception {
        PcrPrediction p = UkiBootPredictor.predict(UkiBootInputs.builder("uki.efi", uki(SDMAGIC_252).build())
                .qemuKernelBoot(true).build());
        List<Long> types = p.events().stream().filter(e -> e.pcr() == 4).map(PredictedEvent::eventType).toList();
        assertEquals(List.of(TcgEventType.EV_EFI_BOOT_SERVICES_APPLICATION, TcgEventType.EV_EFI_ACTION,
                TcgEventType.EV_SEPARATOR, TcgEventType.EV_EFI_BOOT_SERVICES_APPLICATION), types);
    }

    @Test
    void secureBootVars_unsignedUki_isRefused() throws Exception {
        OvmfVarStore vars = OvmfVarStore.parse("snakeoil", TpmTestResources.read("ovmf/OVMF_VARS_4M.snakeoil.fd.gz"));
        MeasureException e = assertThrows(MeasureException.class, () -> UkiBootPredictor.predict(
                UkiBootInputs.builder("uki.efi", uki(SDMAGIC_252).build()).vars(vars).build()));
        assertTrue(e.getMessage().contains("it is not signed"), e.getMessage());
    }

    @Test
    void legacyHandoverKernel_isRefused() {
        byte[] k = kernel();
        k[0x40 + 4 + 20 + 44] = 0; // MajorImageVersion 0
        byte[] pe = new TestPe().section(".sdmagic", SDMAGIC_252).section(".linux", k, k.length).build();
        MeasureException e = assertThrows(MeasureException.class,
                () -> UkiBootPredictor.predict(UkiBootInputs.builder("old-kernel.efi", pe).build()));
        assertTrue(e.getMessage().contains("MajorImageVersion 0"), e.getMessage());
    }
}
