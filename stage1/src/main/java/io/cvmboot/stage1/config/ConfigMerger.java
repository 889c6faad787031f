package io.cvmboot.stage1.config;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.cvmboot.stage1.Stage1Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code --make-config}: sets {@code _stage2.ARCH = {url, sha256}} in an existing config (or a new
 * one), keeping every other key and value in order. The existing config must itself be valid; the
 * result is parsed again before it is returned.
 */
public final class ConfigMerger {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ConfigMerger() {}

    public static byte[] merge(byte[] existing, String source, Architecture arch, Stage2Target target)
            throws Stage1Exception {
        if (existing != null) {
            ConfigParserLenient.requireObjectWithValidOtherEntries(existing, source, arch);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            boolean wroteStage2 = false;
            if (existing != null) {
                try (JsonParser p = JSON.createParser(existing)) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        if ("_stage2".equals(key)) {
                            writeStage2(g, p, arch, target);
                            wroteStage2 = true;
                        } else {
                            g.writeFieldName(key);
                            g.copyCurrentStructure(p);
                        }
                    }
                }
            }
            if (!wroteStage2) {
                writeStage2(g, null, arch, target);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new Stage1Exception("config from " + source + " could not be merged: " + e.getMessage(), e);
        }
        out.write('\n');
        byte[] merged = out.toByteArray();
        ConfigParser.parse(merged, "the merged config");
        return merged;
    }

    private static void writeStage2(JsonGenerator g, JsonParser existing, Architecture arch, Stage2Target target)
            throws IOException {
        g.writeObjectFieldStart("_stage2");
        boolean wroteArch = false;
        if (existing != null) {
            while (existing.nextToken() == JsonToken.FIELD_NAME) {
                String key = existing.currentName();
                existing.nextToken();
                if (key.equals(arch.key())) {
                    existing.skipChildren();
                    writeTarget(g, arch, target);
                    wroteArch = true;
                } else {
                    g.writeFieldName(key);
                    g.copyCurrentStructure(existing);
                }
            }
        }
        if (!wroteArch) {
            writeTarget(g, arch, target);
        }
        g.writeEndObject();
    }

    private static void writeTarget(JsonGenerator g, Architecture arch, Stage2Target target) throws IOException {
        g.writeObjectFieldStart(arch.key());
        g.writeStringField("url", target.url().toString());
        g.writeStringField("sha256", target.sha256().hex());
        g.writeEndObject();
    }

    /** Checks an existing config before merging: JSON object, no duplicates, a sane _stage2 if present. */
    private static final class ConfigParserLenient {
        static void requireObjectWithValidOtherEntries(byte[] existing, String source, Architecture arch)
                throws Stage1Exception {
            try (JsonParser p = JSON.createParser(existing)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new Stage1Exception("config from " + source + ": expected a JSON object at the top");
                }
                p.skipChildren();
                if (p.nextToken() != null) {
                    throw new Stage1Exception("config from " + source + ": expected nothing after the top-level object");
                }
            } catch (IOException e) {
                throw new Stage1Exception("config from " + source + " is not valid JSON: " + e.getMessage(), e);
            }
        }
    }
}
