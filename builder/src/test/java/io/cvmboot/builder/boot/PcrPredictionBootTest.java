package io.cvmboot.builder.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.boot.pcr.GuestTpmReport;
import io.cvmboot.builder.boot.pcr.PcrProbeInitrd;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.QemuSpec;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.tpm.EventLog;
import io.cvmboot.measure.tpm.EventLogParser;
import io.cvmboot.measure.tpm.EventLogReplay;
import io.cvmboot.measure.tpm.OvmfVarStore;
import io.cvmboot.measure.tpm.PcrPrediction;
import io.cvmboot.measure.tpm.PcrValues;
import io.cvmboot.measure.tpm.Pcrs;
import io.cvmboot.measure.tpm.UkiBootInputs;
import io.cvmboot.measure.tpm.UkiBootPredictor;
import io.cvmboot.uki.AuthenticodeSigner;
import io.cvmboot.uki.SigningIdentity;
import io.cvmboot.uki.UkiAssembler;
import io.cvmboot.uki.UkiSpec;
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
 * Proves the PCR predictor against real boots: UKIs built by cvmboot (252, 254 and 257 stubs,
 * Secure Boot off and on) are booted by OVMF from an ESP under QEMU (TCG, q35) with swtpm
 * (tpm-crb); a busybox initrd prints the guest's PCRs and event log, and the prediction must
 * equal what the guest's TPM holds for PCR 4, 7, 9, 11 and 12 in every bank the TPM has. The
 * guest's event log must also replay to its PCRs 0-15 (10 excepted: IMA extends it after boot,
 * outside the firmware log).
 *
 * <p>Set {@code -Dcvmboot.pcr.captureDir=DIR} to keep each boot's event log and PCRs (how the
 * fixtures under measure/src/test/resources/tpm/logs were made).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class) // stub252_cmdlineA runs first: its log is the others' firmware reference
class PcrPredictionBootTest {
    static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    static final Path OVMF_CODE_SECBOOT = Path.of("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd");
    static final Path OVMF_VARS_SNAKEOIL = Path.of("/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd");
    static final Path SNAKEOIL_KEY = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.key");
    static final Path SNAKEOIL_CERT = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.pem");
    /** The stubs committed for the measure tests (252 = Debian bookworm's, 254/257 from Debian packages). */
    static final Path STUBS = Path.of("..", "measure", "src", "test", "resources", "tpm", "stubs");
    static final List<Integer> UKI_PCRS = List.of(4, 7, 9, 11, 12);
    static final Duration BOOT_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path work;

    byte[] vmlinuz;
    byte[] initrdA;
    byte[] initrdB;
    EventLog plainReference;

    @BeforeAll
    void setUp() throws Exception {
        Assumptions.assumeTrue(Qemu.available(), "qemu-system-x86_64 not on the PATH: boot tests skipped");
        Assumptions.assumeTrue(Swtpm.available(), "swtpm not on the PATH: boot tests skipped");
        TestKernel.assume();
        for (Path p : List.of(OVMF_CODE, OVMF_VARS, PcrProbeInitrd.BUSYBOX, STUBS.resolve("linuxx64.efi.stub.252"))) {
            Assumptions.assumeTrue(Files.isRegularFile(p), p + " absent (packages ovmf, busybox-static): boot tests skipped");
        }
        vmlinuz = Files.readAllBytes(TestKernel.vmlinuz());
        Path efivarfs = TestKernel.module("kernel/fs/efivarfs/efivarfs.ko");
        initrdA = PcrProbeInitrd.build("initrd-a", efivarfs);
        initrdB = PcrProbeInitrd.build("initrd-b, a different one", efivarfs);
    }

    @Test
    void stub252_cmdlineA_initrdA() throws Exception {
        byte[] uki = UkiAssembler.assemble(base(252).initrd(initrdA).cmdline("console=ttyS0 quiet panic=-1").build()).bytes();
        GuestTpmReport guest = boot("252-a", uki, false);
        plainReference = EventLogParser.parse("252-a log", guest.eventLog());
        assertPredicted("252-a", uki, guest, false, OVMF_VARS);
        // systemd-stub sets StubPcrKernelImage="11" (UTF-16LE) only when it measured into PCR 11.
        assertTrue(guest.variables().getOrDefault("StubPcrKernelImage", "").startsWith("31003100"),
                "StubPcrKernelImage: " + guest.variables());
    }

    @Test
    void stub252_cmdlineB_initrdB_withPcrpkey() throws Exception {
        // Tab, newline and trailing spaces exercise the stub's command-line mangling; .pcrpkey adds a cpio to the initrd.
        byte[] cmdline = "console=ttyS0 quiet\tpanic=-1 foo=bar  \n".getBytes(StandardCharsets.UTF_8);
        byte[] pcrpkey = Files.readAllBytes(SNAKEOIL_CERT);
        byte[] uki = UkiAssembler.assemble(base(252).initrd(initrdB).cmdline(cmdline).pcrpkey(pcrpkey).build()).bytes();
        GuestTpmReport guest = boot("252-b", uki, false);
        assertPredicted("252-b", uki, guest, false, OVMF_VARS);
    }

