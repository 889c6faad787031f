package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "verify-quote", mixinStandardHelpOptions = true, description = "Verifies a TPM quote and event log.")
public final class VerifyQuoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder verify-quote: not implemented yet");
        return ExitCodes.FAILED;
    }
}
