package io.cvmboot.builder.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.builder.boot.MetadataServer;
import io.cvmboot.builder.spec.BuildSpec;
import io.cvmboot.measure.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The stage1 config bytes exactly as the VM will receive them (PCR 15 is extended with their
 * digest, so they are produced once, here, and published as stage1-config.json).
 */
public final class Stage1Config {
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Stage1Config() {}

    /**
     * @param spec the spec's stage1 section
     * @param specDir where a configFile is resolved
     * @param stage2 the demo stage2, when the spec has one
     */
    public static byte[] bytes(BuildSpec.Stage1 spec, Path specDir, ResolvedFile stage2) throws IOException {
        if (spec.configFile() != null) {
            return Files.readAllBytes(specDir.resolve(spec.configFile()));
        }
        if (spec.config() != null) {
            return COMPACT.writeValueAsBytes(spec.config());
        }
        return generated(stage2.sha256(), spec.stage2Args());
    }

    /** The built-in demo stage2: a trampoline into the initrd's /bin/busybox (see demo/README.md). */
    public static ResolvedFile demoStage2() throws IOException {
        String resource = "/io/cvmboot/builder/demo/stage2-busybox";
        try (var in = Stage1Config.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("demo stage2 missing from the jar: " + resource);
            }
            return new ResolvedFile("stage2", "builtin:demo/stage2-busybox", in.readAllBytes());
        }
    }

    /** The generated config: stage2 from the local metadata server of builder boot. */
    static byte[] generated(Digest stage2Sha256, List<String> args) {
        ObjectNode root = COMPACT.createObjectNode();
        ObjectNode s2 = root.putObject("_stage2");
        ObjectNode x86 = s2.putObject("x86_64");
        x86.put("url", MetadataServer.STAGE2_URL);
        x86.put("sha256", stage2Sha256.hex());
        var a = s2.putArray("args");
        args.forEach(a::add);
        try {
            return COMPACT.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }
}
