package io.cvmboot.builder.boot;

import static io.cvmboot.builder.testing.Prerequisite.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.boot.pcr.GuestTpmReport;
import io.cvmboot.builder.boot.pcr.PcrTestUkis;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.QemuSpec;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.testing.HostFiles;
import io.cvmboot.builder.testing.Needs;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.tpm.EspExtras;
import io.cvmboot.measure.tpm.EventLog;
import io.cvmboot.measure.tpm.EventLogParser;
import io.cvmboot.measure.tpm.EventLogReplay;
import io.cvmboot.measure.tpm.OvmfVarStore;
import io.cvmboot.measure.tpm.PcrPrediction;
import io.cvmboot.measure.tpm.PcrValues;
import io.cvmboot.measure.tpm.Pcrs;
import io.cvmboot.measure.tpm.UkiBootInputs;
import io.cvmboot.measure.tpm.UkiBootPredictor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the PCR predictor against real boots: UKIs built by cvmboot (252 stub with two cmdlines
 * and initrds, 254, 257, and a 252 UKI signed by cvmboot booted with Secure Boot on) are booted by
 * OVMF from an ESP under QEMU (TCG, q35) with swtpm (tpm-crb); a busybox initrd prints the guest's
 * PCRs and event log, and the prediction must equal what the guest's TPM holds for PCR 4, 7, 9, 11
 * and 12 in every bank the TPM has (plus 0-3, 5, 6 when a reference log of the same firmware is
 * given). The guest's event log must also replay to its PCRs 0-15 (10 excepted: IMA extends it
 * after boot, outside the firmware log).
 *
 * <p>Set {@code -Dcvmboot.pcr.captureDir=DIR} to keep each boot's event log, PCRs and UKI (how the
 * fixtures under measure/src/test/resources/tpm/logs were made).
 */
@Needs({QEMU, SWTPM, OVMF, BUSYBOX, TEST_KERNEL})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class) // stub252_cmdlineA runs first: its log is the others' firmware reference
class PcrPredictionBootTest {
    static final List<Integer> UKI_PCRS = List.of(4, 7, 9, 11, 12);
    static final Duration BOOT_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path work; // static: PER_CLASS @BeforeAll needs it before any test

    PcrTestUkis ukis;
    EventLog plainReference;

    @BeforeAll
    void setUp() {
        ukis = new PcrTestUkis(work);
    }

    @Test
    void stub252_cmdlineA_initrdA() throws Exception {
        GuestTpmReport guest = bootAndCheck("252-a");
        // systemd-stub sets StubPcrKernelImage="11" (UTF-16LE) only when it measured into PCR 11.
        assertTrue(guest.variables().getOrDefault("StubPcrKernelImage", "").startsWith("31003100"),
                "StubPcrKernelImage: " + guest.variables());
    }

    @Test
    void stub252_cmdlineB_initrdB_withPcrpkey() throws Exception {
        bootAndCheck("252-b");
    }

    @Test
    void stub252_signed_secureBootOn() throws Exception {
        for (Path p : List.of(HostFiles.OVMF_CODE_SECBOOT, HostFiles.OVMF_VARS_SNAKEOIL)) {
            Assumptions.assumeTrue(Files.isRegularFile(p), p + " absent (package ovmf): Secure Boot boot skipped");
        }
        bootAndCheck("252-secureboot");
    }

    @Test
    void stub252_qemuKernelAppend_loadOptionsInPcr12() throws Exception {
        // QEMU -kernel: OVMF hands -append to the UKI as LoadOptions; with Secure Boot off the stub uses
        // them instead of .cmdline and measures them into PCR 12. OVMF also measures the UKI before
        // ReadyToBoot, changing PCR 4's order (and PCR 1, so no reference log here).
        byte[] uki = ukis.build("252-a");
        String append = "console=ttyS0 quiet panic=-1 from=append\t";
        GuestTpmReport guest = boot("252-append", uki, false, append, EspExtras.NONE);
        UkiBootInputs in = UkiBootInputs.builder("252-append", uki)
                .banks(new ArrayList<>(guest.pcrs().keySet()))
                .vars(OvmfVarStore.parse("vars", Files.readAllBytes(HostFiles.OVMF_VARS)))
                .loadOptions(append)
                .qemuKernelBoot(true)
                .build();
        assertMatches("252-append", UkiBootPredictor.predict(in), guest);
        assertFalse(guest.pcr(HashAlgorithm.SHA256, 12).equals(Pcrs.zero(HashAlgorithm.SHA256)), "PCR 12 was extended");
        assertReplayMatches("252-append", EventLogParser.parse("252-append log", guest.eventLog()), guest);
    }

