package io.cvmboot.builder.cli;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fills a command's {@link Option} fields from an argument vector without building picocli's model.
 *
 * <p>Why: picocli's classes are compiled for Java 5, and the JDK's AOT cache cannot hold classes of
 * that format ("Old class has been linked"), so every run loads, verifies and interprets them afresh:
 * building the model of one command costs about 0.3 s, more than {@code builder initrd} spends on a
 * 60 MB tree. The commands run most often from scripts ({@code initrd}, {@code uki}, {@code measure
 * snp}) have argument vectors that need none of picocli's power, so this parser reads the same
 * annotations and handles the plain cases only.
 *
 * <p>It declines (returns empty; the caller drops the half-filled command) for everything else, and
 * the caller then runs picocli on the same arguments, which gives the help, the version and every
 * error message: unknown or repeated options, a missing value, a value that is not a plain decimal
 * number or that names a subcommand, a bare word (a subcommand or a positional parameter), {@code
 * --}, required options, and any option or field this class does not model (arity, split,
 * converters, negatable, mixins, parameters). So a run is either parsed exactly as picocli parses it
 * or handed to picocli; {@code PlainOptionParserTest} compares the two on fixed and on random
 * argument vectors of the commands that use it.
 *
 * <p>Supported: options of type String, Path, int/Integer, long/Long, boolean switches, List of String
 * or Path (one value per occurrence), {@code defaultValue} without variables, the {@code --name=value}
 * form, and exclusive repeating groups ({@code @ArgGroup(exclusive = true, multiplicity = "0..*")
 * List<G>}) whose options each make a new group element, in command-line order.
 */
final class PlainOptionParser {
    /** What picocli's own converters accept identically: decimal without a leading zero. */
    private static final Pattern PLAIN_INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

    /** What {@link Option#defaultValue} holds when the annotation sets none (picocli 4.7). */
    private static final String NO_DEFAULT = "__no_default_value__";

    /** One option name's target: a field of the command, or of a new element of a group list. */
    private record Target(Field field, Option option, Field groupList, Class<?> groupType) {}

    private PlainOptionParser() {}

