package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "boot", mixinStandardHelpOptions = true, description = "Boots built artefacts under QEMU with swtpm and prints the serial console.")
public final class BootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder boot: not implemented yet");
        return ExitCodes.FAILED;
    }
}
