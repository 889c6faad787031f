package io.cvmboot.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.tpm.EventDescription;
import io.cvmboot.measure.tpm.EventLog;
import io.cvmboot.measure.tpm.EventLogParser;
import io.cvmboot.measure.tpm.EventLogReplay;
import io.cvmboot.measure.tpm.PcrValues;
import io.cvmboot.measure.tpm.SpecIdEvent;
import io.cvmboot.measure.tpm.TcgEvent;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder eventlog FILE}: decodes a binary TPM event log and replays it to PCR values. */
@Command(
        name = "eventlog",
        mixinStandardHelpOptions = true,
        description = {
            "Decodes a binary crypto-agile TPM event log (for example",
            "/sys/kernel/security/tpm0/binary_bios_measurements) and replays it: prints",
            "every event (PCR, type, digests, what its data says) and the PCR values the",
            "log implies for each bank. A truncated or malformed log is refused (exit 2)."
        })
public final class EventlogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The binary event log.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object: header, events, pcrs by bank then PCR number.")
    boolean json;

    @Option(names = "--pcrs-only", description = "Print only the replayed PCR values.")
    boolean pcrsOnly;

    @Override
    public Integer call() throws Exception {
        EventLog log = EventLogParser.parse(file.toString(), Files.readAllBytes(file));
        PcrValues pcrs = EventLogReplay.replay(log);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(log, pcrs));
            return ExitCodes.OK;
        }
        SpecIdEvent h = log.specId();
        if (!pcrsOnly) {
            out.println("# " + file + ": TCG PC Client log, spec " + h.specVersionMajor() + "." + h.specVersionMinor()
                    + " errata " + h.specErrata() + ", " + log.events().size() + " events, banks "
                    + h.algorithms().stream().map(a -> a.algorithm().map(HashAlgorithm::label)
                            .orElse(String.format(Locale.ROOT, "0x%04x", a.algorithmId()))).toList());
            for (TcgEvent e : log.events()) {
                out.println(String.format(Locale.ROOT, "%4d PCR %-2d %-34s %s", e.index(), e.pcr(), e.typeName(),
                        EventDescription.of(e)));
                for (Digest d : e.digests().values()) {
                    out.println("              " + d.algorithm().label() + " " + d.hex());
                }
            }
        }
        for (HashAlgorithm bank : log.banks()) {
            out.println(bank.label() + ":");
            pcrs.bank(bank).forEach((pcr, d) -> out.println(String.format(Locale.ROOT, "  %2d %s", pcr, d.hex())));
        }
        return ExitCodes.OK;
    }

    static String toJson(EventLog log, PcrValues pcrs) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode header = root.putObject("header");
        SpecIdEvent h = log.specId();
        header.put("specVersion", h.specVersionMajor() + "." + h.specVersionMinor());
        header.put("specErrata", h.specErrata());
        ArrayNode algorithms = header.putArray("algorithms");
        h.algorithms().forEach(a -> algorithms.addObject().put("id", a.algorithmId()).put("digestSize", a.digestSize())
                .put("name", a.algorithm().map(HashAlgorithm::label).orElse("unknown")));
        ArrayNode events = root.putArray("events");
        for (TcgEvent e : log.events()) {
            ObjectNode n = events.addObject();
            n.put("index", e.index());
            n.put("pcr", e.pcr());
            n.put("type", e.typeName());
            ObjectNode digests = n.putObject("digests");
            e.digests().values().forEach(d -> digests.put(d.algorithm().label(), d.hex()));
            n.put("description", EventDescription.of(e));
        }
        ObjectNode values = root.putObject("pcrs");
        for (HashAlgorithm bank : log.banks()) {
            ObjectNode b = values.putObject(bank.label());
            pcrs.bank(bank).forEach((pcr, d) -> b.put(Integer.toString(pcr), d.hex()));
        }
        return mapper.writeValueAsString(root);
    }
}
