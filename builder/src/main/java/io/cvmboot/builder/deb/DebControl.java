package io.cvmboot.builder.deb;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code control} file of a .deb (Debian Policy 5.3).
 *
 * @param fields every field, case-insensitive names
 */
public record DebControl(Map<String, String> fields) {
    public DebControl {
        var copy = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(fields);
        fields = Collections.unmodifiableMap(copy);
    }

    static DebControl parse(String text, String what) throws PackageException {
        var paragraphs = Deb822.parse(text, what);
        if (paragraphs.size() != 1) {
            throw new PackageException(what + ": expected one paragraph, found " + paragraphs.size());
        }
        return new DebControl(paragraphs.getFirst());
    }

    public String packageName() {
        return field("Package");
    }

    public String version() {
        return field("Version");
    }

    public String architecture() {
        return field("Architecture");
    }

    /** A field's value, or null. Field names are case-insensitive (Debian Policy 5.1). */
    public String field(String name) {
        return fields.get(name);
    }

    /**
     * Checks that the package is the one the pin names. The SHA-256 already fixes the bytes; this
     * catches a pin whose name or version was copied from another package.
     */
    public void requireMatches(PackagePin pin) throws PackageException {
        if (!pin.name().equals(packageName()) || !pin.version().equals(version()) || !pin.arch().equals(architecture())) {
            throw new PackageException("package pinned as " + pin.label() + " is " + packageName() + " " + version()
                    + " (" + architecture() + ") according to its control file");
        }
    }
}