    @Test
    void stub254() throws Exception {
        byte[] uki = UkiAssembler.assemble(base(254).initrd(initrdA).cmdline("console=ttyS0 quiet panic=-1").build()).bytes();
        GuestTpmReport guest = boot("254", uki, false);
        assertPredicted("254", uki, guest, false, OVMF_VARS);
    }

    @Test
    void stub257() throws Exception {
        byte[] uki = UkiAssembler.assemble(base(257).initrd(initrdB).cmdline("console=ttyS0 quiet panic=-1 x=257").build())
                .bytes();
        GuestTpmReport guest = boot("257", uki, false);
        assertPredicted("257", uki, guest, false, OVMF_VARS);
    }

    @Test
    void stub252_signed_secureBootOn() throws Exception {
        for (Path p : List.of(OVMF_CODE_SECBOOT, OVMF_VARS_SNAKEOIL, SNAKEOIL_KEY, SNAKEOIL_CERT)) {
            Assumptions.assumeTrue(Files.isRegularFile(p), p + " absent (package ovmf): Secure Boot boot skipped");
        }
        byte[] unsigned = UkiAssembler.assemble(base(252).initrd(initrdA).cmdline("console=ttyS0 quiet panic=-1").build()).bytes();
        byte[] uki = AuthenticodeSigner.sign("uki", unsigned, snakeoil(), HashAlgorithm.SHA256);
        GuestTpmReport guest = boot("252-secureboot", uki, true);
        assertPredicted("252-secureboot", uki, guest, true, OVMF_VARS_SNAKEOIL);
    }

    private UkiSpec.Builder base(int systemd) throws Exception {
        return UkiSpec.builder()
                .stub(Files.readAllBytes(STUBS.resolve("linuxx64.efi.stub." + systemd)))
                .linux(vmlinuz)
                .osRelease("ID=cvmboot-test\nNAME=\"cvmboot PCR test\"\n".getBytes(StandardCharsets.UTF_8));
    }

    private GuestTpmReport boot(String name, byte[] uki, boolean secureBoot) throws Exception {
        Path dir = work.resolve(name);
        Path esp = dir.resolve("esp");
        Files.createDirectories(esp.resolve("EFI/BOOT"));
        Files.write(esp.resolve("EFI/BOOT/BOOTX64.EFI"), uki);
        QemuSpec.Builder spec = QemuSpec.builder()
                .ovmf(secureBoot ? OVMF_CODE_SECBOOT : OVMF_CODE, secureBoot ? OVMF_VARS_SNAKEOIL : OVMF_VARS)
                .secureBoot(secureBoot)
                .esp(esp);
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

    private void assertPredicted(String name, byte[] uki, GuestTpmReport guest, boolean secureBoot, Path vars)
            throws Exception {
        List<HashAlgorithm> banks = new ArrayList<>(guest.pcrs().keySet());
        UkiBootInputs.Builder inputs = UkiBootInputs.builder(name, uki)
                .banks(banks)
                .vars(OvmfVarStore.parse(vars.toString(), Files.readAllBytes(vars)));
        if (!secureBoot && plainReference != null) {
            inputs.referenceLog(plainReference); // firmware PCRs of another boot on the same firmware
        }
        PcrPrediction prediction = UkiBootPredictor.predict(inputs.build());
        assertEquals(secureBoot, prediction.secureBoot(), name + ": Secure Boot state derived from the VARS");
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
        assertTrue(mismatches.isEmpty(), name + ": prediction differs from the guest:\n" + String.join("\n", mismatches)
                + "\nguest log replay for comparison: " + EventLogReplay.replay(EventLogParser.parse(name, guest.eventLog()))
                        .bank(HashAlgorithm.SHA256));

        // The captured log must replay to the guest's PCRs 0-15 (10: IMA, after the firmware log).
        PcrValues replayed = EventLogReplay.replay(EventLogParser.parse(name + " event log", guest.eventLog()), banks);
        for (HashAlgorithm bank : banks) {
            for (int pcr = 0; pcr <= 15; pcr++) {
                if (pcr == 10) {
                    continue;
                }
                Digest fromLog = replayed.get(bank, pcr).orElse(Pcrs.resetValue(bank, pcr));
                assertEquals(guest.pcr(bank, pcr), fromLog, name + ": " + bank.label() + " PCR " + pcr + " replayed from the log");
            }
        }
        assertFalse(guest.pcr(HashAlgorithm.SHA256, 4).equals(Pcrs.zero(HashAlgorithm.SHA256)), "PCR 4 was extended");
    }

    private SigningIdentity snakeoil() throws Exception {
        Assumptions.assumeTrue(io.cvmboot.builder.qemu.Tools.onPath("openssl"), "openssl absent: cannot decrypt the snakeoil key");
        Path key = work.resolve("snakeoil.key");
        Process p = new ProcessBuilder("openssl", "pkey", "-in", SNAKEOIL_KEY.toString(), "-passin", "pass:snakeoil",
                "-out", key.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "openssl pkey: " + out);
        return SigningIdentity.fromPem("snakeoil key", Files.readAllBytes(key), "snakeoil certificate",
                Files.readAllBytes(SNAKEOIL_CERT));
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
