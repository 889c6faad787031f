package io.cvmboot.builder.build;

import io.cvmboot.builder.spec.BuildSpec.FileRef;
import io.cvmboot.measure.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Local inputs ({@code file} + {@code sha256}), relative to the spec's directory, checked against their pin. */
final class LocalFiles {
    private final Path specDir;

    LocalFiles(Path specDir) {
        this.specDir = specDir;
    }

    ResolvedFile file(String role, FileRef ref) throws IOException, BuildInputException {
        Path p = specDir.resolve(ref.file());
        if (!Files.isRegularFile(p)) {
            throw new BuildInputException(role + ": " + p + ": no such file");
        }
        ResolvedFile f = new ResolvedFile(role, p.toString(), Files.readAllBytes(p));
        checkPin(role, f, ref.sha256());
        return f;
    }

    List<ResolvedFile> directory(String role, FileRef ref) throws IOException, BuildInputException {
        Path dir = specDir.resolve(ref.file());
        if (!Files.isDirectory(dir)) {
            throw new BuildInputException(role + ": " + dir + ": not a directory");
        }
        List<ResolvedFile> out = new ArrayList<>();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.filter(Files::isRegularFile)
                    .sorted((a, b) -> java.util.Arrays.compareUnsigned(
                            dir.relativize(a).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            dir.relativize(b).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .toList()) {
                out.add(new ResolvedFile(role, p.toString(), Files.readAllBytes(p)));
            }
        }
        return out;
    }

    /** A pinned input whose digest differs is an error naming both digests; never a warning. */
    static void checkPin(String role, ResolvedFile f, String expected) throws BuildInputException {
        if (expected == null) {
            return;
        }
        Digest actual = f.sha256();
        if (!actual.hex().equals(expected.toLowerCase(Locale.ROOT))) {
            throw new BuildInputException(role + ": " + f.origin() + ": expected sha256 " + expected.toLowerCase(Locale.ROOT)
                    + ", found " + actual.hex());
        }
    }
}
