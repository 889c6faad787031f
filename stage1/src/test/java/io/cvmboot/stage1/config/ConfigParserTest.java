package io.cvmboot.stage1.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.stage1.Stage1Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigParserTest {
    static final String SHA = "a049fb47554c6cde2ee452e5d87f6386abb63af7cdcae9cd0dc99fc80e0bcf35";

    private static Stage1Config parse(String json) throws Stage1Exception {
        return ConfigParser.parse(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    private static String reject(String json) {
        return assertThrows(Stage1Exception.class, () -> parse(json)).getMessage();
    }

    @Test
    void parse_bothArchitecturesArgsAndCustomKeys() throws Exception {
        String json = "{\"app\":{\"x\":[1,2]},\"_stage2\":{\"x86_64\":{\"url\":\"https://example.com/s2\",\"sha256\":\""
                + SHA.toUpperCase(java.util.Locale.ROOT) + "\"},\"aarch64\":{\"sha256\":\"" + SHA
                + "\",\"url\":\"http://10.0.0.1:8080/a\"},\"args\":[\"--x\",\"\"]}}";
        Stage1Config c = parse(json);
        assertEquals("https://example.com/s2", c.target(Architecture.X86_64).url().toString());
        assertEquals(SHA, c.target(Architecture.X86_64).sha256().hex());
        assertEquals(List.of("--x", ""), c.args());
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), c.raw(), "raw bytes kept unchanged for stage2");
    }

    @Test
    void target_missingRunningArchitecture_namesWhatIsThere() throws Exception {
        Stage1Config c = parse("{\"_stage2\":{\"aarch64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA + "\"}}}");
        String m = assertThrows(Stage1Exception.class, () -> c.target(Architecture.X86_64)).getMessage();
        assertTrue(m.contains("x86_64") && m.contains("aarch64"), m);
    }

    @Test
    void parse_noArchitecture_rejected() {
        assertTrue(reject("{\"_stage2\":{\"args\":[]}}").contains("at least one architecture"));
    }

    @Test
    void parse_unknownArchitecture_rejected() {
        String m = reject("{\"_stage2\":{\"riscv64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA + "\"}}}");
        assertTrue(m.contains("\"riscv64\""), m);
    }

    @Test
    void parse_extraFieldInTarget_rejected() {
        assertTrue(reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA + "\",\"size\":1}}}")
                .contains("\"size\""));
    }

    @Test
    void parse_badHex_rejected() {
        String m = reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA.replace('a', 'g') + "\"}}}");
        assertTrue(m.contains("64 hex digits"), m);
    }

    @Test
    void parse_wrongLength_rejected() {
        String m = reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA.substring(2) + "\"}}}");
        assertTrue(m.contains("62 characters"), m);
    }

    @Test
    void parse_nonStringArg_rejected() {
        String m = reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA + "\"},\"args\":[\"a\",3]}}");
        assertTrue(m.contains("args[1]") && m.contains("a number"), m);
    }

    @Test
    void parse_duplicateKeys_rejectedAtAnyDepth() {
        assertTrue(reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a\",\"url\":\"http://h/b\",\"sha256\":\"" + SHA
                + "\"}}}").contains("Duplicate field"));
        assertTrue(reject("{\"a\":1,\"a\":2,\"_stage2\":{}}").contains("Duplicate field"));
        assertTrue(reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA + "\"}},\"_stage2\":{}}")
                .contains("Duplicate field"));
    }

    @Test
    void parse_urlNotHttp_rejected() {
        assertTrue(reject("{\"_stage2\":{\"x86_64\":{\"url\":\"file:///bin/sh\",\"sha256\":\"" + SHA + "\"}}}")
                .contains("http:// or https://"));
        assertTrue(reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a b\",\"sha256\":\"" + SHA + "\"}}}")
                .contains("printable ASCII"));
    }

    @Test
    void parse_trailingContentOrNotObject_rejected() {
        assertTrue(reject("[]").contains("JSON object"));
        assertTrue(reject("{\"_stage2\":{\"x86_64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA + "\"}}} {}")
                .contains("nothing after"));
        assertTrue(reject("{\"_stage2\":").contains("not valid JSON"));
    }

    @Test
    void parse_tooLarge_rejectedBeforeParsing() {
        byte[] big = new byte[ConfigParser.MAX_CONFIG_BYTES + 1];
        String m = assertThrows(Stage1Exception.class, () -> ConfigParser.parse(big, "huge")).getMessage();
        assertTrue(m.contains("at most"), m);
    }

    @Test
    void merge_keepsOtherKeysAndReplacesArchitecture() throws Exception {
        String existing = "{\"app\":{\"k\":\"v\"},\"_stage2\":{\"aarch64\":{\"url\":\"http://h/a\",\"sha256\":\"" + SHA
                + "\"},\"x86_64\":{\"url\":\"http://old/x\",\"sha256\":\"" + SHA + "\"},\"args\":[\"-v\"]}}";
        Stage2Target t = new Stage2Target(java.net.URI.create("https://new/x"),
                io.cvmboot.measure.Digest.ofHex(io.cvmboot.measure.Digest.HashAlgorithm.SHA256, "00".repeat(32)));
        byte[] merged = ConfigMerger.merge(existing.getBytes(StandardCharsets.UTF_8), "existing", Architecture.X86_64, t);
        Stage1Config c = ConfigParser.parse(merged, "merged");
        assertEquals("https://new/x", c.target(Architecture.X86_64).url().toString());
        assertEquals("http://h/a", c.target(Architecture.AARCH64).url().toString());
        assertEquals(List.of("-v"), c.args());
        assertTrue(new String(merged, StandardCharsets.UTF_8).contains("\"k\" : \"v\""));
    }

    @Test
    void merge_invalidExisting_rejected() {
        Stage2Target t = new Stage2Target(java.net.URI.create("https://new/x"),
                io.cvmboot.measure.Digest.ofHex(io.cvmboot.measure.Digest.HashAlgorithm.SHA256, "00".repeat(32)));
        assertThrows(Stage1Exception.class, () -> ConfigMerger.merge("{\"a\":1,\"a\":1}".getBytes(StandardCharsets.UTF_8),
                "dup", Architecture.X86_64, t));
    }
}
