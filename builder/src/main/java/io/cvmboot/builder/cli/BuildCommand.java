package io.cvmboot.builder.cli;

import io.cvmboot.builder.build.BuildPipeline;
import io.cvmboot.builder.build.BuildSession;
import io.cvmboot.builder.build.OutputDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder build [SPEC] [-o OUT]}: the main job. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {
            "Builds vmlinuz, initrd.img, uki.efi, ovmf.fd, stage1-config.json, manifest.json and",
            "expected-measurement.json from a build spec (YAML or JSON; without SPEC, the built-in default:",
            "Debian bookworm kernel, OVMF and busybox, stage1 with a demo config). Pinned packages are",
            "downloaded once into the cache. Progress goes to stderr, one line per step; --json prints the",
            "result on stdout."})
public final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "Build spec (default: the built-in spec).")
    Path specFile;

    @Option(names = {"-o", "--output"}, defaultValue = "out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace an existing output directory.")
    boolean force;

    @Option(names = "--cache", description = "Package cache (default: $XDG_CACHE_HOME/cvmboot/debs or ~/.cache/cvmboot/debs).")
    Path cache;

    @Option(names = "--source-date-epoch", description = "Overrides the spec's sourceDateEpoch and $SOURCE_DATE_EPOCH.")
    Long sourceDateEpoch;

    @Option(names = "--json", description = "Print the result (artefacts and measurements) as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        BuildSession session = BuildSession.open(specFile, cache, sourceDateEpoch, System.getenv(), line -> {
            err.println(line);
            err.flush();
        });
        BuildPipeline.Result result;
        try (OutputDirectory dir = OutputDirectory.create(out, force)) {
            result = session.run(dir.staging());
            dir.commit();
        }
        err.println("build: done, " + out.toAbsolutePath().normalize());
        if (json) {
            spec.commandLine().getOut().print(new String(BuildSession.resultJson(result, out), java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
