package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "verify-report", mixinStandardHelpOptions = true, description = "Verifies an SEV-SNP attestation report.")
public final class VerifyReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder verify-report: not implemented yet");
        return ExitCodes.FAILED;
    }
}
