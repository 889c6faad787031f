package io.cvmboot.builder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code builder measure snp|pcr}: offline measurements. */
@Command(
        name = "measure",
        mixinStandardHelpOptions = true,
        description = "Computes the measurements that the hardware and the TPM will report.",
        subcommands = {MeasureSnpCommand.class, MeasurePcrCommand.class})
public final class MeasureCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
