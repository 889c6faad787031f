package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvmboot.builder.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link PlainOptionParser} either fills a command exactly as picocli does, or declines: each
 * accepted argument vector is parsed by both and every option field compared; each declined one is
 * a case picocli must judge (help, errors, forms this parser does not model). The commands' option
 * lists are checked against their picocli annotations.
 */
class PlainOptionParserTest {
    private static final List<List<String>> INITRD_ACCEPTED = List.of(
            List.of("--tree", "t", "-o", "out"),
            List.of(),
            List.of("--spec", "s", "--tree", "t1", "--tree", "t2", "--spec", "s2", "--compress", "zstd", "--level", "3",
                    "--output", "o"),
            List.of("--output=o", "--tree=x", "--compress=xz", "--level=0"),
            List.of("--early-tree", "e", "--early-spec", "es", "--tree", "t", "--gnu-compatible", "--hard-links",
                    "--source-date-epoch", "1700000000", "-o", "o"),
            List.of("--tree", "t", "--level", "-1", "-o", "o"),
            List.of("--tree", "", "-o", "dir with spaces/ü.img"));

    private static final List<List<String>> INITRD_DECLINED = List.of(
            List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"),
            List.of("ls", "x.img"), List.of("diff", "a", "b"), List.of("--tree", "t", "extra"),
            List.of("--tree"), List.of("--tree", "t", "-o"), List.of("--level", "010"), List.of("--level", "0x10"),
            List.of("--level", "four"), List.of("--level", "99999999999"), List.of("-o", "a", "-o", "b"),
            List.of("--gnu-compatible", "--gnu-compatible"), List.of("--gnu-compatible=true"),
            List.of("--tree", "-x"), List.of("--tree", "--spec"), List.of("--", "--tree", "t"), List.of("--bogus"),
            List.of("-ob"));

    private static final List<List<String>> UKI_ACCEPTED = List.of(
            List.of("--stub", "s.efi", "--linux", "vmlinuz", "--initrd", "a.img", "--initrd", "b.img", "--cmdline",
                    "console=ttyS0 root=/dev/vda", "--os-release", "os", "-o", "uki.efi"),
            List.of("--stub=s", "--linux=l", "--cmdline=@cmdline.txt", "--os-release=o", "--uname", "6.1.0", "--sbat", "sb",
                    "--dtb", "d", "--splash", "sp", "--pcrpkey", "k.pem", "--sign-key", "db.key", "--sign-cert", "db.crt",
                    "--output", "u"),
            List.of("--cmdline", ""));

    private static final List<List<String>> UKI_DECLINED = List.of(
            List.of("inspect", "uki.efi"), List.of("--initrd"), List.of("--cmdline", "-x"), List.of("--stub", "a", "--stub", "b"),
            List.of("--help"));

    /** A command with its option list, as DirectRun uses them. */
    private record Direct(String name, Supplier<DirectRunnable> factory, List<PlainOption> options, Set<String> subcommands) {
        boolean parse(DirectRunnable command, List<String> args) {
            return PlainOptionParser.parse(command, options, subcommands, args);
        }
    }

    private static final Direct INITRD = new Direct("initrd", InitrdCommand::new, InitrdCommand.PLAIN_OPTIONS,
            InitrdCommand.SUBCOMMANDS);
    private static final Direct UKI = new Direct("uki", UkiCommand::new, UkiCommand.PLAIN_OPTIONS, UkiCommand.SUBCOMMANDS);
    private static final Direct SNP = new Direct("measure snp", MeasureSnpCommand::new, MeasureSnpCommand.PLAIN_OPTIONS,
            MeasureSnpCommand.SUBCOMMANDS);

    @TestFactory
    Stream<DynamicTest> uki_acceptedVectors_fillTheFieldsAsPicocliDoes() {
        return UKI_ACCEPTED.stream().map(args -> DynamicTest.dynamicTest("uki " + String.join(" ", args),
                () -> assertSameAsPicocli(UKI, args)));
    }

    @TestFactory
    Stream<DynamicTest> uki_otherVectors_areLeftToPicocli() {
        return UKI_DECLINED.stream().map(args -> DynamicTest.dynamicTest("uki " + String.join(" ", args),
                () -> assertFalse(UKI.parse(new UkiCommand(), args))));
    }

    @TestFactory
    Stream<DynamicTest> initrd_acceptedVectors_fillTheFieldsAsPicocliDoes() {
        return INITRD_ACCEPTED.stream().map(args -> DynamicTest.dynamicTest("initrd " + String.join(" ", args),
                () -> assertSameAsPicocli(INITRD, args)));
    }

