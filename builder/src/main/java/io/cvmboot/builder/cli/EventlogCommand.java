package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "eventlog", mixinStandardHelpOptions = true, description = "Decodes and replays a binary TPM event log.")
public final class EventlogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder eventlog: not implemented yet");
        return ExitCodes.FAILED;
    }
}
