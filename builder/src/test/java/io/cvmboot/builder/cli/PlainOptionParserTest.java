package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Optional;
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
 * a case picocli must judge (help, errors, forms this parser does not model).
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

    @TestFactory
    Stream<DynamicTest> uki_acceptedVectors_fillTheFieldsAsPicocliDoes() {
        return UKI_ACCEPTED.stream().map(args -> DynamicTest.dynamicTest("uki " + String.join(" ", args),
                () -> assertSameAsPicocli(UkiCommand::new, args)));
    }

    @TestFactory
    Stream<DynamicTest> uki_otherVectors_areLeftToPicocli() {
        return UKI_DECLINED.stream().map(args -> DynamicTest.dynamicTest("uki " + String.join(" ", args),
                () -> assertEquals(Optional.empty(), PlainOptionParser.parse(new UkiCommand(), args))));
    }

    @TestFactory
    Stream<DynamicTest> initrd_acceptedVectors_fillTheFieldsAsPicocliDoes() {
        return INITRD_ACCEPTED.stream().map(args -> DynamicTest.dynamicTest("initrd " + String.join(" ", args),
                () -> assertSameAsPicocli(InitrdCommand::new, args)));
    }

    @TestFactory
    Stream<DynamicTest> initrd_otherVectors_areLeftToPicocli() {
        return INITRD_DECLINED.stream().map(args -> DynamicTest.dynamicTest("initrd " + String.join(" ", args),
                () -> assertEquals(Optional.empty(), PlainOptionParser.parse(new InitrdCommand(), args))));
    }

    /** Every argv of the sev-snp-measure reference vectors, the flags scripts actually pass. */
    @TestFactory
    Stream<DynamicTest> measureSnp_referenceArgv_fillTheFieldsAsPicocliDoes() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : MeasureSnpCommandTest.vectors().get("vectors")) {
            List<String> argv = MeasureSnpCommandTest.ourArgv(v);
            List<String> args = argv.subList(2, argv.size());
            tests.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> assertSameAsPicocli(MeasureSnpCommand::new, args)));
        }
        assertTrue(tests.size() > 50, "the reference vectors are all there");
        return tests.stream();
    }

    @Test
    void measureSnp_subcommandAndSwitchForms_areLeftToPicocli() {
        for (List<String> args : List.of(List.of("id-block", "--measurement", "x"), List.of("-vh"), List.of("--vcpus", "+4"),
                List.of("--append", "-x"), List.of("--json", "--json"))) {
            assertEquals(Optional.empty(), PlainOptionParser.parse(new MeasureSnpCommand(), args), args::toString);
        }
        assertTrue(PlainOptionParser.parse(new MeasureSnpCommand(), List.of("-v", "--json", "--vcpus", "4")).isPresent());
    }

    @Test
    void commandsWithPositionalParameters_areLeftToPicocli() {
        assertEquals(Optional.empty(), PlainOptionParser.parse(new InitrdLsCommand(), List.of()));
    }

    @Test
    void directRun_andPicocli_printTheSameErrorAndExitCode(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.fd"), new byte[0]);
        String[] args = {"measure", "snp", "--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--ovmf", empty.toString()};
        StringWriter directErr = new StringWriter();
        Optional<Integer> direct = DirectRun.tryRun(new PrintWriter(new StringWriter()), new PrintWriter(directErr), args);
        assertEquals(Optional.of(2), direct);
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
        for (Supplier<?> factory : List.<Supplier<?>>of(InitrdCommand::new, UkiCommand::new, MeasureSnpCommand::new)) {
            List<String> names = new ArrayList<>();
            for (var o : new CommandLine(factory.get()).getCommandSpec().options()) {
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
                Object direct = factory.get();
                if (PlainOptionParser.parse(direct, args).isEmpty()) {
                    continue;
                }
                accepted++;
                Object viaPicocli = factory.get();
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

    private static <T> void assertSameAsPicocli(Supplier<T> factory, List<String> args) throws Exception {
        T viaPicocli = factory.get();
        new CommandLine(viaPicocli).parseArgs(args.toArray(String[]::new));
        T direct = PlainOptionParser.parse(factory.get(), args).orElseThrow(() -> new AssertionError("declined " + args));
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
