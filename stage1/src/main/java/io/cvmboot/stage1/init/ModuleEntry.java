package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Stage1Exception;

/**
 * One entry of the {@code modules=} list of {@code /stage1/init.properties}: a kernel module file in
 * the initrd and whether the boot may go on when the kernel refuses it (see {@link ModuleFailurePolicy}).
 * Written {@code PATH} (required) or {@code optional:PATH}. An entry without the marker is required, so
 * files written before optional modules existed keep their meaning.
 *
 * @param path absolute path of the .ko file
 * @param optional the module's hardware may be absent (a cloud NIC of another cloud)
 */
public record ModuleEntry(String path, boolean optional) {
    /** Prefix of an optional entry; a path always starts with '/', so the marker cannot be mistaken for one. */
    public static final String OPTIONAL_MARKER = "optional:";

    public ModuleEntry {
        if (path == null || !path.startsWith("/") || path.contains(",") || !path.equals(path.strip())) {
            throw new IllegalArgumentException("expected an absolute module path without ',' or surrounding blanks, found '"
                    + path + "'");
        }
    }

    /** Parses one comma-separated entry of {@code modules=}; {@code source} names the file in errors. */
    static ModuleEntry parse(String entry, String source) throws Stage1Exception {
        boolean optional = entry.startsWith(OPTIONAL_MARKER);
        String path = optional ? entry.substring(OPTIONAL_MARKER.length()) : entry;
        if (!path.startsWith("/")) {
            throw new Stage1Exception("init config " + source + ": expected modules entries '/PATH.ko' or '"
                    + OPTIONAL_MARKER + "/PATH.ko', found '" + entry + "'");
        }
        try {
            return new ModuleEntry(path, optional);
        } catch (IllegalArgumentException e) {
            throw new Stage1Exception("init config " + source + ": modules entry '" + entry + "': " + e.getMessage(), e);
        }
    }

    /** The entry as {@code modules=} lists it: the inverse of parsing. */
    public String toProperty() {
        return optional ? OPTIONAL_MARKER + path : path;
    }

    /** The module's name as the log shows it: the file name without {@code .ko}. */
    public String name() {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.endsWith(".ko") ? file.substring(0, file.length() - 3) : file;
    }
}
