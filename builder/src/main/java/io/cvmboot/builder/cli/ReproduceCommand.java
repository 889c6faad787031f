package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, description = "Builds a spec twice in different environments and compares the bytes.")
public final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder reproduce: not implemented yet");
        return ExitCodes.FAILED;
    }
}
