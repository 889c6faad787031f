package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "pcr", mixinStandardHelpOptions = true, description = "Predicts the TPM PCR values of a UKI boot.")
public final class MeasurePcrCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder pcr: not implemented yet");
        return ExitCodes.FAILED;
    }
}
