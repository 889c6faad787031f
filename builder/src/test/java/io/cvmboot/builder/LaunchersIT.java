package io.cvmboot.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers users run, bin/builder and bin/sev-snp-measure, as processes from the repository
 * (run by `mvn verify` after package, see the pom): their output equals what the CLI prints in
 * process, errors keep their exit codes, and each leaves the AOT cache it trains. The launchers carry
 * start-up tricks (slim class paths, trained caches, JIT flags, sourced shell libraries) that no
 * in-process test sees.
 */
class LaunchersIT {
    private static final String SNP_FIRMWARE = "measure/src/test/resources/snp/OVMF.amdsev.sid.fd";
    private static Path repository;

    @TempDir
    Path dir;

    @BeforeAll
    static void repository() {
        // The launchers look for their jars in builder/target; a build into another directory has none there.
        assumeTrue("target".equals(System.getProperty("cvmboot.target")),
                "launchers run from builder/target; this build writes to " + System.getProperty("cvmboot.target"));
        repository = Path.of(System.getProperty("cvmboot.repository")).toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(repository.resolve("builder/target/builder-plain.jar")),
                "builder-plain.jar not packaged: run mvn verify");
    }

    private record Run(int code, String out, String err) {}

    private Run launch(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, repository.resolve(command[0]).toString());
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // The JDK running the tests is a JDK 25: the launchers' find-jdk takes $JAVA_HOME.
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Run inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void sevSnpMeasureAndBuilderMeasureSnp_printTheInProcessDigest_andTrainTheirCache() throws Exception {
        String firmware = repository.resolve(SNP_FIRMWARE).toString();
        String[] args = {"--mode", "snp", "--vcpus", "3", "--vcpu-type", "EPYC-Milan", "--ovmf", firmware};
        Run expected = inProcess(concat(new String[] {"measure", "snp"}, args));
        assertEquals(0, expected.code(), expected.err());

        Run dropIn = launch(concat(new String[] {"bin/sev-snp-measure"}, args));
        assertEquals(0, dropIn.code(), dropIn.err());
        assertEquals(expected.out(), dropIn.out());
        Run builder = launch(concat(new String[] {"bin/builder", "measure", "snp"}, args));
        assertEquals(0, builder.code(), builder.err());
        assertEquals(expected.out(), builder.out());
        assertTrue(Files.isRegularFile(repository.resolve("builder/target/sev-snp-measure.aot")),
                "the drop-in's training run left no AOT cache: every run would start without one");
    }

    @Test
    void sevSnpMeasure_badInput_exitCode2_withTheCliMessage() throws Exception {
        String firmware = repository.resolve(SNP_FIRMWARE).toString();
        String[] args = {"--mode", "snp", "--vcpus", "0", "--vcpu-type", "EPYC-v4", "--ovmf", firmware};
        Run expected = inProcess(concat(new String[] {"measure", "snp"}, args));
        Run launched = launch(concat(new String[] {"bin/sev-snp-measure"}, args));
        assertEquals(2, launched.code(), launched.err());
        assertEquals(expected.code(), launched.code());
        assertEquals(expected.err().strip(), launched.err().strip());
        assertEquals("", launched.out());
    }

    @Test
    void builderInitrd_writesTheInProcessBytes_andTrainsItsCache() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/etc"));
        Files.writeString(tree.resolve("hostname"), "cvmboot\n");
        Path expected = dir.resolve("expected.cpio.zst");
        Path launched = dir.resolve("launched.cpio.zst");
        String[] args = {"initrd", "--tree", dir.resolve("tree").toString(), "--compress", "zstd",
            "--source-date-epoch", "1700000000", "-o"};
        Run in = inProcess(concat(args, new String[] {expected.toString()}));
        assertEquals(0, in.code(), in.err());

        Run run = launch(concat(new String[] {"bin/builder"}, concat(args, new String[] {launched.toString()})));
        assertEquals(0, run.code(), run.err());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(launched));
        // "<sha256>  <path>": the same digest, each line naming its own output file.
        assertEquals(in.out().split(" ")[0], run.out().split(" ")[0]);
        assertTrue(Files.isRegularFile(repository.resolve("builder/target/builder.aot")),
                "bin/builder's training run left no AOT cache: a training command failed (AotTraining)");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
