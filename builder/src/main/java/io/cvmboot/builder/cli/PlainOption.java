package io.cvmboot.builder.cli;

import java.util.List;
import java.util.Objects;

/**
 * One option of a {@link DirectRunnable} command as {@link PlainOptionParser} handles it: its names,
 * the kind of value, whether it may repeat (each occurrence adds a value), and its default. Each
 * command lists these beside its picocli annotations; {@code PlainOptionParserTest} checks that the
 * two agree (names, field types, defaults), so the list cannot drift from what picocli parses.
 *
 * @param key what {@link DirectRunnable#setPlainOption} receives: the field's name, or
 *     {@code list.field} for an option of a repeating argument group
 * @param defaultValue the annotation's {@code defaultValue}, or null when it has none
 */
record PlainOption(String key, Kind kind, boolean repeatable, String defaultValue, List<String> names) {
    /** The value types the parser converts to: Boolean (a switch), String, Path, Integer, Long. */
    enum Kind { SWITCH, STRING, PATH, INT, LONG }

    PlainOption {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("option " + key + " has no name");
        }
        if (kind == Kind.SWITCH && (repeatable || defaultValue != null)) {
            throw new IllegalArgumentException("switch " + key + " can neither repeat nor have a default");
        }
    }

    static PlainOption of(String key, Kind kind, String... names) {
        return new PlainOption(key, kind, false, null, List.of(names));
    }

    static PlainOption withDefault(String key, Kind kind, String defaultValue, String... names) {
        return new PlainOption(key, kind, false, defaultValue, List.of(names));
    }

    static PlainOption repeatable(String key, Kind kind, String... names) {
        return new PlainOption(key, kind, true, null, List.of(names));
    }
}
