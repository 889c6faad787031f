package io.cvmboot.builder.deb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The control-file syntax of .deb control members, Release and Packages files (Debian Policy 5.1):
 * paragraphs separated by blank lines; "Field: value"; continuation lines start with a space or a
 * tab. Field names are case-insensitive. A multi-line value keeps its lines joined by '\n', each
 * continuation line without its first space.
 */
final class Deb822 {
    private Deb822() {}

    /** Parses every paragraph. {@code what} names the input in errors. */
    static List<Map<String, String>> parse(String text, String what) throws PackageException {
        List<Map<String, String>> paragraphs = new ArrayList<>();
        Map<String, String> current = null;
        String field = null;
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                if (current != null) {
                    paragraphs.add(Collections.unmodifiableMap(current));
                }
                current = null;
                field = null;
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (field == null) {
                    throw new PackageException(what + ", line " + lineNumber + ": continuation line without a field");
                }
                current.merge(field, line.substring(1), (a, b) -> a + "\n" + b);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new PackageException(what + ", line " + lineNumber + ": expected 'Field: value', found '" + line + "'");
            }
            if (current == null) {
                current = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            }
            field = line.substring(0, colon);
            if (current.put(field, line.substring(colon + 1).strip()) != null) {
                throw new PackageException(what + ", line " + lineNumber + ": field " + field + " appears twice");
            }
        }
        if (current != null) {
            paragraphs.add(Collections.unmodifiableMap(current));
        }
        return List.copyOf(paragraphs);
    }
}
