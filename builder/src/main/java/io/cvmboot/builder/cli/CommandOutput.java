package io.cvmboot.builder.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a {@link DirectRunnable} command prints: the writers {@link DirectRun} gave it, or else
 * picocli's (the command then runs under picocli and has its {@code CommandSpec}).
 */
final class CommandOutput {
    private PrintWriter out;
    private PrintWriter err;

    void use(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    PrintWriter out(CommandSpec spec) {
        return out != null ? out : spec.commandLine().getOut();
    }

    PrintWriter err(CommandSpec spec) {
        return err != null ? err : spec.commandLine().getErr();
    }
}
