package io.cvmboot.builder.cli;

import io.cvmboot.builder.boot.LocalBoot;
import io.cvmboot.builder.boot.MetadataServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder boot OUT}: a local demo of the whole chain under QEMU with swtpm. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {
            "Boots built artefacts under QEMU (OVMF + uki.efi on a FAT disk) with a swtpm, serving the",
            "stage1 config and stage2 from a loopback server that plays the cloud metadata service at",
            "169.254.169.254. The guest's serial console goes to stdout, progress to stderr.",
            "Exit 0 when the guest powered off, 1 on a timeout or a QEMU failure."})
public final class BootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OUT", description = "Output directory of builder build.")
    Path out;

    @Option(names = "--accel", defaultValue = "tcg", description = "QEMU accelerator (default: ${DEFAULT-VALUE}).")
    String accel;

    @Option(names = "--timeout", defaultValue = "300", description = "Seconds before the guest is stopped (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--memory", defaultValue = "1024", description = "Guest memory in MiB (default: ${DEFAULT-VALUE}).")
    int memoryMiB;

    @Option(names = "--cloud", defaultValue = "AWS", description = "Metadata service to play: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MetadataServer.Cloud cloud;

    @Option(names = "--stop-at", description = "Stop QEMU when a serial line contains this text.")
    String stopAt;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();
        var result = new LocalBoot(out, accel, memoryMiB, cloud).run(Duration.ofSeconds(timeoutSeconds),
                line -> stopAt != null && line.contains(stopAt),
                line -> {
                    stdout.println(line);
                    stdout.flush();
                },
                progress -> {
                    err.println(progress);
                    err.flush();
                });
        if (result.timedOut()) {
            err.println("builder boot: the guest did not finish within " + timeoutSeconds + " s");
            return ExitCodes.FAILED;
        }
        if (!result.stopped() && result.exitCode() != 0) {
            err.println("builder boot: QEMU exited with " + result.exitCode() + ": " + result.qemuErrors().strip());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
