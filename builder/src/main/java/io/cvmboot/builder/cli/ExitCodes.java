package io.cvmboot.builder.cli;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.MeasureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The documented exit codes, and the mapping from exceptions to one-line user errors. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int CHECK_FAILED = 3;

    private ExitCodes() {}

    /**
     * Prints a one-line error naming the problem; the stack trace only when CVMBOOT_DEBUG is set.
     * Bad input (a {@link UserInputException} or a module's bad-input exception) gives 2,
     * anything else 1.
     */
    public static int handle(Exception ex, CommandLine cli, ParseResult parsed) {
        return report(cli.getCommandSpec().qualifiedName(), cli.getErr(), ex);
    }

    /** {@link #handle} for a command run without picocli ({@link DirectRun}). */
    static int report(String commandName, java.io.PrintWriter err, Exception ex) {
        err.println(commandName + ": " + message(ex));
        if (System.getenv("CVMBOOT_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return isBadInput(ex) ? BAD_INPUT : FAILED;
    }

    static boolean isBadInput(Throwable ex) {
        return ex instanceof UserInputException
                || ex instanceof MeasureException
                || ex instanceof ArtefactInputException
                || ex instanceof io.cvmboot.builder.spec.BuildSpecException
                || ex instanceof io.cvmboot.builder.build.BuildInputException
                || ex instanceof io.cvmboot.builder.deb.PackageException
                || ex instanceof io.cvmboot.builder.build.ManifestCheck.ManifestException
                || ex instanceof java.nio.file.FileAlreadyExistsException
                || ex instanceof java.nio.file.NoSuchFileException;
    }

    private static String message(Throwable ex) {
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (ex instanceof UncheckedIOException u && u.getCause() != null) {
            return message(u.getCause());
        }
        String m = ex.getMessage();
        if (ex instanceof IOException && m != null) {
            return m;
        }
        return m == null ? ex.getClass().getSimpleName() : m;
    }
}
