package io.cvmboot.builder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.builder.Main;
import io.cvmboot.builder.build.Stage1Runtime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * {@code builder boot} inside the boot-test image (dockerfiles/boot-test.Dockerfile: QEMU, OVMF,
 * swtpm, JDK 25), for hosts without those packages. Needs a Docker engine; skips without one
 * (DefaultBuildBootTest covers the same chain with host QEMU).
 */
class ContainerBootTest {

    @Test
    void defaultBuild_bootsToStage2_inTheBootTestImage(@TempDir Path work) throws Exception {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        Assumptions.assumeTrue(docker, "no Docker engine reachable: the container boot test is skipped"
                + " (DefaultBuildBootTest boots the same artefacts with the host's qemu-system-x86_64)");

        Path out = work.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "build", "-o", out.toString()),
                err::toString);
        Path repo = Path.of("..").toAbsolutePath().normalize();
        try (var container = new GenericContainer<>(new ImageFromDockerfile("cvmboot-boot-test", false)
                        .withDockerfile(repo.resolve("dockerfiles/boot-test.Dockerfile")))
                .withFileSystemBind(out.toString(), "/work/out", BindMode.READ_ONLY)
                .withFileSystemBind(repo.toString(), "/cvmboot", BindMode.READ_ONLY)
                .withFileSystemBind(M2.toString(), "/m2", BindMode.READ_ONLY)
                .withCommand("java", "--enable-native-access=ALL-UNNAMED",
                        "-D" + Stage1Runtime.PROPERTY + "=/cvmboot/" + repo.relativize(Path.of(System.getProperty(Stage1Runtime.PROPERTY))),
                        "-cp", containerClassPath(repo), "io.cvmboot.builder.Main",
                        "boot", "/work/out", "--stop-at", "STAGE2-DONE", "--timeout", "600")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(12)))) {
            container.start();
            String logs = container.getLogs();
            assertTrue(logs.contains("STAGE2-DONE"), logs);
        }
    }

    private static final Path M2 = Path.of(System.getProperty("user.home"), ".m2", "repository");

    /** The test class path, rewritten to where the repository and the Maven repository are mounted. */
    private static String containerClassPath(Path repo) {
        StringBuilder cp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            String mapped = p.startsWith(repo) ? "/cvmboot/" + repo.relativize(p)
                    : p.startsWith(M2) ? "/m2/" + M2.relativize(p) : null;
            if (mapped != null) {
                cp.append(cp.isEmpty() ? "" : ":").append(mapped);
            }
        }
        return cp.toString();
    }
}
