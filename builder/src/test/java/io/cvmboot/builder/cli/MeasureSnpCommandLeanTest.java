package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvmboot.builder.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The picocli-free entry point ({@code MeasureSnpCommand.main}) behaves like {@code builder measure snp}. */
class MeasureSnpCommandLeanTest {
    private StringWriter out;
    private StringWriter err;

    private int lean(List<String> args) {
        out = new StringWriter();
        err = new StringWriter();
        return MeasureSnpCommand.Lean.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    }

    @Test
    void leanFlags_areExactlyThePicocliOptions() {
        Set<String> picocli = new TreeSet<>();
        for (var o : new CommandLine(new MeasureSnpCommand()).getCommandSpec().options()) {
            picocli.addAll(List.of(o.names()));
        }
        picocli.removeAll(Set.of("-h", "--help", "-V", "--version"));
        assertEquals(picocli, MeasureSnpCommand.Lean.flagNames());
    }

    @TestFactory
    Stream<DynamicTest> referenceArgv_printsTheReferenceOutput() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : MeasureSnpCommandTest.vectors().get("vectors")) {
            if (v.get("rc").asInt() != 0) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                List<String> argv = MeasureSnpCommandTest.ourArgv(v);
                assertEquals(0, lean(argv.subList(2, argv.size())), () -> err.toString());
                assertEquals(v.get("stdout").asText() + System.lineSeparator(), out.toString());
            }));
        }
        return tests.stream();
    }

    @Test
    void badInput_givesTheSameLineAndCodeAsTheBuilderCommand(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.fd"), new byte[0]);
        List<String> args = List.of("--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--ovmf", empty.toString());
        assertEquals(2, lean(args));
        String leanErr = err.toString();
        StringWriter builderErr = new StringWriter();
        List<String> full = new ArrayList<>(List.of("measure", "snp"));
        full.addAll(args);
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(builderErr), full.toArray(String[]::new)));
        assertEquals(builderErr.toString(), leanErr);
        assertEquals("builder measure snp: " + empty + ": the firmware image is empty", leanErr.strip());
    }

    @Test
    void unknownFlagOrBadNumber_isBadUsage() {
        assertEquals(2, lean(List.of("--mode", "snp", "--dump-vmsa-to")));
        assertEquals("builder measure snp: Unknown option: '--dump-vmsa-to'", err.toString().strip());
        assertEquals(2, lean(List.of("--mode", "snp", "--vcpus", "four")));
        assertTrue(err.toString().startsWith("builder measure snp: --vcpus: expected an integer, found 'four'"), err::toString);
    }
}
