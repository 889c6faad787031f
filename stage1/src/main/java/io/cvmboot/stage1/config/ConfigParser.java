package io.cvmboot.stage1.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.cvmboot.measure.Digest;
import io.cvmboot.stage1.Stage1Exception;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Strict parser of the stage1 config:
 * {@code {"_stage2": {"x86_64": {"url", "sha256"}, "aarch64": {...}, "args": [...]}, ...custom}}.
 *
 * <p>Rejected: anything that is not one JSON object, duplicate keys at any depth, trailing content,
 * an unknown key inside {@code _stage2} (e.g. a misspelt architecture), an architecture entry with
 * a missing or extra field, a URL that is not absolute printable-ASCII http(s), a sha256 that is not
 * 64 hex digits, args that are not strings. Top-level keys other than {@code _stage2} are custom
 * data for stage2: checked for well-formedness only, and kept because the raw bytes are passed on.
 */
public final class ConfigParser {
    /** A config is a small document; anything bigger is refused before parsing. */
    public static final int MAX_CONFIG_BYTES = 1 << 20;

    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigParser() {}

    /** Parses {@code raw}; {@code source} names it in error messages (a path, URL or provider). */
    public static Stage1Config parse(byte[] raw, String source) throws Stage1Exception {
        if (raw.length > MAX_CONFIG_BYTES) {
            throw new Stage1Exception("config from " + source + ": expected at most " + MAX_CONFIG_BYTES
                    + " bytes, got " + raw.length);
        }
        try (JsonParser p = JSON.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(source, "a JSON object at the top", describe(p));
            }
            Map<Architecture, Stage2Target> targets = null;
            List<String> args = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if ("_stage2".equals(key)) {
                    Stage2Section section = parseStage2(p, source);
                    targets = section.targets;
                    args = section.args;
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw bad(source, "nothing after the top-level object", describe(p));
            }
            if (targets == null) {
                throw bad(source, "a \"_stage2\" object", "none");
            }
            return new Stage1Config(raw, targets, args);
        } catch (JsonProcessingException e) {
            throw new Stage1Exception("config from " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new Stage1Exception("config from " + source + " could not be read: " + e.getMessage(), e);
        }
    }

    private record Stage2Section(Map<Architecture, Stage2Target> targets, List<String> args) {}

    private static Stage2Section parseStage2(JsonParser p, String source) throws IOException, Stage1Exception {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(source, "\"_stage2\" to be an object", describe(p));
        }
        Map<Architecture, Stage2Target> targets = new EnumMap<>(Architecture.class);
        List<String> args = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("args".equals(key)) {
                args = parseArgs(p, source);
                continue;
            }
            Architecture arch = Architecture.fromKey(key).orElseThrow(() -> bad(source,
                    "keys of \"_stage2\" to be x86_64, aarch64 or args", "\"" + key + "\""));
            targets.put(arch, parseTarget(p, source, "_stage2." + key));
        }
        if (targets.isEmpty()) {
            throw bad(source, "\"_stage2\" to name at least one architecture (x86_64, aarch64)", "none");
        }
        return new Stage2Section(targets, args);
    }

    private static List<String> parseArgs(JsonParser p, String source) throws IOException, Stage1Exception {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(source, "\"_stage2.args\" to be an array of strings", describe(p));
        }
        List<String> args = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw bad(source, "\"_stage2.args[" + args.size() + "]\" to be a string", describe(p));
            }
            String arg = p.getText();
            if (arg.indexOf('\0') >= 0) {
                throw bad(source, "\"_stage2.args[" + args.size() + "]\" without NUL characters", "a NUL");
            }
            args.add(arg);
        }
        return args;
    }

    private static Stage2Target parseTarget(JsonParser p, String source, String where)
            throws IOException, Stage1Exception {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(source, "\"" + where + "\" to be an object {\"url\", \"sha256\"}", describe(p));
        }
        String url = null;
        String sha256 = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (!"url".equals(key) && !"sha256".equals(key)) {
                throw bad(source, "only \"url\" and \"sha256\" in \"" + where + "\"", "\"" + key + "\"");
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw bad(source, "\"" + where + "." + key + "\" to be a string", describe(p));
            }
            if ("url".equals(key)) {
                url = p.getText();
            } else {
                sha256 = p.getText();
            }
        }
        if (url == null || sha256 == null) {
            throw bad(source, "\"" + where + "\" to have both \"url\" and \"sha256\"",
                    url == null ? "no url" : "no sha256");
        }
        if (!HEX64.matcher(sha256).matches()) {
            throw bad(source, "\"" + where + ".sha256\" to be 64 hex digits",
                    "\"" + abbreviate(sha256) + "\" (" + sha256.length() + " characters)");
        }
        return new Stage2Target(parseUrl(url, source, where), Digest.ofHex(Digest.HashAlgorithm.SHA256,
                sha256.toLowerCase(java.util.Locale.ROOT)));
    }

    /** An absolute http(s) URL of printable ASCII with a host. */
    public static URI parseUrl(String url, String source, String where) throws Stage1Exception {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw bad(source, "\"" + where + ".url\" of printable ASCII",
                        String.format(java.util.Locale.ROOT, "character U+%04X at %d", (int) c, i));
            }
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw bad(source, "\"" + where + ".url\" to be an absolute http:// or https:// URL with a host",
                        "\"" + abbreviate(url) + "\"");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Stage1Exception("config from " + source + ": \"" + where + ".url\" is not a URL: "
                    + e.getMessage(), e);
        }
    }

    private static Stage1Exception bad(String source, String expected, String found) {
        return new Stage1Exception("config from " + source + ": expected " + expected + ", found " + found);
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number (" + p.getText() + ")";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
