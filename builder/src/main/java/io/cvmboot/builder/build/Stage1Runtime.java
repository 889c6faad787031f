package io.cvmboot.builder.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The stage1 runtime placed into the initrd.
 *
 * @param directory host directory holding the runtime tree (Java runtime, stage1 jar, AOT cache)
 * @param prefix where the tree goes in the initrd, e.g. /opt/stage1
 * @param command how /init starts stage1 (absolute paths inside the initrd)
 */
public record Stage1Runtime(Path directory, String prefix, List<String> command) {
    public Stage1Runtime {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(prefix, "prefix");
        command = List.copyOf(command);
        if (command.isEmpty() || !command.getFirst().startsWith("/")) {
            throw new IllegalArgumentException("stage1 command must start with an absolute path: " + command);
        }
    }
}
