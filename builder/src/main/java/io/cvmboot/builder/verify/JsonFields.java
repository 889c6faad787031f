package io.cvmboot.builder.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.cli.UserInputException;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

/** Strict field access for the evidence and expectation JSON files; errors name file and field. */
final class JsonFields {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String file;

    JsonFields(String file) {
        this.file = file;
    }

    JsonNode parse(byte[] bytes) throws UserInputException {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new UserInputException(file + ": expected a JSON object, found " + (root == null ? "nothing"
                        : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            }
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot be read as JSON: " + e.getMessage(), e);
        }
    }

    JsonNode object(JsonNode parent, String path, String field) throws UserInputException {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw new UserInputException(file + ": expected an object at " + path + field + ", found "
                    + describe(n));
        }
        return n;
    }

    String text(JsonNode parent, String path, String field) throws UserInputException {
        JsonNode n = parent.get(field);
        if (n == null || !n.isTextual()) {
            throw new UserInputException(file + ": expected a string at " + path + field + ", found " + describe(n));
        }
        return n.asText();
    }

    byte[] hex(JsonNode parent, String path, String field) throws UserInputException {
        String s = text(parent, path, field);
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(file + ": expected hex at " + path + field + ", found '" + abbreviate(s) + "'", e);
        }
    }

    byte[] base64(JsonNode parent, String path, String field) throws UserInputException {
        String s = text(parent, path, field);
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(file + ": expected base64 at " + path + field + ", found '" + abbreviate(s)
                    + "'", e);
        }
    }

    int integer(JsonNode parent, String path, String field) throws UserInputException {
        JsonNode n = parent.get(field);
        if (n == null || !n.isInt()) {
            throw new UserInputException(file + ": expected an integer at " + path + field + ", found " + describe(n));
        }
        return n.asInt();
    }

    String file() {
        return file;
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + (n.isValueNode() ? " " + abbreviate(n.asText())
                : "");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
