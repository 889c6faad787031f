package io.cvmboot.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Placeholder until the command lands: says so and fails. */
@Command(name = "snp", mixinStandardHelpOptions = true, description = "Computes the SEV-SNP launch digest (drop-in for sev-snp-measure).")
public final class MeasureSnpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("builder snp: not implemented yet");
        return ExitCodes.FAILED;
    }
}
