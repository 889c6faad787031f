package io.cvmboot.builder.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that {@link DirectRun} may run without picocli once {@link PlainOptionParser} has filled
 * its options: it then has no {@code CommandSpec}, so it is told where to print.
 */
interface DirectRunnable extends Callable<Integer> {
    void useStreams(PrintWriter out, PrintWriter err);
}
