package io.cvmboot.builder.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fills a command's options from an argument vector without building picocli's model.
 *
 * <p>Why: picocli's classes are compiled for Java 5, and the JDK's AOT cache cannot hold classes of
 * that format ("Old class has been linked"), so every run loads, verifies and interprets them afresh:
 * building the model of one command costs about 0.3 s, more than {@code builder initrd} spends on a
 * 60 MB tree. Reading the annotations reflectively instead still cost a cold JVM 40-60 ms (the
 * annotation machinery and its proxy classes), a third of a {@code measure snp} run; so each
 * command lists its options as {@link PlainOption}s and stores values through a switch. The
 * commands run most often from scripts ({@code initrd}, {@code uki}, {@code measure snp}) have
 * argument vectors that need none of picocli's power, and this parser handles the plain cases only.
 *
 * <p>It declines (returns false; the caller drops the half-filled command) for everything else,
 * and the caller then runs picocli on the same arguments, which gives the help, the version and
 * every error message: unknown or repeated options, a missing value, a value that is not a plain
 * decimal number, that starts with '-' or that names a subcommand, a bare word (a subcommand or a
 * positional parameter), {@code --}, and {@code --switch=value}. So a run is either parsed exactly as
 * picocli parses it or handed to picocli; {@code PlainOptionParserTest} compares the two on fixed and
 * on random argument vectors of the commands that use it.
 */
final class PlainOptionParser {
    /** What picocli's own converters accept identically: decimal without a leading zero. */
    private static final Pattern PLAIN_INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

    private PlainOptionParser() {}

    /**
     * Parses {@code args} into {@code command}; false when picocli must handle them.
     *
     * @param subcommands the names and aliases of the command's subcommands: picocli reads such a
     *     word as the command, never as an option's value
     */
    static boolean parse(DirectRunnable command, List<PlainOption> options, Set<String> subcommands, List<String> args) {
        Map<String, PlainOption> byName = new HashMap<>();
        for (PlainOption o : options) {
            for (String name : o.names()) {
                byName.put(name, o);
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            boolean attached = arg.startsWith("-") && eq > 0; // --name=value
            PlainOption o = byName.get(attached ? arg.substring(0, eq) : arg);
            if (o == null) {
                return false; // help, version, unknown, a bare word, "--"
            }
            boolean first = seen.add(o.key());
            if (o.kind() == PlainOption.Kind.SWITCH) {
                if (attached || !first) {
                    return false;
                }
                command.setPlainOption(o.key(), Boolean.TRUE);
                continue;
            }
            String value;
            if (attached) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                return false; // picocli says which value is missing
            }
            if (value.startsWith("-") && !PLAIN_INTEGER.matcher(value).matches() || subcommands.contains(value)) {
                return false; // picocli decides whether that is a value, an option or a command
            }
            if (!first && !o.repeatable()) {
                return false; // picocli: "option should be specified only once"
            }
            Object converted = convert(o.kind(), value);
            if (converted == null) {
                return false;
            }
            command.setPlainOption(o.key(), converted);
        }
        for (PlainOption o : options) {
            if (o.defaultValue() != null && !seen.contains(o.key())) {
                Object converted = convert(o.kind(), o.defaultValue());
                if (converted == null) {
                    return false;
                }
                command.setPlainOption(o.key(), converted);
            }
        }
        return true;
    }

    private static Long plainLong(String value) {
        if (!PLAIN_INTEGER.matcher(value).matches()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null; // beyond 64 bits: picocli says so
        }
    }

    /** The value as picocli's built-in converter gives it, or null when picocli must judge it. */
    private static Object convert(PlainOption.Kind kind, String value) {
        return switch (kind) {
            case STRING -> value;
            case PATH -> Path.of(value);
            case INT -> {
                Long n = plainLong(value);
                yield n != null && n == n.intValue() ? (Object) n.intValue() : null;
            }
            case LONG -> plainLong(value);
            case SWITCH -> throw new IllegalArgumentException("a switch has no value");
        };
    }
}
