package io.cvmboot.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.snp.EcKeys;
import io.cvmboot.measure.snp.GuestFeatures;
import io.cvmboot.measure.snp.GuestMode;
import io.cvmboot.measure.snp.IdAuth;
import io.cvmboot.measure.snp.IdBlock;
import io.cvmboot.measure.snp.IdBlockSigner;
import io.cvmboot.measure.snp.IntLiterals;
import io.cvmboot.measure.snp.LaunchDigestCalculator;
import io.cvmboot.measure.snp.LaunchInput;
import io.cvmboot.measure.snp.LaunchMeasurement;
import io.cvmboot.measure.snp.OvmfImage;
import io.cvmboot.measure.snp.PageUpdate;
import io.cvmboot.measure.snp.SevHashTable;
import io.cvmboot.measure.snp.SevMetadataSection;
import io.cvmboot.measure.snp.VcpuSignature;
import io.cvmboot.measure.snp.VcpuType;
import io.cvmboot.measure.snp.VmmType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code builder measure snp}: a drop-in for virtee/sev-snp-measure (same flags, same output:
 * the digest alone on stdout), plus {@code --json} with the inputs' sha256 and intermediate values.
 */
@Command(
        name = "snp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Computes the AMD SEV/SEV-ES/SEV-SNP launch digest offline; a drop-in for sev-snp-measure",
            "(same flags and output). Prints the digest alone on stdout; --json prints the inputs' sha256",
            "and the intermediate values instead."
        },
        subcommands = MeasureSnpCommand.IdBlockCommand.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:digest printed",
            "1:I/O error",
            "2:unusable input or bad usage: the one-line message names the file or flag"
        })
public final class MeasureSnpCommand implements DirectRunnable {
    @Spec
    CommandSpec spec;

    // Not marked required so that the id-block subcommand can run without them; checked in call().
    @Option(names = "--mode", paramLabel = "MODE", description = "Guest mode: sev, seves, snp, snp:ovmf-hash, snp:svsm.")
    String mode;

    @Option(names = "--vcpus", paramLabel = "N", description = "Number of guest vCPUs (at least 1).")
    Integer vcpus;

    @Option(names = "--vcpu-type", paramLabel = "CPUTYPE", description = "QEMU CPU model, e.g. EPYC-v4, EPYC-Milan, EPYC-Genoa.")
    String vcpuType;

    @Option(names = "--vcpu-sig", paramLabel = "VALUE", description = "vCPU signature (CPUID 1 EAX), e.g. 0xa00f11.")
    String vcpuSig;

    @Option(names = "--vcpu-family", paramLabel = "FAMILY", description = "vCPU family (with --vcpu-model and --vcpu-stepping).")
    Integer vcpuFamily;

    @Option(names = "--vcpu-model", paramLabel = "MODEL", description = "vCPU model.")
    Integer vcpuModel;

    @Option(names = "--vcpu-stepping", paramLabel = "STEPPING", description = "vCPU stepping.")
    Integer vcpuStepping;

    @Option(names = "--vmm-type", paramLabel = "VMMTYPE", defaultValue = "QEMU", description = "QEMU (default), ec2 or gce.")
    String vmmType;

    @Option(names = "--ovmf", paramLabel = "PATH", description = "The firmware image (one ROM ending at 4 GiB).")
    Path ovmf;

