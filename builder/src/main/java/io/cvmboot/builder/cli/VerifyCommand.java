package io.cvmboot.builder.cli;

import io.cvmboot.builder.build.ManifestCheck;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder verify OUT}: the artefacts in OUT against OUT/manifest.json. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks built artefacts against their manifest (size and SHA-256 of each). Exit 3 on a mismatch.")
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OUT", description = "Output directory of builder build.")
    Path out;

    @Override
    public Integer call() throws Exception {
        var findings = ManifestCheck.check(out);
        boolean allOk = true;
        for (var f : findings) {
            spec.commandLine().getOut().printf("%-4s %-28s %s%n", f.ok() ? "ok" : "FAIL", f.artefact(), f.detail());
            allOk &= f.ok();
        }
        return allOk ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
