package io.cvmboot.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.tpm.EspExtras;
import io.cvmboot.measure.tpm.EventLogParser;
import io.cvmboot.measure.tpm.OvmfVarStore;
import io.cvmboot.measure.tpm.PcrPrediction;
import io.cvmboot.measure.tpm.PcrValues;
import io.cvmboot.measure.tpm.PredictedEvent;
import io.cvmboot.measure.tpm.UkiBootInputs;
import io.cvmboot.measure.tpm.UkiBootPredictor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code builder measure pcr --uki FILE ...}: the PCR values booting a UKI under OVMF produces. */
@Command(
        name = "pcr",
        mixinStandardHelpOptions = true,
        description = {
            "Predicts the TPM PCRs of booting a UKI with OVMF: 4 (UKI and kernel",
            "Authenticode), 7 (Secure Boot variables, from --vars or --reference-log),",
            "9 (kernel command line and initrd), 11 (systemd-stub 252/254/257 sections),",
            "12 and 13 (LoadOptions, ESP credentials and sysexts), 14/15 (stage1, with",
            "--stage2/--config). Firmware PCRs 0-3, 5, 6 come from --reference-log.",
            "A PCR that cannot be fully predicted is listed as not predicted, never",
            "printed with a value. See docs/pcr.md."
        })
public final class MeasurePcrCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--uki", required = true, paramLabel = "FILE", description = "The UKI (signed or not) as it lies on the ESP.")
    Path uki;

    @Option(names = "--vars", paramLabel = "FILE", description = "The OVMF VARS image the VM starts from (PCR 7; also decides Secure Boot).")
    Path vars;

    @Option(names = "--secure-boot", negatable = true,
            description = "Assert Secure Boot on (--no-secure-boot: off). Default: derived from --vars/--reference-log, else off.")
    Boolean secureBoot;

    @Option(names = "--bank", split = ",", paramLabel = "ALG", defaultValue = "sha256",
            description = "PCR banks to predict: sha1, sha256, sha384, sha512 (comma-separated; default sha256).")
    List<String> banks;

    @Option(names = "--reference-log", paramLabel = "FILE",
            description = "A binary event log of the target platform: source of the firmware PCRs 0-3, 5, 6.")
    Path referenceLog;

    @Option(names = "--systemd-version", paramLabel = "N",
            description = "Apply the semantics of systemd-stub N (252, 254, 257) instead of the version in .sdmagic.")
    Integer systemdVersion;

    @Option(names = "--load-options", paramLabel = "TEXT",
            description = "A command line the UKI receives as LoadOptions (boot entry, EFI shell): PCR 12 and 9.")
    String loadOptions;

    @Option(names = "--extra", paramLabel = "FILE",
            description = "A file in the UKI's drop-in directory <UKI>.extra.d/ on the ESP (*.cred: PCR 12, *.raw: PCR 13); repeatable.")
    List<Path> extras = new ArrayList<>();

    @Option(names = "--global-credential", paramLabel = "FILE",
            description = "A file in \\loader\\credentials\\ on the ESP (PCR 12); repeatable.")
    List<Path> globalCredentials = new ArrayList<>();

    @Option(names = "--qemu-kernel",
            description = "The UKI is booted with QEMU -kernel (OVMF measures it before ReadyToBoot; -append becomes --load-options).")
    boolean qemuKernel;

    @Option(names = "--stage2", paramLabel = "FILE", description = "The stage2 binary stage1 measures into PCR 14 (needs --config).")
    Path stage2;

    @Option(names = "--config", paramLabel = "FILE", description = "The raw stage1 config bytes measured into PCR 15 (needs --stage2).")
    Path config;

    @Option(names = "--json", description = "Print one JSON object: {\"<bank>\": {\"<pcr>\": \"<hex>\"}, \"events\": [...], ...}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ((stage2 == null) != (config == null)) {
            throw new UserInputException("--stage2 and --config go together: stage1 measures both (PCR 14 and 15)");
        }
        List<HashAlgorithm> algorithms = new ArrayList<>();
        for (String b : banks) {
            try {
                algorithms.add(HashAlgorithm.fromLabel(b.strip()));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--bank: " + e.getMessage(), e);
            }
        }
        UkiBootInputs.Builder in = UkiBootInputs.builder(uki.toString(), Files.readAllBytes(uki))
                .banks(algorithms)
                .secureBoot(secureBoot)
                .systemdVersion(systemdVersion)
                .loadOptions(loadOptions)
                .qemuKernelBoot(qemuKernel)
                .espExtras(new EspExtras(byName(extras, "--extra"), byName(globalCredentials, "--global-credential")));
        if (vars != null) {
            in.vars(OvmfVarStore.parse(vars.toString(), Files.readAllBytes(vars)));
        }
        if (referenceLog != null) {
            in.referenceLog(EventLogParser.parse(referenceLog.toString(), Files.readAllBytes(referenceLog)));
        }
        if (stage2 != null) {
            in.stage1(Files.readAllBytes(stage2), Files.readAllBytes(config));
        }
        PcrPrediction prediction = UkiBootPredictor.predict(in.build());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(prediction));
        } else {
            printText(out, prediction);
        }
        return ExitCodes.OK;
    }

    /** The files by the name the firmware lists them under (their file name). */
    private static SortedMap<String, byte[]> byName(List<Path> files, String option) throws Exception {
        SortedMap<String, byte[]> out = new TreeMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (out.put(name, Files.readAllBytes(f)) != null) {
                throw new UserInputException(option + ": two files named " + name + " (one directory cannot hold both)");
            }
        }
        return out;
    }

    private void printText(PrintWriter out, PcrPrediction p) {
        out.println("# " + uki + ": systemd-stub " + p.stub().text() + ", Secure Boot " + (p.secureBoot() ? "on" : "off"));
        PcrValues values = p.values();
        for (HashAlgorithm bank : p.banks()) {
            out.println(bank.label() + ":");
            values.bank(bank).forEach((pcr, d) -> out.println(String.format(Locale.ROOT, "  %2d %s", pcr, d.hex())));
        }
        out.println("not predicted:");
        p.notPredicted().forEach((pcr, why) -> out.println(String.format(Locale.ROOT, "  %2d %s", pcr, why)));
        out.println("assumptions:");
        p.assumptions().forEach(a -> out.println("  - " + a));
    }

    static String toJson(PcrPrediction p) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        PcrValues values = p.values();
        for (HashAlgorithm bank : p.banks()) {
            ObjectNode b = root.putObject(bank.label());
            values.bank(bank).forEach((pcr, d) -> b.put(Integer.toString(pcr), d.hex()));
        }
        ArrayNode events = root.putArray("events");
        for (PredictedEvent e : p.events()) {
            ObjectNode n = events.addObject();
            n.put("pcr", e.pcr());
            n.put("type", e.typeName());
            ObjectNode digests = n.putObject("digests");
            e.digests().forEach((bank, d) -> digests.put(bank.label(), d.hex()));
            n.put("description", e.description());
        }
        ObjectNode notPredicted = root.putObject("notPredicted");
        p.notPredicted().forEach((pcr, why) -> notPredicted.put(Integer.toString(pcr), why));
        root.put("systemdStub", p.stub().text());
        root.put("secureBoot", p.secureBoot());
        ArrayNode assumptions = root.putArray("assumptions");
        p.assumptions().forEach(assumptions::add);
        return mapper.writeValueAsString(root);
    }
}
