package io.cvmboot.builder.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * manifest.json: every artefact's size and SHA-256, every input's origin and SHA-256, the spec's
 * digest, SOURCE_DATE_EPOCH and the tool version. Keys are written in a fixed order so that the
 * file itself is reproducible.
 */
public final class ManifestJson {
    public static final String FILE_NAME = "manifest.json";
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestJson() {}

    public static byte[] write(Manifest m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "cvmboot-manifest/1");
        ObjectNode tool = root.putObject("tool");
        tool.put("name", "cvmboot");
        tool.put("version", m.toolVersion());
        tool.put("java", m.javaVersion());
        ObjectNode spec = root.putObject("spec");
        spec.put("name", m.specName());
        spec.put("sha256", m.specSha256());
        root.put("sourceDateEpoch", m.sourceDateEpoch());
        root.put("cmdline", m.cmdline());
        ObjectNode artefacts = root.putObject("artefacts");
        for (Artefact a : m.artefacts()) {
            ObjectNode n = artefacts.putObject(a.name());
            n.put("size", a.size());
            n.put("sha256", a.sha256().hex());
        }
        ArrayNode inputs = root.putArray("inputs");
        for (ResolvedFile f : m.inputs()) {
            ObjectNode n = inputs.addObject();
            n.put("role", f.role());
            n.put("origin", f.origin());
            n.put("size", f.size());
            n.put("sha256", f.sha256().hex());
        }
        return bytes(root);
    }

    static byte[] bytes(ObjectNode root) {
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    /**
     * The manifest's content.
     *
     * @param artefacts the output files other than the manifest itself
     */
    public record Manifest(String toolVersion, String javaVersion, String specName, String specSha256,
            long sourceDateEpoch, String cmdline, List<Artefact> artefacts, List<ResolvedFile> inputs) {
        public Manifest {
            artefacts = List.copyOf(artefacts);
            inputs = List.copyOf(inputs);
        }
    }
}