    @Option(names = "--kernel", paramLabel = "PATH", description = "Kernel for measured direct boot (kernel-hashes=on).")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "PATH", description = "Initrd (with --kernel).")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line (with --kernel).")
    String append;

    @Option(names = "--guest-features", paramLabel = "VALUE", defaultValue = "0x1",
            description = "SEV_FEATURES of the VMSA (default 0x1; 0x21 for KVM hosts with debug_swap).")
    String guestFeatures;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "hex", description = "hex (default) or base64.")
    String outputFormat;

    @Option(names = "--snp-ovmf-hash", paramLabel = "HASH", description = "Precomputed firmware digest (hex, from --mode snp:ovmf-hash).")
    String snpOvmfHash;

    @Option(names = "--svsm", paramLabel = "PATH", description = "SVSM image (snp:svsm).")
    Path svsm;

    @Option(names = "--vars-size", paramLabel = "SIZE", description = "OVMF_VARS size in bytes (snp:svsm).")
    Long varsSize;

    @Option(names = "--vars-file", paramLabel = "PATH", description = "OVMF_VARS file; only its size is used (snp:svsm).")
    Path varsFile;

    @Option(names = "--dump-vmsa", description = "Write the measured VMSA pages to vmsa<N>.bin (seves, snp, snp:svsm).")
    boolean dumpVmsa;

    @Option(names = "--dump-vmsa-dir", paramLabel = "DIR",
            description = "Where --dump-vmsa writes (default: the current directory; cvmboot extension).")
    Path dumpVmsaDir;

    @Option(names = {"-v", "--verbose"}, description = "Print 'Calculated <MODE> guest measurement: <digest>'.")
    boolean verbose;

    @Option(names = "--json", description = "Print JSON: digest, inputs' sha256, intermediate values (cvmboot extension).")
    boolean json;

    @Option(names = "--trace", description = "With --json: include every PAGE_INFO step (SNP modes).")
    boolean trace;

    private final CommandOutput streams = new CommandOutput();

    /**
     * Entry point of {@code bin/sev-snp-measure}: {@code builder measure snp ARGS}, started without
     * the builder's other commands (see docs/snp.md, "Speed").
     */
    public static void main(String[] args) {
        String[] full = new String[args.length + 2];
        full[0] = "measure";
        full[1] = "snp";
        System.arraycopy(args, 0, full, 2, args.length);
        io.cvmboot.builder.Main.main(full);
    }

    /** The options above for {@link PlainOptionParser}; {@code PlainOptionParserTest} checks they agree. */
    static final List<PlainOption> PLAIN_OPTIONS = List.of(
            PlainOption.of("mode", PlainOption.Kind.STRING, "--mode"),
            PlainOption.of("vcpus", PlainOption.Kind.INT, "--vcpus"),
            PlainOption.of("vcpuType", PlainOption.Kind.STRING, "--vcpu-type"),
            PlainOption.of("vcpuSig", PlainOption.Kind.STRING, "--vcpu-sig"),
            PlainOption.of("vcpuFamily", PlainOption.Kind.INT, "--vcpu-family"),
            PlainOption.of("vcpuModel", PlainOption.Kind.INT, "--vcpu-model"),
            PlainOption.of("vcpuStepping", PlainOption.Kind.INT, "--vcpu-stepping"),
            PlainOption.withDefault("vmmType", PlainOption.Kind.STRING, "QEMU", "--vmm-type"),
            PlainOption.of("ovmf", PlainOption.Kind.PATH, "--ovmf"),
            PlainOption.of("kernel", PlainOption.Kind.PATH, "--kernel"),
            PlainOption.of("initrd", PlainOption.Kind.PATH, "--initrd"),
            PlainOption.of("append", PlainOption.Kind.STRING, "--append"),
            PlainOption.withDefault("guestFeatures", PlainOption.Kind.STRING, "0x1", "--guest-features"),
            PlainOption.withDefault("outputFormat", PlainOption.Kind.STRING, "hex", "--output-format"),
            PlainOption.of("snpOvmfHash", PlainOption.Kind.STRING, "--snp-ovmf-hash"),
            PlainOption.of("svsm", PlainOption.Kind.PATH, "--svsm"),
            PlainOption.of("varsSize", PlainOption.Kind.LONG, "--vars-size"),
            PlainOption.of("varsFile", PlainOption.Kind.PATH, "--vars-file"),
            PlainOption.of("dumpVmsa", PlainOption.Kind.SWITCH, "--dump-vmsa"),
            PlainOption.of("dumpVmsaDir", PlainOption.Kind.PATH, "--dump-vmsa-dir"),
            PlainOption.of("verbose", PlainOption.Kind.SWITCH, "-v", "--verbose"),
            PlainOption.of("json", PlainOption.Kind.SWITCH, "--json"),
            PlainOption.of("trace", PlainOption.Kind.SWITCH, "--trace"));

    static final Set<String> SUBCOMMANDS = Set.of("id-block");

    @Override
    public void setPlainOption(String key, Object value) {
        switch (key) {
            case "mode" -> mode = (String) value;
            case "vcpus" -> vcpus = (Integer) value;
            case "vcpuType" -> vcpuType = (String) value;
            case "vcpuSig" -> vcpuSig = (String) value;
            case "vcpuFamily" -> vcpuFamily = (Integer) value;
            case "vcpuModel" -> vcpuModel = (Integer) value;
            case "vcpuStepping" -> vcpuStepping = (Integer) value;
            case "vmmType" -> vmmType = (String) value;
            case "ovmf" -> ovmf = (Path) value;
            case "kernel" -> kernel = (Path) value;
            case "initrd" -> initrd = (Path) value;
            case "append" -> append = (String) value;
            case "guestFeatures" -> guestFeatures = (String) value;
            case "outputFormat" -> outputFormat = (String) value;
            case "snpOvmfHash" -> snpOvmfHash = (String) value;
            case "svsm" -> svsm = (Path) value;
            case "varsSize" -> varsSize = (Long) value;
            case "varsFile" -> varsFile = (Path) value;
            case "dumpVmsa" -> dumpVmsa = (Boolean) value;
            case "dumpVmsaDir" -> dumpVmsaDir = (Path) value;
            case "verbose" -> verbose = (Boolean) value;
            case "json" -> json = (Boolean) value;
            case "trace" -> trace = (Boolean) value;
            default -> throw new IllegalArgumentException("no option " + key);
        }
    }

    @Override
    public void useStreams(PrintWriter out, PrintWriter err) {
        streams.use(out, err);
    }

    private PrintWriter out() {
        return streams.out(spec);
    }

    @Override
    public Integer call() throws Exception {
        GuestMode guestMode = parseMode();
        if (ovmf == null) {
            throw new UserInputException("missing --ovmf PATH (the firmware image)");
        }
        checkOutputFormat();
        if (trace && !json) {
            throw new UserInputException("--trace needs --json");
        }
        if (dumpVmsa && !guestMode.hasVmsas()) {
            throw new UserInputException("--dump-vmsa is only available in modes seves, snp and snp:svsm");
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        // The kernel and initrd SHA-256 are independent of the firmware pages: start them first so
        // that they run on the second core while this thread reads and hashes the firmware.
        FileHashes kernelFiles = kernel == null || guestMode == GuestMode.SNP_OVMF_HASH ? null : FileHashes.start(kernel, initrd);
        OvmfImage firmware = OvmfImage.read(ovmf);
        inputs.put("ovmf", fileInfo(ovmf, firmware.length(), json ? firmware.sha256().hex() : null));

        LaunchInput.Builder b = LaunchInput.builder(guestMode, firmware);
        Digest firmwareDigest = null;
        if (guestMode == GuestMode.SNP && snpOvmfHash == null && kernelFiles != null && !trace) {
            // Same chain, split at the firmware boundary: the firmware part runs while the kernel hashes.
            firmwareDigest = LaunchDigestCalculator.firmwareDigest(firmware);
        }
        if (guestMode != GuestMode.SNP_OVMF_HASH) {
            configure(b, guestMode, firmware, inputs, kernelFiles);
        }
        if (firmwareDigest != null) {
            b.firmwareHash(firmwareDigest);
        }
        LaunchInput input;
        try {
            input = b.build();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        LaunchMeasurement m = LaunchDigestCalculator.compute(input, trace);
        if (dumpVmsa) {
            writeVmsaPages(input);
        }
        PrintWriter out = out();
        if (json) {
            // When the chain was split, the firmware pages were counted outside this measurement.
            int firmwarePages = firmwareDigest != null ? firmware.length() / OvmfImage.PAGE_SIZE : 0;
            out.println(json(input, m, inputs, snpOvmfHash != null, firmwarePages));
        } else {
            out.println(formatted(m));
        }
        return ExitCodes.OK;
    }

    /** vmsa0.bin (BSP), vmsa1.bin, ... as the reference names them; each written whole, then renamed. */
    private void writeVmsaPages(LaunchInput input) throws IOException, MeasureException {
        Path dir = dumpVmsaDir != null ? dumpVmsaDir : Path.of("");
        List<byte[]> pages = LaunchDigestCalculator.vmsaPages(input);
        for (int i = 0; i < pages.size(); i++) {
            io.cvmboot.builder.FileTrees.writeAtomically(dir.resolve("vmsa" + i + ".bin"), pages.get(i));
        }
    }

    private GuestMode parseMode() throws UserInputException {
        if (mode == null) {
            throw new UserInputException("missing --mode (one of " + GuestMode.validNames() + ")");
        }
        return GuestMode.fromCliName(mode).orElseThrow(() -> new UserInputException(
                "--mode: unknown mode '" + mode + "' (valid: " + GuestMode.validNames() + ")"));
    }

    private void checkOutputFormat() throws UserInputException {
        if (!outputFormat.equals("hex") && !outputFormat.equals("base64")) {
            throw new UserInputException("--output-format: expected hex or base64, found '" + outputFormat + "'");
        }
    }

    /** Everything but the firmware, with the reference CLI's checks and precedence. */
    private void configure(LaunchInput.Builder b, GuestMode guestMode, OvmfImage firmware, Map<String, Object> inputs,
            FileHashes kernelFiles) throws UserInputException, IOException, MeasureException {
        if (initrd != null && kernel == null) {
            throw new UserInputException("--kernel required when using --initrd");
        }
        // The reference accepts an empty --append without --kernel (it measures nothing), so do we.
        if (append != null && !append.isEmpty() && kernel == null) {
            throw new UserInputException("--kernel required when using --append");
        }
        VmmType vmm = VmmType.fromCliName(vmmType).orElseThrow(() -> new UserInputException(
                "--vmm-type: unknown VMM type '" + vmmType + "' (valid: " + VmmType.validNames() + ")"));
        b.vmm(vmm);
        if (guestMode.hasVmsas()) {
            if (vcpus == null) {
                throw new UserInputException("missing --vcpus N in guest mode '" + guestMode.cliName() + "'");
            }
            if (vcpus < 1) {
                throw new UserInputException("--vcpus: expected a vCPU count of at least 1, found " + vcpus);
            }
            b.vcpus(vcpus);
            VcpuSignature sig = signature();
            if (sig == null && vmm == VmmType.QEMU) {
                throw new UserInputException("missing --vcpu-type or --vcpu-sig or --vcpu-family in guest mode '"
                        + guestMode.cliName() + "'");
            }
            b.signature(sig);
        }
        try {
            b.guestFeatures(GuestFeatures.parse(guestFeatures));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--guest-features: " + e.getMessage(), e);
        }
        if (snpOvmfHash != null) {
            b.firmwareHash(parseFirmwareHash());
        }
        if (kernel != null) {
            Digest kernelDigest = kernelFiles.kernel();
            Digest initrdDigest = initrd == null ? SevHashTable.noInitrd() : kernelFiles.initrd();
            inputs.put("kernel", fileInfo(kernel, Files.size(kernel), kernelDigest.hex()));
            if (initrd != null) {
                inputs.put("initrd", fileInfo(initrd, Files.size(initrd), initrdDigest.hex()));
            }
            b.kernelHashes(SevHashTable.fromDigests(kernelDigest, initrdDigest, append));
        }
        if (append != null) {
            inputs.put("append", append);
        }
        if (guestMode == GuestMode.SNP_SVSM) {
            b.svsm(svsmImage(firmware, inputs));
        } else if (svsm != null) {
            throw new UserInputException("--svsm only applies to --mode snp:svsm");
        }
    }

    /** The reference's precedence: family/model/stepping, then --vcpu-sig, then --vcpu-type. */
    private VcpuSignature signature() throws UserInputException {
        try {
            if (vcpuFamily != null) {
                if (vcpuModel == null || vcpuStepping == null) {
                    throw new UserInputException("--vcpu-family needs --vcpu-model and --vcpu-stepping");
                }
                return VcpuSignature.of(vcpuFamily, vcpuModel, vcpuStepping);
            }
            if (vcpuSig != null) {
                BigInteger v = IntLiterals.parse(vcpuSig);
                if (v.signum() < 0 || v.bitLength() > 32) {
                    throw new UserInputException("--vcpu-sig: expected a 32-bit CPUID signature, found " + vcpuSig);
                }
                return new VcpuSignature(v.longValue());
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException((vcpuFamily != null ? "--vcpu-family: " : "--vcpu-sig: ") + e.getMessage(), e);
        }
        if (vcpuType != null) {
            return VcpuType.fromQemuName(vcpuType).map(VcpuType::signature).orElseThrow(() -> new UserInputException(
                    "--vcpu-type: unknown vCPU type '" + vcpuType + "' (valid, case-sensitive: " + VcpuType.validNames() + ")"));
        }
        return null;
    }

    private Digest parseFirmwareHash() throws UserInputException {
        try {
            byte[] h = HexFormat.of().parseHex(snpOvmfHash.strip());
            if (h.length != HashAlgorithm.SHA384.length()) {
                throw new UserInputException("--snp-ovmf-hash: expected 48 bytes (96 hex digits), found " + h.length + " bytes");
            }
            return Digest.of(HashAlgorithm.SHA384, h);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--snp-ovmf-hash: not a hex string: '" + snpOvmfHash + "'", e);
        }
    }

    private OvmfImage svsmImage(OvmfImage firmware, Map<String, Object> inputs)
            throws UserInputException, IOException, MeasureException {
        if (svsm == null) {
            throw new UserInputException("snp:svsm mode requires --svsm PATH");
        }
        if ((varsSize == null) == (varsFile == null)) {
            throw new UserInputException("snp:svsm mode requires exactly one of --vars-size or --vars-file");
        }
        long vars = varsFile != null ? Files.size(varsFile) : varsSize;
        if (vars < 0) {
            throw new UserInputException("--vars-size: expected a size in bytes, found " + vars);
        }
        byte[] svsmBytes = Files.readAllBytes(svsm);
        inputs.put("svsm", fileInfo(svsm, svsmBytes.length, json ? sha256(svsmBytes) : null));
        inputs.put("varsSize", vars);
        return OvmfImage.parse(svsm.toString(), svsmBytes, firmware.gpa() - vars);
    }

    /** The digest as the reference prints it. */
    private String formatted(LaunchMeasurement m) {
        // snp:ovmf-hash always prints hex, whatever --output-format says (as the reference does).
        if (m.mode() == GuestMode.SNP_OVMF_HASH) {
            return m.launchDigest().hex();
        }
        String value = outputFormat.equals("base64")
                ? Base64.getEncoder().encodeToString(m.launchDigest().bytes())
                : m.launchDigest().hex();
        return verbose ? "Calculated " + referenceModeName(m.mode()) + " guest measurement: " + value : value;
    }

    private static String referenceModeName(GuestMode m) {
        return switch (m) {
            case SEV -> "SEV";
            case SEV_ES -> "SEV_ES";
            case SNP, SNP_OVMF_HASH -> "SEV_SNP";
            case SNP_SVSM -> "SEV_SNP_SVSM";
        };
    }

    private String json(LaunchInput in, LaunchMeasurement m, Map<String, Object> inputs, boolean firmwareHashGiven,
            int firmwarePagesOutside) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("mode", m.mode().cliName());
        root.put("measurement", m.launchDigest().hex());
        root.put("measurementBase64", Base64.getEncoder().encodeToString(m.launchDigest().bytes()));
        root.put("inputs", inputs);
        Map<String, Object> params = new LinkedHashMap<>();
        if (m.mode().hasVmsas()) {
            params.put("vcpus", in.vcpus());
            in.signature().ifPresent(s -> params.put("vcpuSignature", s.toString()));
            params.put("vmmType", in.vmm().cliName());
        }
        if (m.mode() == GuestMode.SNP) {
            params.put("guestFeatures", in.guestFeatures().toString());
        }
        root.put("parameters", params);
        Map<String, Object> mid = new LinkedHashMap<>();
        mid.put("ovmfGpa", hex(in.firmware().gpa()));
        m.firmwareDigest().ifPresent(d -> mid.put(firmwareHashGiven ? "firmwareDigestGiven" : "firmwareDigest", d.hex()));
        List<Map<String, Object>> sections = new ArrayList<>();
        for (SevMetadataSection s : (in.svsm().isPresent() ? in.svsm().get() : in.firmware()).sections()) {
            sections.add(Map.of("gpa", hex(s.gpa()), "size", hex(s.size()), "type", s.type().name()));
        }
        mid.put("metadataSections", sections);
        m.apResetEip().ifPresent(e -> mid.put(m.mode() == GuestMode.SNP_SVSM ? "svsmEntry" : "apResetEip", hex(e)));
        m.kernelHashes().ifPresent(t -> {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("cmdlineSha256", t.cmdline().hex());
            k.put("initrdSha256", t.initrd().hex());
            k.put("kernelSha256", t.kernel().hex());
            k.put("table", HexFormat.of().formatHex(t.toBytes()));
            m.kernelHashesGpa().ifPresent(g -> k.put("pageGpa", hex(g)));
            mid.put("kernelHashes", k);
        });
        if (!m.vmsaDigests().isEmpty()) {
            String alg = m.vmsaDigests().getFirst().algorithm().label();
            mid.put("vmsaBsp" + alg.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + alg.substring(1),
                    m.vmsaDigests().get(0).hex());
            if (m.vmsaDigests().size() > 1) {
                mid.put("vmsaAp" + alg.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + alg.substring(1),
                        m.vmsaDigests().get(1).hex());
            }
        }
        if (m.pageUpdates() > 0) {
            mid.put("pageUpdates", m.pageUpdates() + firmwarePagesOutside);
        }
        root.put("intermediates", mid);
        if (trace) {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (PageUpdate u : m.trace()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("index", u.index());
                s.put("type", u.type().name());
                s.put("gpa", hex(u.gpa()));
                s.put("contents", u.contents().hex());
                s.put("launchDigest", u.launchDigest().hex());
                steps.add(s);
            }
            root.put("trace", steps);
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }

    private static Map<String, Object> fileInfo(Path p, long size, String sha256) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", p.toString());
        m.put("size", size);
        if (sha256 != null) {
            m.put("sha256", sha256);
        }
        return m;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String sha256(byte[] data) {
        return Digest.compute(HashAlgorithm.SHA256, data).hex();
    }

    /** SHA-256 of the kernel and initrd, computed on a second thread. */
    private static final class FileHashes {
        private final FutureTask<Digest> kernel;
        private final FutureTask<Digest> initrd;

        private FileHashes(Path kernel, Path initrd) {
            this.kernel = new FutureTask<>(() -> sha256(kernel));
            this.initrd = new FutureTask<>(() -> initrd == null ? SevHashTable.noInitrd() : sha256(initrd));
        }

        static FileHashes start(Path kernel, Path initrd) {
            FileHashes h = new FileHashes(kernel, initrd);
            Thread.ofPlatform().daemon().name("snp-kernel-sha256").start(() -> {
                h.kernel.run();
                h.initrd.run();
            });
            return h;
        }

        Digest kernel() throws IOException {
            return join(kernel);
        }

        Digest initrd() throws IOException {
            return join(initrd);
        }

        private static Digest join(FutureTask<Digest> task) throws IOException {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing the kernel");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io; // NoSuchFileException keeps its type: exit code 2 naming the file
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Streams a file through SHA-256 without holding it in memory. */
    private static Digest sha256(Path file) throws IOException {
        MessageDigest md = HashAlgorithm.SHA256.newMessageDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return Digest.of(HashAlgorithm.SHA256, md.digest());
    }

    /**
     * {@code builder measure snp id-block}: the SNP ID block and ID auth for QEMU's
     * {@code id-block=}/{@code id-auth=}, a drop-in for snp-create-id-block (same flags and output).
     */
    @Command(
            name = "id-block",
            mixinStandardHelpOptions = true,
            description = {
                "Signs an SNP ID block for a launch digest with P-384 ID and author keys (PEM, SEC1 or PKCS#8).",
                "Prints 'id-block=<b64>,id-auth=<b64>' then the key digests as the attestation report shows them."
            })
    public static final class IdBlockCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--measurement", paramLabel = "VALUE", required = true, description = "Launch digest in base64.")
        String measurement;

        @Option(names = "--idkey", paramLabel = "PATH", required = true, description = "ID private key (EC P-384, PEM).")
        Path idKey;

        @Option(names = "--authorkey", paramLabel = "PATH", required = true, description = "Author private key (EC P-384, PEM).")
        Path authorKey;

        @Override
        public Integer call() throws Exception {
            byte[] ld;
            try {
                ld = Base64.getDecoder().decode(measurement.strip());
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--measurement: not base64: '" + measurement + "'", e);
            }
            if (ld.length != HashAlgorithm.SHA384.length()) {
                throw new UserInputException("--measurement: expected a 48-byte SNP launch digest, found " + ld.length + " bytes");
            }
            KeyPair id = EcKeys.parsePrivatePem(idKey.toString(), Files.readAllBytes(idKey));
            KeyPair author = EcKeys.parsePrivatePem(authorKey.toString(), Files.readAllBytes(authorKey));
            IdBlock block = IdBlock.withDefaults(Digest.of(HashAlgorithm.SHA384, ld));
            IdAuth auth = IdBlockSigner.sign(block, id, author);
            // Fail closed: never hand out a block the firmware would reject.
            IdBlockSigner.verify(block, auth);
            Base64.Encoder b64 = Base64.getEncoder();
            PrintWriter out = spec.commandLine().getOut();
            out.println("id-block=" + b64.encodeToString(block.toBytes()) + ",id-auth=" + b64.encodeToString(auth.toBytes()));
            out.println("id_key_hash: " + b64.encodeToString(auth.idKey().digest().bytes()));
            out.println("author_key: " + b64.encodeToString(auth.authorKey().digest().bytes()));
            return ExitCodes.OK;
        }
    }
}