    @Test
    void stub252_espCredentialsAndSysext() throws Exception {
        bootWithExtras("252-extras", ukis.build("252-a"));
    }

    @Test
    void stub257_espCredentialsAndSysext() throws Exception {
        bootWithExtras("257-extras", ukis.build("257"));
    }

    /**
     * Credentials and a sysext next to the UKI and a global credential in \loader\credentials: the stub
     * measures their cpio archives into PCR 12 and 13 and appends them to the initrd (PCR 9). A file
     * without a known suffix and a dot-file are ignored by the stub.
     */
    private void bootWithExtras(String name, byte[] uki) throws Exception {
        java.util.SortedMap<String, byte[]> extraDir = new java.util.TreeMap<>();
        extraDir.put("b.cred", "second credential\n".getBytes(StandardCharsets.US_ASCII));
        extraDir.put("a.cred", "first credential, odd size".getBytes(StandardCharsets.US_ASCII));
        extraDir.put("tools.raw", new byte[] {0x68, 0x73, 0x71, 0x73, 1, 2, 3});
        extraDir.put("notes.txt", "not picked up".getBytes(StandardCharsets.US_ASCII));
        extraDir.put(".hidden.cred", "skipped: dot-file".getBytes(StandardCharsets.US_ASCII));
        java.util.SortedMap<String, byte[]> global = new java.util.TreeMap<>();
        global.put("site.cred", "global".getBytes(StandardCharsets.US_ASCII));
        EspExtras extras = new EspExtras(extraDir, global);
        GuestTpmReport guest = boot(name, uki, false, null, extras);
        UkiBootInputs in = UkiBootInputs.builder(name, uki)
                .banks(new ArrayList<>(guest.pcrs().keySet()))
                .vars(OvmfVarStore.parse("vars", Files.readAllBytes(HostFiles.OVMF_VARS)))
                .referenceLog(plainReference)
                .espExtras(extras)
                .build();
        PcrPrediction prediction = UkiBootPredictor.predict(in);
        assertTrue(prediction.predicted().contains(13), "PCR 13 predicted: " + prediction.predicted());
        assertMatches(name, prediction, guest);
        assertFalse(guest.pcr(HashAlgorithm.SHA256, 12).equals(Pcrs.zero(HashAlgorithm.SHA256)), "PCR 12 was extended");
        assertFalse(guest.pcr(HashAlgorithm.SHA256, 13).equals(Pcrs.zero(HashAlgorithm.SHA256)), "PCR 13 was extended");
        assertReplayMatches(name, EventLogParser.parse(name + " log", guest.eventLog()), guest);
    }

    @Test
    void stub254() throws Exception {
        bootAndCheck("254");
    }

    @Test
    void stub257() throws Exception {
        bootAndCheck("257");
    }

    private GuestTpmReport bootAndCheck(String name) throws Exception {
        byte[] uki = ukis.build(name);
        boolean secureBoot = PcrTestUkis.secureBoot(name);
        GuestTpmReport guest = boot(name, uki, secureBoot, null, EspExtras.NONE);
        EventLog guestLog = EventLogParser.parse(name + " event log", guest.eventLog());
        if (plainReference == null && !secureBoot) {
            plainReference = guestLog;
        }
        assertPredicted(name, uki, guest, secureBoot);
        assertReplayMatches(name, guestLog, guest);
        return guest;
    }

    /** Boots {@code uki} from an ESP, or with QEMU -kernel when {@code append} is given. */
    private GuestTpmReport boot(String name, byte[] uki, boolean secureBoot, String append, EspExtras extras)
            throws Exception {
        Path dir = work.resolve(name);
        QemuSpec.Builder spec = QemuSpec.builder()
                .ovmf(secureBoot ? HostFiles.OVMF_CODE_SECBOOT : HostFiles.OVMF_CODE,
                        secureBoot ? HostFiles.OVMF_VARS_SNAKEOIL : HostFiles.OVMF_VARS)
                .secureBoot(secureBoot);
        if (append == null) {
            Path esp = dir.resolve("esp");
            Files.createDirectories(esp.resolve("EFI/BOOT"));
            Files.write(esp.resolve("EFI/BOOT/BOOTX64.EFI"), uki);
            for (var f : extras.ukiExtraDir().entrySet()) {
                Path d = Files.createDirectories(esp.resolve("EFI/BOOT/BOOTX64.EFI.extra.d"));
                Files.write(d.resolve(f.getKey()), f.getValue());
            }
            for (var f : extras.globalCredentials().entrySet()) {
                Path d = Files.createDirectories(esp.resolve("loader/credentials"));
                Files.write(d.resolve(f.getKey()), f.getValue());
            }
            spec.esp(esp);
        } else {
            Files.createDirectories(dir);
            spec.kernel(Files.write(dir.resolve("uki.efi"), uki), null, append);
        }
        BootResult result;
        try (Swtpm tpm = Swtpm.start(dir.resolve("tpm"))) {
            result = Qemu.boot(spec.tpm(tpm).build(), BOOT_TIMEOUT, line -> line.strip().equals(GuestTpmReport.DONE));
        }
        assertTrue(result.stopped(), name + ": the guest did not finish (timed out: " + result.timedOut() + ")\nserial:\n"
                + result.serial() + "\nqemu:\n" + result.qemuErrors());
        GuestTpmReport report = GuestTpmReport.parse(result.serial());
        capture(name, uki, report);
        return report;
    }

