package io.cvmboot.builder.boot.stage1;

import io.cvmboot.stage1.Main;
import io.cvmboot.stage1.packaging.Stage1Layout;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The stage1 image (jlink'd runtime, jars, AOT cache) that Maven's package phase of the stage1
 * module made. Found through where the stage1 classes on the test class path come from: in a
 * reactor run that went through package, that is {@code image/stage1/lib/stage1.jar}.
 */
public final class Stage1Image {
    private Stage1Image() {}

    /** Whether stage1's classes come from the packaged image (runtime, jar and AOT cache side by side). */
    public static boolean built() {
        Path jar = jar();
        Path stage1Dir = jar.getParent() == null ? null : jar.getParent().getParent();
        return jar.getFileName().toString().equals("stage1.jar") && stage1Dir != null
                && Files.isExecutable(stage1Dir.resolve("runtime/bin/java"))
                && Files.isRegularFile(stage1Dir.resolve("stage1.aot"));
    }

    /** The directory holding {@code stage1/} (to be copied to the initrd root); skips the test if unbuilt. */
    public static Path root() {
        Assumptions.assumeTrue(built(), "stage1 image not built (stage1 classes come from " + jar()
                + "): run the package phase, e.g. mvn -pl stage1,builder -am verify");
        return jar().getParent().getParent().getParent();
    }

    private static Path jar() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sanity: the layout constants point into the image. */
    static void check(Path root) {
        if (!Files.isRegularFile(root.resolve(Stage1Layout.JAR.substring(1)))) {
            throw new IllegalStateException("image at " + root + " has no " + Stage1Layout.JAR);
        }
    }
}
