package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "build", mixinStandardHelpOptions = true, description = "Builds boot artefacts and golden measurements from a build spec.")
public final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder build: not implemented yet");
        return ExitCodes.FAILED;
    }
}
