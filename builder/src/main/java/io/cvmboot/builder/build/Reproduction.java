package io.cvmboot.builder.build;

import io.cvmboot.builder.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a spec twice, in separate processes that differ in everything a build must not depend on:
 * working directory, TZ, umask, locale and package-cache location. Then compares the outputs.
 */
public final class Reproduction {
    /**
     * One build environment.
     *
     * @param tz time zone
     * @param umask octal umask
     * @param locale LANG and LC_ALL
     */
    public record Environment(String name, String tz, String umask, String locale) {}

    public static final List<Environment> ENVIRONMENTS = List.of(
            new Environment("first", "UTC", "022", "C.UTF-8"),
            new Environment("second", "Pacific/Chatham", "077", "tr_TR.UTF-8"));

    private Reproduction() {}

    /**
     * Runs both builds under {@code work} and returns the differences (empty: reproducible).
     *
     * @param spec the spec file, or null for the built-in default
     * @param cache the package cache of the first build; the second gets a copy elsewhere
     */
    public static List<String> run(Path spec, Path cache, Path work, Consumer<String> progress)
            throws IOException, InterruptedException {
        List<Path> outputs = new ArrayList<>();
        Path cacheCopy = work.resolve("second-cache");
        for (Environment env : ENVIRONMENTS) {
            Path cwd = Files.createDirectories(work.resolve(env.name() + "-cwd"));
            Path out = work.resolve(env.name() + "-out");
            Path useCache = env == ENVIRONMENTS.getFirst() ? cache : cacheCopy;
            if (env != ENVIRONMENTS.getFirst() && cache != null && Files.isDirectory(cache)) {
                FileTrees.copy(cache, cacheCopy);
            }
            progress.accept("reproduce: " + env.name() + " build in " + cwd + " (TZ=" + env.tz() + ", umask "
                    + env.umask() + ", " + env.locale() + ")");
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + env.umask() + " && exec \"$@\"", "sh"));
            cmd.addAll(selfCommand());
            cmd.add("build");
            if (spec != null) {
                cmd.add(spec.toAbsolutePath().toString());
            }
            cmd.addAll(List.of("-o", out.toString()));
            if (useCache != null) {
                cmd.addAll(List.of("--cache", useCache.toAbsolutePath().toString()));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
            Map<String, String> e = pb.environment();
            e.put("TZ", env.tz());
            e.put("LANG", env.locale());
            e.put("LC_ALL", env.locale());
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("the " + env.name() + " build failed:\n" + log.strip());
            }
            outputs.add(out);
        }
        return OutputComparison.compare(outputs.get(0), outputs.get(1));
    }

    /** This JVM and class path running {@code io.cvmboot.builder.Main}. */
    static List<String> selfCommand() {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        String image = System.getProperty(Stage1Runtime.PROPERTY);
        if (image != null) {
            cmd.add("-D" + Stage1Runtime.PROPERTY + "=" + image);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.cvmboot.builder.Main"));
        return List.copyOf(cmd);
    }
}
