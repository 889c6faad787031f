package io.cvmboot.builder.cli;

import io.cvmboot.initrd.InitrdDiff;
import io.cvmboot.initrd.InitrdReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder initrd diff A B}: entry-level differences; exit 0 when none, 3 otherwise. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Shows entry-level differences between two initrds as the kernel would unpack them",
            "(mode, owner, size, sha256, symlink target, device numbers, mtime, nlink; not inode numbers).",
            "Exit code 0 when they hold the same entries, 3 when they differ."
        })
public final class InitrdDiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A")
    Path first;

    @Parameters(index = "1", paramLabel = "B")
    Path second;

    @Override
    public Integer call() throws Exception {
        List<InitrdDiff.Difference> differences =
                InitrdDiff.compare(InitrdReader.read(first), InitrdReader.read(second));
        PrintWriter out = spec.commandLine().getOut();
        for (InitrdDiff.Difference d : differences) {
            out.println(d.name().isEmpty() ? d.description() : d.name() + ": " + d.description());
        }
        if (differences.isEmpty()) {
            spec.commandLine().getErr().println("initrd diff: no differences");
            return ExitCodes.OK;
        }
        return ExitCodes.CHECK_FAILED;
    }
}
