package io.cvmboot.builder.build;

import io.cvmboot.builder.build.ManifestJson.Manifest;
import io.cvmboot.builder.spec.BuildSpec;
import io.cvmboot.builder.spec.BuildSpec.FileRef;
import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.CpioArchive;
import io.cvmboot.initrd.InitrdImage;
import io.cvmboot.initrd.NewcOptions;
import io.cvmboot.initrd.Segment;
import io.cvmboot.initrd.WriteResult;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.uki.AuthenticodeSigner;
import io.cvmboot.uki.SigningIdentity;
import io.cvmboot.uki.Uki;
import io.cvmboot.uki.UkiAssembler;
import io.cvmboot.uki.UkiSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The build, one step after the other, each a call returning a value: inputs (read once, digests
 * known) → stage1 config → initrd → UKI → measurements → manifest. Writes into a staging directory
 * that the caller commits; reports one progress line per step.
 */
public final class BuildPipeline {
    private final InputResolver inputs;
    private final Stage1Runtime stage1;
    private final PcrPredictor pcrs;
    private final Consumer<String> progress;

    /**
     * @param inputs reads the spec's inputs
     * @param stage1 the stage1 runtime to place into the initrd
     * @param pcrs predicts the TPM PCRs of the UKI boot
     * @param progress receives one human-readable line per step
     */
    public BuildPipeline(InputResolver inputs, Stage1Runtime stage1, PcrPredictor pcrs, Consumer<String> progress) {
        this.inputs = inputs;
        this.stage1 = stage1;
        this.pcrs = pcrs;
        this.progress = progress;
    }

    /**
     * What to build and where.
     *
     * @param specName how the spec is named in messages and the manifest
     * @param specBytes the spec's bytes (their SHA-256 goes into the manifest)
     * @param specDir where relative paths in the spec resolve
     * @param sourceDateEpoch the time stamped into archive entries
     */
    public record Request(BuildSpec spec, String specName, byte[] specBytes, Path specDir, long sourceDateEpoch,
            String toolVersion) {}

    /** The outcome: the artefacts written and the measurements. */
    public record Result(List<Artefact> artefacts, ExpectedMeasurements expected, Digest specSha256) {}

