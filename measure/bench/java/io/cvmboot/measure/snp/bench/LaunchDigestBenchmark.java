package io.cvmboot.measure.snp.bench;

import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.snp.GuestMode;
import io.cvmboot.measure.snp.LaunchDigestCalculator;
import io.cvmboot.measure.snp.LaunchInput;
import io.cvmboot.measure.snp.OvmfImage;
import io.cvmboot.measure.snp.SevHashTable;
import io.cvmboot.measure.snp.VcpuType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The in-process SNP launch digest (4 vCPUs, kernel hashes with the Debian test kernel, the
 * AmdSev firmware) against the floor: hashing every input once (SHA-256 of kernel and initrd,
 * SHA-384 of the firmware). Target: digest / floor within 1.5. Inputs are in memory; both sides
 * start from bytes. Run with measure/bench/run-jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class LaunchDigestBenchmark {
    private byte[] firmware;
    private byte[] kernel;
    private byte[] initrd;
    private static final String CMDLINE = "console=ttyS0 root=/dev/vda rw";

    @Setup
    public void load() throws IOException {
        Path resources = Path.of(System.getProperty("cvmboot.snp.resources", "src/test/resources/snp"));
        Path kernelDir = Path.of(System.getProperty("cvmboot.test.kernel.dir",
                System.getProperty("user.home") + "/.cache/cvmboot/test-kernel"));
        firmware = Files.readAllBytes(resources.resolve("OVMF.amdsev.sid.fd"));
        initrd = Files.readAllBytes(resources.resolve("initrd-small.cpio"));
        kernel = Files.readAllBytes(kernelDir.resolve("vmlinuz"));
    }

    @Benchmark
    public void launchDigest_4vcpu_kernelHashes(Blackhole bh) throws MeasureException {
        OvmfImage fw = OvmfImage.parse("OVMF.amdsev.sid.fd", firmware);
        LaunchInput input = LaunchInput.builder(GuestMode.SNP, fw)
                .vcpus(4)
                .signature(VcpuType.EPYC_V4.signature())
                .kernelHashes(SevHashTable.of(kernel, initrd, CMDLINE))
                .build();
        bh.consume(LaunchDigestCalculator.compute(input).launchDigest());
    }

    @Benchmark
    public void floor_hashEachInputOnce(Blackhole bh) {
        bh.consume(HashAlgorithm.SHA256.newMessageDigest().digest(kernel));
        bh.consume(HashAlgorithm.SHA256.newMessageDigest().digest(initrd));
        bh.consume(HashAlgorithm.SHA384.newMessageDigest().digest(firmware));
    }
}