    @TestFactory
    Stream<DynamicTest> initrd_otherVectors_areLeftToPicocli() {
        return INITRD_DECLINED.stream().map(args -> DynamicTest.dynamicTest("initrd " + String.join(" ", args),
                () -> assertFalse(INITRD.parse(new InitrdCommand(), args))));
    }

    /** Every argv of the sev-snp-measure reference vectors, the flags scripts actually pass. */
    @TestFactory
    Stream<DynamicTest> measureSnp_referenceArgv_fillTheFieldsAsPicocliDoes() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : MeasureSnpCommandTest.vectors().get("vectors")) {
            List<String> argv = MeasureSnpCommandTest.ourArgv(v);
            List<String> args = argv.subList(2, argv.size());
            tests.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> assertSameAsPicocli(SNP, args)));
        }
        assertTrue(tests.size() > 50, "the reference vectors are all there");
        return tests.stream();
    }

    @Test
    void measureSnp_subcommandAndSwitchForms_areLeftToPicocli() {
        for (List<String> args : List.of(List.of("id-block", "--measurement", "x"), List.of("-vh"), List.of("--vcpus", "+4"),
                List.of("--append", "-x"), List.of("--json", "--json"))) {
            assertFalse(SNP.parse(new MeasureSnpCommand(), args), args::toString);
        }
        assertTrue(SNP.parse(new MeasureSnpCommand(), List.of("-v", "--json", "--vcpus", "4")));
    }

    /**
     * Each command's option list says what its picocli annotations say: the same options and
     * names, kinds that fit the field types, the same defaults, repeatable exactly for lists and
     * argument groups, nothing picocli would treat specially, and the same subcommand names.
     */
    @TestFactory
    Stream<DynamicTest> optionLists_agreeWithThePicocliAnnotations() {
        return Stream.of(INITRD, UKI, SNP).map(d -> DynamicTest.dynamicTest(d.name(), () -> {
            Class<?> type = d.factory().get().getClass();
            Set<String> annotated = new java.util.TreeSet<>();
            for (Field f : type.getDeclaredFields()) {
                if (f.isAnnotationPresent(CommandLine.Option.class)) {
                    annotated.add(f.getName());
                }
                CommandLine.ArgGroup group = f.getAnnotation(CommandLine.ArgGroup.class);
                if (group != null) {
                    assertTrue(group.exclusive() && group.multiplicity().equals("0..*"), f + ": only exclusive repeating groups");
                    for (Field member : listElement(f).getDeclaredFields()) {
                        if (member.isAnnotationPresent(CommandLine.Option.class)) {
                            annotated.add(f.getName() + "." + member.getName());
                        }
                    }
                }
            }
            Set<String> listed = new java.util.TreeSet<>();
            for (PlainOption o : d.options()) {
                assertTrue(listed.add(o.key()), "listed twice: " + o.key());
                Field f = field(type, o.key());
                CommandLine.Option a = f.getAnnotation(CommandLine.Option.class);
                assertEquals(Set.copyOf(List.of(a.names())), Set.copyOf(o.names()), o.key() + ": names");
                String dflt = a.defaultValue().equals("__no_default_value__") ? null : a.defaultValue();
                assertEquals(dflt, o.defaultValue(), o.key() + ": default");
                assertFalse(a.required() || a.negatable() || !a.arity().isEmpty() || !a.split().isEmpty()
                        || a.converter().length > 0, o.key() + ": picocli treats this option specially");
                boolean repeatable = o.key().contains(".") || f.getType() == List.class;
                assertEquals(repeatable, o.repeatable(), o.key() + ": repeatable");
                Class<?> valueType = f.getType() == List.class ? listElement(f) : f.getType();
                Set<Class<?>> fits = switch (o.kind()) {
                    case SWITCH -> Set.of(boolean.class, Boolean.class);
                    case STRING -> Set.of(String.class);
                    case PATH -> Set.of(Path.class);
                    case INT -> Set.of(int.class, Integer.class);
                    case LONG -> Set.of(long.class, Long.class);
                };
                assertTrue(fits.contains(valueType), o.key() + ": " + o.kind() + " does not fit " + valueType);
            }
            assertEquals(annotated, listed, "the listed options are the annotated ones");
            CommandLine cli = new CommandLine(d.factory().get());
            Set<String> subcommands = new java.util.TreeSet<>();
            for (CommandLine sub : cli.getSubcommands().values()) {
                subcommands.add(sub.getCommandName());
                subcommands.addAll(List.of(sub.getCommandSpec().aliases()));
            }
            assertEquals(subcommands, new java.util.TreeSet<>(d.subcommands()), "subcommands");
        }));
    }

    private static Field field(Class<?> type, String key) throws NoSuchFieldException {
        int dot = key.indexOf('.');
        if (dot < 0) {
            return type.getDeclaredField(key);
        }
        return listElement(type.getDeclaredField(key.substring(0, dot))).getDeclaredField(key.substring(dot + 1));
    }

    private static Class<?> listElement(Field f) {
        return (Class<?>) ((java.lang.reflect.ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
    }

    @Test
    void directRun_andPicocli_printTheSameErrorAndExitCode(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.fd"), new byte[0]);
        String[] args = {"measure", "snp", "--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--ovmf", empty.toString()};
        StringWriter directErr = new StringWriter();
        java.util.Optional<Integer> direct = DirectRun.tryRun(new PrintWriter(new StringWriter()), new PrintWriter(directErr), args);
        assertEquals(java.util.Optional.of(2), direct);
        StringWriter picocliErr = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).addSubcommand("measure", new MeasureCommand());
        cli.setErr(new PrintWriter(picocliErr));
        cli.setExecutionExceptionHandler(ExitCodes::handle);
        assertEquals(2, cli.execute(args));
        assertEquals(picocliErr.toString(), directErr.toString());
        assertEquals("builder measure snp: " + empty + ": the firmware image is empty", directErr.toString().strip());
    }

    /**
     * Random argument vectors over each command's option names and awkward values: whenever the
     * plain parser accepts one, picocli must accept it too and fill the same values.
     */
    @Test
    void randomVectors_areEitherParsedAsPicocliDoesOrDeclined() throws Exception {
        java.util.Random random = new java.util.Random(20261122);
        List<String> values = List.of("x", "", "0", "7", "-1", "010", "0x10", "99999999999", "a=b", "@file", "-x", "--",
                "ls", "inspect", "id-block", "ü", "--tree", "-o");
        int accepted = 0;
        for (Direct d : List.of(INITRD, UKI, SNP)) {
            List<String> names = new ArrayList<>();
            for (var o : new CommandLine(d.factory().get()).getCommandSpec().options()) {
                names.addAll(List.of(o.names()));
            }
            for (int n = 0; n < 400; n++) {
                List<String> args = new ArrayList<>();
                for (int i = random.nextInt(6); i > 0; i--) {
                    String name = names.get(random.nextInt(names.size()));
                    String value = values.get(random.nextInt(values.size()));
                    switch (random.nextInt(4)) {
                        case 0 -> args.add(name);
                        case 1 -> args.add(name + "=" + value);
                        default -> {
                            args.add(name);
                            args.add(value);
                        }
                    }
                }
                DirectRunnable direct = d.factory().get();
                if (!d.parse(direct, args)) {
                    continue;
                }
                accepted++;
                Object viaPicocli = d.factory().get();
                try {
                    new CommandLine(viaPicocli).parseArgs(args.toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    throw new AssertionError("accepted " + args + " which picocli refuses: " + e.getMessage(), e);
                }
                assertEquals(fields(viaPicocli), fields(direct), args::toString);
            }
        }
        assertTrue(accepted > 100, "the random vectors exercise the accepting path (" + accepted + ")");
    }

    private static void assertSameAsPicocli(Direct d, List<String> args) throws Exception {
        Object viaPicocli = d.factory().get();
        new CommandLine(viaPicocli).parseArgs(args.toArray(String[]::new));
        DirectRunnable direct = d.factory().get();
        assertTrue(d.parse(direct, args), () -> "declined " + args);
        assertEquals(fields(viaPicocli), fields(direct));
    }

    /** The option fields' values, group elements expanded, by field name. */
    private static Map<String, Object> fields(Object o) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType() == CommandOutput.class
                    || f.getType() == CommandLine.Model.CommandSpec.class) {
                continue;
            }
            f.setAccessible(true);
            Object v = f.get(o);
            if (v instanceof List<?> list && !list.isEmpty() && list.get(0).getClass().getEnclosingClass() == o.getClass()) {
                List<Object> expanded = new ArrayList<>();
                for (Object element : list) {
                    expanded.add(fields(element));
                }
                v = expanded;
            }
            values.put(f.getName(), v);
        }
        return values;
    }
}
