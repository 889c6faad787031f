package io.cvmboot.stage1;

import io.cvmboot.stage1.exec.Native;
import io.cvmboot.stage1.init.NetworkConfig;
import io.cvmboot.stage1.init.SystemSetup;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Entry point. As PID 1 (the kernel ran it as init) stage1 sets up the system and boots stage2, and
 * never returns: on any error it logs, waits so the console can be read, and powers off. Otherwise
 * it runs the mode given on the command line and exits 0 (done), 1 (failed) or 2 (bad usage).
 */
public final class Main {
    /** Time to read the console before power-off. */
    static final Duration FAILURE_PAUSE = Duration.ofSeconds(10);

    private Main() {}

    public static void main(String[] args) {
        Log log = Log.to(System.err);
        if (ProcessHandle.current().pid() == 1) {
            runAsInit(args, log);
        }
        int code = run(args, System.out, log);
        // Not System.exit: it asks for the "java.lang.Runtime" system logger, and finding a logger
        // backend has ServiceLoader open every jar on the class path, which an AOT-cached run
        // otherwise never opens (a few ms per exit). stage1 registers no shutdown hooks and closes
        // its files before run returns.
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Runs a command-line mode; returns only when it did not exec stage2. */
    public static int run(String[] args, PrintStream out, Log log) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Stage1Exception e) {
            log.line("error: " + e.getMessage());
            return 2;
        }
        try {
            new Stage1(options, log, out).run();
            return 0;
        } catch (Stage1Exception e) {
            log.line("error: " + messageChain(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.line("error: interrupted");
            return 1;
        }
    }

    private static void runAsInit(String[] args, Log log) {
        log.line("PID 1: stage1 starting");
        try {
            Options options = Options.parse(args);
            new SystemSetup(log).run(NetworkConfig.load(options.initConfig()));
            new Stage1(options, log, System.out).run();
            throw new Stage1Exception("stage1 finished without starting stage2");
        } catch (Stage1Exception | RuntimeException e) {
            log.line("FATAL: " + messageChain(e));
        } catch (InterruptedException e) {
            log.line("FATAL: interrupted");
        } catch (Throwable t) {
            log.line("FATAL: " + t);
        }
        powerOff(log);
    }

    /** PID 1 must not exit (the kernel would panic): power off, and if even that fails, wait forever. */
    private static void powerOff(Log log) {
        log.line("powering off in " + FAILURE_PAUSE.toSeconds() + " s; stage2 was not started");
        try {
            Native.sync();
            Thread.sleep(FAILURE_PAUSE);
            Stage1Exception refused = Native.powerOff();
            log.line("FATAL: " + refused.getMessage());
        } catch (Throwable t) {
            log.line("FATAL: power-off failed: " + t);
        }
        while (true) {
            try {
                Thread.sleep(Duration.ofHours(1));
            } catch (InterruptedException ignored) {
                // keep PID 1 alive
            }
        }
    }

    static String messageChain(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
                s.append(": ").append(c.getMessage());
            }
        }
        return s.toString();
    }
}
