package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "initrd", mixinStandardHelpOptions = true, description = "Writes a reproducible newc initrd.")
public final class InitrdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder initrd: not implemented yet");
        return ExitCodes.FAILED;
    }
}
