package io.cvmboot.builder.boot.pcr;

import io.cvmboot.builder.testing.HostFiles;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.uki.AuthenticodeSigner;
import io.cvmboot.uki.SigningIdentity;
import io.cvmboot.uki.UkiAssembler;
import io.cvmboot.uki.UkiSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The UKIs of the PCR boot cases, built the same way by the boot test and by the CLI tests that
 * check predictions against the captured boots (measure/src/test/resources/tpm/logs). UkiAssembler
 * and the initrd builder are reproducible, so the same inputs give the same files.
 */
public final class PcrTestUkis {
    /** The measure module's fixtures: stubs and captured logs (tests run in the builder directory). */
    public static final Path TPM_RESOURCES = Path.of("..", "measure", "src", "test", "resources", "tpm");
    public static final Path SNAKEOIL_KEY = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.key");
    public static final Path SNAKEOIL_CERT = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.pem");
    static final String CMDLINE = "console=ttyS0 quiet panic=-1";

    private final Path work;
    private byte[] vmlinuz;
    private byte[] initrdA;
    private byte[] initrdB;

    /** Skips the caller unless the test kernel and busybox are there; {@code work} holds temporary keys. */
    public PcrTestUkis(Path work) {
        this.work = work;
        TestKernel.assume();
        Assumptions.assumeTrue(Files.isRegularFile(HostFiles.BUSYBOX), "busybox-static absent: PCR UKIs cannot be built");
        Assumptions.assumeTrue(Files.isRegularFile(stubPath(252)), stubPath(252) + " absent");
    }

    public static Path stubPath(int systemd) {
        return TPM_RESOURCES.resolve("stubs/linuxx64.efi.stub." + systemd);
    }

    /** The UKI of a named case: 252-a, 252-b, 254, 257, 252-secureboot. */
    public byte[] build(String name) throws Exception {
        return switch (name) {
            case "252-a" -> UkiAssembler.assemble(base(252).initrd(initrdA()).cmdline(CMDLINE).build()).bytes();
            case "252-b" -> UkiAssembler.assemble(base(252).initrd(initrdB())
                    // Tab, newline and trailing spaces exercise the stub's mangling; .pcrpkey adds a cpio to the initrd.
                    .cmdline("console=ttyS0 quiet\tpanic=-1 foo=bar  \n".getBytes(StandardCharsets.UTF_8))
                    .pcrpkey(Files.readAllBytes(SNAKEOIL_CERT)).build()).bytes();
            case "254" -> UkiAssembler.assemble(base(254).initrd(initrdA()).cmdline(CMDLINE).build()).bytes();
            case "257" -> UkiAssembler.assemble(base(257).initrd(initrdB()).cmdline(CMDLINE + " x=257").build()).bytes();
            case "252-secureboot" -> AuthenticodeSigner.sign("uki", build("252-a"), snakeoil(), HashAlgorithm.SHA256);
            default -> throw new IllegalArgumentException("no PCR test case " + name);
        };
    }

    public static boolean secureBoot(String name) {
        return name.endsWith("secureboot");
    }

    /** The OVMF VARS template the case boots with. */
    public static Path vars(String name) {
        return secureBoot(name) ? HostFiles.OVMF_VARS_SNAKEOIL : HostFiles.OVMF_VARS;
    }

    /** The guest's PCRs recorded for a captured boot. */
    public static Map<HashAlgorithm, Map<Integer, Digest>> capturedPcrs(String name) throws Exception {
        Map<HashAlgorithm, Map<Integer, Digest>> out = new EnumMap<>(HashAlgorithm.class);
        for (String line : Files.readAllLines(TPM_RESOURCES.resolve("logs/" + name + ".pcrs.txt"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            HashAlgorithm bank = HashAlgorithm.fromLabel(f[0]);
            out.computeIfAbsent(bank, b -> new TreeMap<>()).put(Integer.parseInt(f[1]), Digest.ofHex(bank, f[2]));
        }
        return out;
    }

    public static Path capturedLog(String name) {
        return TPM_RESOURCES.resolve("logs/" + name + ".eventlog.bin");
    }

    private UkiSpec.Builder base(int systemd) throws Exception {
        return UkiSpec.builder()
                .stub(Files.readAllBytes(stubPath(systemd)))
                .linux(vmlinuz())
                .osRelease("ID=cvmboot-test\nNAME=\"cvmboot PCR test\"\n".getBytes(StandardCharsets.UTF_8));
    }

    private byte[] vmlinuz() throws Exception {
        if (vmlinuz == null) {
            vmlinuz = Files.readAllBytes(TestKernel.vmlinuz());
        }
        return vmlinuz;
    }

    private byte[] initrdA() throws Exception {
        if (initrdA == null) {
            initrdA = PcrProbeInitrd.build("initrd-a", TestKernel.module("kernel/fs/efivarfs/efivarfs.ko"));
        }
        return initrdA;
    }

    private byte[] initrdB() throws Exception {
        if (initrdB == null) {
            initrdB = PcrProbeInitrd.build("initrd-b, a different one", TestKernel.module("kernel/fs/efivarfs/efivarfs.ko"));
        }
        return initrdB;
    }

    private SigningIdentity snakeoil() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SNAKEOIL_KEY), SNAKEOIL_KEY + " absent (package ovmf)");
        Assumptions.assumeTrue(io.cvmboot.builder.qemu.Tools.onPath("openssl"), "openssl absent: cannot decrypt the snakeoil key");
        Path key = work.resolve("snakeoil.key");
        if (!Files.exists(key)) {
            Process p = new ProcessBuilder("openssl", "pkey", "-in", SNAKEOIL_KEY.toString(), "-passin", "pass:snakeoil",
                    "-out", key.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl pkey failed: " + out);
            }
        }
        return SigningIdentity.fromPem("snakeoil key", Files.readAllBytes(key), "snakeoil certificate",
                Files.readAllBytes(SNAKEOIL_CERT));
    }
}