    private void assertPredicted(String name, byte[] uki, GuestTpmReport guest, boolean secureBoot) throws Exception {
        List<HashAlgorithm> banks = new ArrayList<>(guest.pcrs().keySet());
        Path vars = PcrTestUkis.vars(name);
        UkiBootInputs.Builder inputs = UkiBootInputs.builder(name, uki)
                .banks(banks)
                .vars(OvmfVarStore.parse(vars.toString(), Files.readAllBytes(vars)));
        if (!secureBoot) {
            inputs.referenceLog(plainReference); // firmware PCRs from the first boot on the same firmware
        }
        PcrPrediction prediction = UkiBootPredictor.predict(inputs.build());
        assertEquals(secureBoot, prediction.secureBoot(), name + ": Secure Boot state derived from the VARS");
        assertMatches(name, prediction, guest);
    }

    private static void assertMatches(String name, PcrPrediction prediction, GuestTpmReport guest) {
        List<HashAlgorithm> banks = new ArrayList<>(guest.pcrs().keySet());
        assertTrue(prediction.predicted().containsAll(UKI_PCRS), name + ": predicted " + prediction.predicted());
        PcrValues predicted = prediction.values();
        List<String> mismatches = new ArrayList<>();
        for (HashAlgorithm bank : banks) {
            for (int pcr : prediction.predicted()) {
                Digest expected = guest.pcr(bank, pcr);
                Digest actual = predicted.get(bank, pcr).orElseThrow();
                if (!expected.equals(actual)) {
                    mismatches.add(bank.label() + " PCR " + pcr + ": guest " + expected.hex() + ", predicted " + actual.hex());
                }
            }
        }
        assertTrue(mismatches.isEmpty(), name + ": prediction differs from the guest:\n" + String.join("\n", mismatches));
        assertFalse(guest.pcr(HashAlgorithm.SHA256, 4).equals(Pcrs.zero(HashAlgorithm.SHA256)), "PCR 4 was extended");
    }

    private static void assertReplayMatches(String name, EventLog log, GuestTpmReport guest) throws Exception {
        List<HashAlgorithm> banks = new ArrayList<>(guest.pcrs().keySet());
        PcrValues replayed = EventLogReplay.replay(log, banks);
        for (HashAlgorithm bank : banks) {
            for (int pcr = 0; pcr <= 15; pcr++) {
                if (pcr == 10) {
                    continue; // IMA's boot_aggregate, extended by the kernel after the firmware log
                }
                Digest fromLog = replayed.get(bank, pcr).orElse(Pcrs.resetValue(bank, pcr));
                assertEquals(guest.pcr(bank, pcr), fromLog, name + ": " + bank.label() + " PCR " + pcr + " replayed from the log");
            }
        }
    }

    private static void capture(String name, byte[] uki, GuestTpmReport report) throws Exception {
        String dir = System.getProperty("cvmboot.pcr.captureDir");
        if (dir == null || dir.isEmpty()) {
            return;
        }
        Path out = Path.of(dir);
        Files.createDirectories(out);
        Files.write(out.resolve(name + ".eventlog.bin"), report.eventLog());
        StringBuilder pcrs = new StringBuilder();
        report.pcrs().forEach((bank, values) -> values.forEach(
                (pcr, d) -> pcrs.append(bank.label()).append(' ').append(pcr).append(' ').append(d.hex()).append('\n')));
        Files.writeString(out.resolve(name + ".pcrs.txt"), pcrs.toString(), StandardCharsets.UTF_8);
        Files.write(out.resolve(name + ".uki.efi"), uki);
    }
}
