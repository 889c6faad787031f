package io.cvmboot.builder.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that {@link DirectRun} may run without picocli: {@link PlainOptionParser} fills its
 * options through {@link #setPlainOption}, and it is told where to print, having no
 * {@code CommandSpec} then.
 */
interface DirectRunnable extends Callable<Integer> {
    void useStreams(PrintWriter out, PrintWriter err);

    /**
     * Stores one parsed value of the option {@code key} ({@link PlainOption#key}): a Boolean, String,
     * Path, Integer or Long, as the option's {@link PlainOption.Kind} says.
     */
    void setPlainOption(String key, Object value);
}
