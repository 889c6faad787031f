package io.cvmboot.builder;

import io.cvmboot.builder.cli.BootCommand;
import io.cvmboot.builder.cli.BuildCommand;
import io.cvmboot.builder.cli.DirectRun;
import io.cvmboot.builder.cli.EventlogCommand;
import io.cvmboot.builder.cli.ExitCodes;
import io.cvmboot.builder.cli.InitrdCommand;
import io.cvmboot.builder.cli.MeasureCommand;
import io.cvmboot.builder.cli.ReproduceCommand;
import io.cvmboot.builder.cli.UkiCommand;
import io.cvmboot.builder.cli.VerifyCommand;
import io.cvmboot.builder.cli.VerifyQuoteCommand;
import io.cvmboot.builder.cli.VerifyReportCommand;
import io.cvmboot.builder.cli.VersionProvider;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code builder} command line. {@link #run} is the testable entry point: it never exits the
 * JVM and writes only to the given streams.
 */
@Command(
        name = "builder",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Builds confidential-VM boot artefacts reproducibly and computes their measurements.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (for verify commands: every check passed)",
            "1:the job failed (I/O, network, an external tool)",
            "2:unusable input or bad usage (the message names the input)",
            "3:a verification check failed (each failed check is printed)"
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(out, err, args);
        exitWithoutShutdownLogging(code);
    }

    /**
     * Ends the JVM with {@code code}. {@code System.exit} asks for the "java.lang.Runtime" system
     * logger (JDK 17+ logs exits at DEBUG), and finding a logger backend has ServiceLoader open every
     * jar on the class path, which an AOT-cached run otherwise never opens: 15-25 ms on each run of
     * a short command. This CLI registers no shutdown hooks and closes its files before it returns,
     * so it flushes the standard streams and halts.
     */
    static void exitWithoutShutdownLogging(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Runs the CLI with the given arguments and returns the process exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        var direct = DirectRun.tryRun(out, err, args);
        if (direct.isPresent()) {
            return direct.get();
        }
        CommandLine cli = commandLine(out, err, args.length > 0 ? args[0] : null);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The subcommands, in help order. Building picocli's model of every command costs about half a
     * second of start-up, so a run builds only the one it needs (all of them for help and errors).
     */
    private static final List<String> SUBCOMMANDS = List.of("build", "verify", "reproduce", "boot", "initrd", "uki",
            "measure", "eventlog", "verify-report", "verify-quote", "help");

    // A switch, not a map of constructor references: lambdas in static state crash the JDK 25 AOT
    // cache dump of bin/builder ("Metadata ... should have been archived").
    private static Object subcommand(String name) {
        return switch (name) {
            case "build" -> new BuildCommand();
            case "verify" -> new VerifyCommand();
            case "reproduce" -> new ReproduceCommand();
            case "boot" -> new BootCommand();
            case "initrd" -> new InitrdCommand();
            case "uki" -> new UkiCommand();
            case "measure" -> new MeasureCommand();
            case "eventlog" -> new EventlogCommand();
            case "verify-report" -> new VerifyReportCommand();
            case "verify-quote" -> new VerifyQuoteCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, String first) {
        CommandLine cli = new CommandLine(new Main());
        if (first != null && SUBCOMMANDS.contains(first) && !first.equals("help")) {
            cli.addSubcommand(first, subcommand(first));
        } else {
            for (String name : SUBCOMMANDS) {
                cli.addSubcommand(name, subcommand(name));
            }
        }
        cli.setOut(out);
        cli.setErr(err);
        // '--cmdline @FILE' is ours to interpret (the uki command reads the file), not an argument file.
        cli.setExpandAtFiles(false);
        cli.setExecutionExceptionHandler(ExitCodes::handle);
        cli.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine().getErr().println("builder: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return ExitCodes.BAD_INPUT;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