    /** Parses {@code args} into {@code command}'s fields; empty when picocli must handle them. */
    static <T> Optional<T> parse(T command, List<String> args) {
        Map<String, Target> targets = new HashMap<>();
        if (!collect(command.getClass(), null, null, targets)) {
            return Optional.empty();
        }
        Set<String> subcommands = subcommandNames(command.getClass());
        try {
            Set<Field> seen = new HashSet<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int eq = arg.indexOf('=');
                boolean attached = arg.startsWith("-") && eq > 0; // --name=value
                String name = attached ? arg.substring(0, eq) : arg;
                Target t = targets.get(name);
                if (t == null) {
                    return Optional.empty(); // help, version, unknown, a bare word, "--"
                }
                Class<?> type = t.field().getType();
                if (type == boolean.class || type == Boolean.class) {
                    if (attached || !seen.add(t.field())) {
                        return Optional.empty();
                    }
                    t.field().set(command, true);
                    continue;
                }
                String value;
                if (attached) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    return Optional.empty(); // picocli says which value is missing
                }
                if (value.startsWith("-") && !PLAIN_INTEGER.matcher(value).matches() || subcommands.contains(value)) {
                    return Optional.empty(); // picocli decides whether that is a value, an option or a command
                }
                if (!assign(command, t, value, seen)) {
                    return Optional.empty();
                }
            }
            for (Target t : new HashSet<>(targets.values())) {
                if (t.groupList() != null || seen.contains(t.field())) {
                    continue;
                }
                if (t.option().required()) {
                    return Optional.empty();
                }
                String dflt = t.option().defaultValue();
                if (!dflt.equals(NO_DEFAULT) && !assign(command, t, dflt, seen)) {
                    return Optional.empty();
                }
            }
            return Optional.of(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("option field of " + command.getClass().getName() + " not writable", e);
        }
    }

    /** Names and aliases of the command's subcommands: picocli reads such a word as the command, never as a value. */
    private static Set<String> subcommandNames(Class<?> type) {
        Set<String> names = new HashSet<>();
        Command command = type.getAnnotation(Command.class);
        if (command != null) {
            for (Class<?> sub : command.subcommands()) {
                Command c = sub.getAnnotation(Command.class);
                if (c != null) {
                    names.add(c.name());
                    names.addAll(List.of(c.aliases()));
                }
            }
        }
        return names;
    }

    /** Records the option names of {@code type}; false when it has anything this class does not model. */
    private static boolean collect(Class<?> type, Field groupList, Class<?> groupType, Map<String, Target> targets) {
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            Option option = f.getAnnotation(Option.class);
            ArgGroup group = f.getAnnotation(ArgGroup.class);
            if (option == null && group == null) {
                if (f.getDeclaredAnnotations().length > 0 && f.getAnnotation(Spec.class) == null) {
                    return false; // @Parameters, @Mixin, @ParentCommand, @Unmatched...
                }
                continue;
            }
            f.setAccessible(true);
            if (group != null) {
                if (groupList != null || !plainRepeatingGroup(f, group)) {
                    return false;
                }
                Class<?> element = listElement(f);
                if (!collect(element, f, element, targets)) {
                    return false;
                }
                continue;
            }
            if (!plainOption(f, option, groupList != null)) {
                return false;
            }
            for (String name : option.names()) {
                targets.put(name, new Target(f, option, groupList, groupType));
            }
        }
        return true;
    }

    private static boolean plainOption(Field f, Option o, boolean inGroup) {
        if (o.arity().length() > 0 || o.split().length() > 0 || o.converter().length > 0 || o.negatable()
                || o.usageHelp() || o.versionHelp() || o.help() || o.defaultValue().contains("${")
                || o.defaultValue().equals(Option.NULL_VALUE)) {
            return false;
        }
        Class<?> t = f.getType();
        if (inGroup) {
            return t == String.class || t == Path.class;
        }
        if (t == List.class) {
            Class<?> e = listElement(f);
            return e == String.class || e == Path.class;
        }
        return t == String.class || t == Path.class || t == int.class || t == Integer.class || t == long.class
                || t == Long.class || t == boolean.class || t == Boolean.class;
    }

    private static boolean plainRepeatingGroup(Field f, ArgGroup g) {
        return g.exclusive() && g.multiplicity().equals("0..*") && f.getType() == List.class && listElement(f) != null;
    }

    private static Class<?> listElement(Field f) {
        Type generic = f.getGenericType();
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    /** Converts and stores one value; false when picocli must judge it. */
    @SuppressWarnings("unchecked")
    private static boolean assign(Object command, Target t, String value, Set<Field> seen)
            throws ReflectiveOperationException {
        Field f = t.field();
        if (t.groupList() != null) {
            Object element = newInstance(t.groupType());
            f.set(element, f.getType() == Path.class ? Path.of(value) : value);
            List<Object> list = (List<Object>) t.groupList().get(command);
            if (list == null) {
                list = new ArrayList<>();
                t.groupList().set(command, list);
            }
            list.add(element);
            return true;
        }
        Class<?> type = f.getType();
        if (type == List.class) {
            // As picocli: the first occurrence replaces the field's initial list.
            if (seen.add(f)) {
                f.set(command, new ArrayList<>());
            }
            List<Object> list = (List<Object>) f.get(command);
            list.add(listElement(f) == Path.class ? Path.of(value) : value);
            return true;
        }
        if (!seen.add(f)) {
            return false; // picocli: "option should be specified only once"
        }
        Object converted;
        if (type == String.class) {
            converted = value;
        } else if (type == Path.class) {
            converted = Path.of(value);
        } else if (!PLAIN_INTEGER.matcher(value).matches()) {
            return false;
        } else if (type == int.class || type == Integer.class) {
            long n = Long.parseLong(value);
            if (n != (int) n) {
                return false;
            }
            converted = (int) n;
        } else {
            converted = Long.parseLong(value);
        }
        f.set(command, converted);
        return true;
    }

    private static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
