package io.cvmboot.builder.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.builder.cli.VersionProvider;
import io.cvmboot.builder.deb.DebCache;
import io.cvmboot.builder.spec.BuildSpec;
import io.cvmboot.builder.spec.BuildSpecException;
import io.cvmboot.builder.spec.BuildSpecParser;
import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.MeasureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@code builder build}: the parsed spec and everything resolved around it (SOURCE_DATE_EPOCH,
 * package cache, stage1 runtime), ready to run the {@link BuildPipeline} into a directory.
 */
public final class BuildSession {
    private final BuildSpec spec;
    private final String specName;
    private final byte[] specBytes;
    private final Path specDir;
    private final long sourceDateEpoch;
    private final Path cache;
    private final Consumer<String> progress;

    private BuildSession(BuildSpec spec, String specName, byte[] specBytes, Path specDir, long sourceDateEpoch,
            Path cache, Consumer<String> progress) {
        this.spec = spec;
        this.specName = specName;
        this.specBytes = specBytes;
        this.specDir = specDir;
        this.sourceDateEpoch = sourceDateEpoch;
        this.cache = cache;
        this.progress = progress;
    }

    /**
     * @param specFile the spec, or null for the built-in default
     * @param cache the package cache, or null for the user's
     * @param sourceDateEpoch the command-line override, or null
     * @param environment the process environment (SOURCE_DATE_EPOCH, XDG_CACHE_HOME)
     */
    public static BuildSession open(Path specFile, Path cache, Long sourceDateEpoch, Map<String, String> environment,
            Consumer<String> progress) throws IOException, BuildSpecException {
        byte[] bytes;
        String name;
        Path dir;
        if (specFile == null) {
            bytes = BuildSpecParser.defaultSpecBytes();
            name = "built-in default spec";
            dir = Path.of("").toAbsolutePath();
        } else {
            if (!Files.isRegularFile(specFile)) {
                throw new BuildSpecException("spec " + specFile + ": no such file");
            }
            bytes = Files.readAllBytes(specFile);
            name = specFile.getFileName().toString();
            dir = specFile.toAbsolutePath().getParent();
        }
        BuildSpec spec = new BuildSpecParser().parse(name, bytes);
        long sde = sourceDateEpoch(sourceDateEpoch, spec, environment);
        Path cacheDir = cache != null ? cache : DebCache.defaultDirectory(environment, System.getProperty("user.home"));
        progress.accept("spec: " + name + ", SOURCE_DATE_EPOCH " + sde + ", package cache " + cacheDir);
        return new BuildSession(spec, name, bytes, dir, sde, cacheDir, progress);
    }

    /** Precedence: the command line, the spec, $SOURCE_DATE_EPOCH, 0. */
    static long sourceDateEpoch(Long option, BuildSpec spec, Map<String, String> environment) throws BuildSpecException {
        if (option != null) {
            return option;
        }
        if (spec.sourceDateEpoch() != null) {
            return spec.sourceDateEpoch();
        }
        String env = environment.get("SOURCE_DATE_EPOCH");
        if (env == null || env.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(env.strip());
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BuildSpecException("$SOURCE_DATE_EPOCH: expected seconds since 1970 between 0 and 4294967295, found '" + env + "'");
        }
    }

    public BuildSpec spec() {
        return spec;
    }

    /** Runs the build into {@code staging}. */
    public BuildPipeline.Result run(Path staging)
            throws IOException, BuildInputException, ArtefactInputException, MeasureException {
        try (SpecInputs inputs = new SpecInputs(spec, specDir, cache, progress)) {
            ResolvedFile firmware = inputs.file("firmware", spec.firmware());
            Stage1Runtime stage1 = Stage1Runtime.locate(spec.stage1().aotCache());
            progress.accept("stage1 image: " + stage1.directory());
            var pipeline = new BuildPipeline(inputs, stage1, new UkiPcrPredictor(firmware.bytes()), progress);
            return pipeline.run(new BuildPipeline.Request(spec, specName, specBytes, specDir, sourceDateEpoch,
                    VersionProvider.version()), staging);
        }
    }

    /** The --json result: output directory, artefacts and measurements. */
    public static byte[] resultJson(BuildPipeline.Result result, Path out) throws IOException {
        ObjectNode root = ManifestJson.MAPPER.createObjectNode();
        root.put("output", out.toAbsolutePath().normalize().toString());
        root.put("specSha256", result.specSha256().hex());
        ArrayNode artefacts = root.putArray("artefacts");
        for (Artefact a : result.artefacts()) {
            ObjectNode n = artefacts.addObject();
            n.put("name", a.name());
            n.put("size", a.size());
            n.put("sha256", a.sha256().hex());
        }
        root.set("expected", ManifestJson.MAPPER.readTree(result.expected().toJson()));
        return ManifestJson.bytes(root);
    }
}