    public Result run(Request request, Path staging)
            throws IOException, BuildInputException, ArtefactInputException, MeasureException {
        BuildSpec spec = request.spec();
        List<ResolvedFile> used = new ArrayList<>();
        ResolvedFile kernel = resolve("kernel", spec.kernel(), used);
        ResolvedFile firmware = resolve("firmware", spec.firmware(), used);
        ResolvedFile stub = resolve("stub", spec.stub(), used);
        ResolvedFile busybox = spec.busybox() == null ? null : resolve("busybox", spec.busybox(), used);
        List<InitrdLayout.Module> modules = new ArrayList<>();
        for (BuildSpec.KernelModule m : spec.kernelModules()) {
            modules.add(new InitrdLayout.Module(resolve("module", m.ref(), used), m.optional()));
        }
        List<InitrdLayout.Library> libraries = new ArrayList<>();
        for (FileRef l : spec.libraries()) {
            ResolvedFile f = resolve("library", l, used);
            libraries.add(new InitrdLayout.Library(l.pkg() != null ? "/" + l.path() : "/lib/x86_64-linux-gnu/" + f.fileName(), f));
        }
        List<ResolvedFile> caCerts = List.of();
        if (spec.caCertificates() != null) {
            caCerts = inputs.directory("ca-certificates", spec.caCertificates());
            progress.accept("input ca-certificates: " + caCerts.size() + " certificates from " + describe(spec.caCertificates()));
            used.addAll(caCerts);
        }
        ResolvedFile stage2 = spec.stage1().demo() ? Stage1Config.demoStage2()
                : spec.stage1().stage2() == null ? null : resolve("stage2", spec.stage1().stage2(), used);
        List<InitrdLayout.ExtraEntry> extras = new ArrayList<>();
        for (BuildSpec.ExtraFile x : spec.initrd().files()) {
            Path source = request.specDir().resolve(x.source());
            ResolvedFile f = new ResolvedFile("initrd-file", x.source(), Files.readAllBytes(source));
            if (x.sha256() != null && !f.sha256().hex().equalsIgnoreCase(x.sha256())) {
                throw new BuildInputException("initrd file " + source + ": expected sha256 " + x.sha256().toLowerCase(java.util.Locale.ROOT)
                        + ", found " + f.sha256().hex());
            }
            used.add(f);
            extras.add(new InitrdLayout.ExtraEntry(x.path(), x.mode() == null ? 0644 : Integer.parseInt(x.mode(), 8), f.bytes()));
        }

        byte[] config = Stage1Config.bytes(spec.stage1(), request.specDir(), stage2);
        progress.accept("stage1 config: " + config.length + " bytes, sha256 " + sha256(config).hex());

        CpioArchive archive = InitrdLayout.archive(new InitrdLayout.Inputs(stage1, libraries, modules, spec.network(),
                caCerts, busybox, extras, spec.initrd().specFiles().stream().map(request.specDir()::resolve).toList()));
        String cmdline = spec.cmdline().strip() + " " + stage1.kernelCommandLine();
        Compression compression = Compression.ofCliName(spec.initrd().compression());
        int level = spec.initrd().level() == null ? compression.defaultLevel() : spec.initrd().level();
        compression.checkLevel(level);
        InitrdImage image = new InitrdImage(List.of(new Segment(archive, compression, level)),
                new NewcOptions(request.sourceDateEpoch(), false));
        long t0 = System.nanoTime();
        // Written once, in memory: the UKI embeds these bytes and initrd.img publishes them.
        java.io.ByteArrayOutputStream initrdOut = new java.io.ByteArrayOutputStream();
        WriteResult initrd = image.write(initrdOut);
        byte[] initrdBytes = initrdOut.toByteArray();
        write(staging, OutputLayout.INITRD, initrdBytes);
        progress.accept(String.format("initrd: %d entries, %s level %d, %d bytes, sha256 %s (%.1f s)",
                archive.entries().size(), compression.cliName(), level, initrd.size(), initrd.sha256().hex(),
                (System.nanoTime() - t0) / 1e9));

        UkiSpec.Builder uki = UkiSpec.builder()
                .stub(stub.bytes())
                .linux(kernel.bytes())
                .initrd(initrdBytes)
                .cmdline(cmdline)
                .osRelease(spec.uki().osRelease().getBytes(StandardCharsets.UTF_8));
        if (spec.uki().uname() != null) {
            uki.uname(spec.uki().uname());
        }
        Uki assembled = UkiAssembler.assemble(uki.build());
        byte[] ukiBytes = assembled.bytes();
        if (spec.uki().signKey() != null) {
            Path key = request.specDir().resolve(spec.uki().signKey());
            Path cert = request.specDir().resolve(spec.uki().signCert());
            SigningIdentity id = SigningIdentity.fromPem(key.toString(), Files.readAllBytes(key), cert.toString(),
                    Files.readAllBytes(cert));
            ukiBytes = AuthenticodeSigner.sign(OutputLayout.UKI, ukiBytes, id, Digest.HashAlgorithm.SHA256);
        }
        write(staging, OutputLayout.UKI, ukiBytes);
        progress.accept("uki: sections " + String.join(" ", assembled.sections()) + ", " + ukiBytes.length
                + " bytes, sha256 " + sha256(ukiBytes).hex() + (spec.uki().signKey() != null ? ", signed" : ""));

        write(staging, OutputLayout.KERNEL, kernel.bytes());
        write(staging, OutputLayout.FIRMWARE, firmware.bytes());
        write(staging, OutputLayout.STAGE1_CONFIG, config);
        if (stage2 != null) {
            write(staging, OutputLayout.STAGE2, stage2.bytes());
        }

        var snp = SnpDigests.compute(spec.measurements().snp(), firmware);
        for (var d : snp) {
            progress.accept("snp: " + d.vcpus() + " x " + d.vcpuType() + " " + d.vmmType() + " features " + d.guestFeatures()
                    + " -> " + d.measurement().hex());
        }
        PcrPredictor.Prediction prediction = pcrs.predict(ukiBytes, spec.uki().signKey() != null, config,
                stage2 == null ? null : stage2.bytes(), spec.measurements().tpmBanks());
        prediction.pcrs().forEach((bank, values) -> values.forEach((pcr, v) ->
                progress.accept("tpm: " + bank + " PCR " + pcr + " -> " + v.hex())));
        ExpectedMeasurements expected = new ExpectedMeasurements(cmdline, snp, prediction.pcrs(),
                prediction.notPredicted());
        write(staging, OutputLayout.EXPECTED, expected.toJson());

        List<Artefact> artefacts = new ArrayList<>();
        try (var files = Files.list(staging)) {
            for (Path p : files.sorted().toList()) {
                artefacts.add(new Artefact(p.getFileName().toString(), Files.size(p), ManifestCheck.sha256(p)));
            }
        }
        Digest specSha256 = sha256(request.specBytes());
        Manifest manifest = new Manifest(request.toolVersion(), Runtime.version().toString(), request.specName(),
                specSha256.hex(), request.sourceDateEpoch(), cmdline, artefacts, used);
        write(staging, OutputLayout.MANIFEST, ManifestJson.write(manifest));
        progress.accept("manifest: " + artefacts.size() + " artefacts, " + used.size() + " inputs, spec sha256 "
                + specSha256.hex());
        return new Result(List.copyOf(artefacts), expected, specSha256);
    }

    private ResolvedFile resolve(String role, FileRef ref, List<ResolvedFile> used) throws IOException, BuildInputException {
        ResolvedFile f = inputs.file(role, ref);
        used.add(f);
        progress.accept("input " + role + ": " + f.origin() + ", " + f.size() + " bytes, sha256 " + f.sha256().hex());
        return f;
    }

    private static String describe(FileRef ref) {
        return ref.pkg() != null ? ref.pkg() + ":" + ref.path() : ref.file();
    }

    private static Digest sha256(byte[] b) {
        return Digest.compute(Digest.HashAlgorithm.SHA256, b);
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Path target = dir.resolve(name);
        Files.write(target, bytes);
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
}
