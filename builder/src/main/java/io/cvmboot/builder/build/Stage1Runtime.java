package io.cvmboot.builder.build;

import io.cvmboot.stage1.packaging.Stage1Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The stage1 image the stage1 module's Maven build produces (Stage1Layout: /stage1/runtime, the
 * jars, the AOT cache), copied into the initrd at /, and the kernel command-line fragment that makes
 * its JVM PID 1.
 *
 * @param directory the image directory on the host
 * @param aotCache whether to ship the JVM's AOT cache: a faster start, but its bytes differ between
 *     training runs, so artefacts then reproduce only with the same stage1 image
 */
public record Stage1Runtime(Path directory, boolean aotCache) {
    /** System property (set by bin/builder and the builder's tests) naming the image directory. */
    public static final String PROPERTY = "cvmboot.stage1.image";
    public static final String ENVIRONMENT = "CVMBOOT_STAGE1_IMAGE";

    public Stage1Runtime {
        Objects.requireNonNull(directory, "directory");
    }

    /** The image named by {@value #PROPERTY} or {@value #ENVIRONMENT}, checked to hold the runtime and jar. */
    public static Stage1Runtime locate(boolean aotCache) throws BuildInputException {
        String where = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (where == null || where.isBlank()) {
            throw new BuildInputException("stage1 image: not configured (set -D" + PROPERTY + " or $" + ENVIRONMENT
                    + " to stage1/target/image, which 'mvn package' builds; bin/builder sets it)");
        }
        Path dir = Path.of(where);
        for (String required : new String[] {Stage1Layout.JAVA, Stage1Layout.JAR}) {
            if (!Files.isRegularFile(dir.resolve(required.substring(1)))) {
                throw new BuildInputException("stage1 image " + dir + ": no " + required
                        + " (build it with 'mvn -pl stage1 -am package')");
            }
        }
        return new Stage1Runtime(dir, aotCache);
    }

    /** What the builder appends to the kernel command line: rdinit=JAVA -- FLAGS -jar JAR. */
    public String kernelCommandLine() {
        if (aotCache) {
            return Stage1Layout.kernelCommandLine();
        }
        List<String> flags = Stage1Layout.JVM_FLAGS.stream().filter(f -> !f.startsWith("-XX:AOTCache=")).toList();
        return "rdinit=" + Stage1Layout.JAVA + " -- " + String.join(" ", flags) + " -jar " + Stage1Layout.JAR;
    }

    /** Whether the image file at {@code initrdPath} (e.g. /stage1/stage1.aot) goes into the initrd. */
    public boolean ships(String initrdPath) {
        return aotCache || !initrdPath.equals(Stage1Layout.AOT_CACHE);
    }
}
