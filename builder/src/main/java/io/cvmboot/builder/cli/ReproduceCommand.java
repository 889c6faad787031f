package io.cvmboot.builder.cli;

import io.cvmboot.builder.build.Reproduction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder reproduce [SPEC]}: two builds in different environments, compared byte for byte. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {
            "Builds SPEC (default: the built-in spec) twice in separate processes with different working",
            "directories, TZ, umask, locale and package-cache locations, and compares every artefact.",
            "Prints 'identical' (exit 0) or, per differing artefact, which initrd entry or UKI section",
            "differs (exit 3)."})
public final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "Build spec (default: the built-in spec).")
    Path specFile;

    @Option(names = "--cache", description = "Package cache of the first build (default: the user's cache).")
    Path cache;

    @Option(names = "--keep", description = "Keep the two builds under this directory instead of a temporary one.")
    Path keep;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        if (specFile != null && !Files.isRegularFile(specFile)) {
            throw new UserInputException("spec " + specFile + ": no such file");
        }
        if (cache == null) {
            cache = io.cvmboot.builder.deb.DebCache.defaultDirectory(System.getenv(), System.getProperty("user.home"));
        }
        Path work = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("cvmboot-reproduce-");
        try {
            var differences = Reproduction.run(specFile, cache, work, line -> {
                err.println(line);
                err.flush();
            });
            if (differences.isEmpty()) {
                out.println("identical");
                return ExitCodes.OK;
            }
            differences.forEach(out::println);
            return ExitCodes.CHECK_FAILED;
        } finally {
            if (keep == null) {
                io.cvmboot.builder.FileTrees.deleteQuietly(work);
            }
        }
    }
}
