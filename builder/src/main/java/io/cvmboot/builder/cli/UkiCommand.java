package io.cvmboot.builder.cli;

import io.cvmboot.builder.FileTrees;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.uki.AuthenticodeSigner;
import io.cvmboot.uki.SigningIdentity;
import io.cvmboot.uki.Uki;
import io.cvmboot.uki.UkiAssembler;
import io.cvmboot.uki.UkiSpec;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code builder uki}: assembles a Unified Kernel Image with ukify's layout, optionally signs it for
 * Secure Boot (deterministically), and writes it atomically. Prints '<sha256>  <OUT>' on stdout.
 */
@Command(
        name = "uki",
        mixinStandardHelpOptions = true,
        subcommands = {UkiInspectCommand.class},
        description = {
            "Assembles a Unified Kernel Image from a systemd-stub, a kernel and its payload sections, with",
            "ukify's layout and no timestamps (same inputs, same bytes). Prints '<sha256>  <OUT>'."
        })
public final class UkiCommand implements DirectRunnable {
    @Spec
    CommandSpec spec;

    private final CommandOutput streams = new CommandOutput();

    // Not picocli-required: `builder uki inspect FILE` must parse without them; call() checks them.
    @Option(names = "--stub", paramLabel = "FILE", description = "Unsigned systemd-stub, e.g. /usr/lib/systemd/boot/efi/linuxx64.efi.stub.")
    Path stub;

    @Option(names = "--linux", paramLabel = "FILE", description = "The kernel (x86 bzImage with EFI stub).")
    Path linux;

    @Option(names = "--initrd", paramLabel = "FILE",
            description = "An initrd; repeat to concatenate several (each zero-padded to 4 bytes).")
    List<Path> initrds = new ArrayList<>();

    @Option(names = "--cmdline", paramLabel = "TEXT|@FILE",
            description = "Kernel command line: TEXT (whitespace runs collapsed, as ukify does) or @FILE (verbatim).")
    String cmdline;

    @Option(names = "--os-release", paramLabel = "FILE", description = "os-release file for .osrel.")
    Path osRelease;

    @Option(names = "--uname", paramLabel = "TEXT", description = "uname -r for .uname; default: read from the kernel's setup header.")
    String uname;

    @Option(names = "--sbat", paramLabel = "FILE",
            description = "SBAT CSV (with its sbat,1 header) merged into .sbat; default: ukify's 'uki' entry.")
    Path sbat;

    @Option(names = "--dtb", paramLabel = "FILE", description = "Devicetree blob for .dtb.")
    Path dtb;

    @Option(names = "--splash", paramLabel = "FILE", description = "BMP image for .splash.")
    Path splash;

    @Option(names = "--pcrpkey", paramLabel = "FILE", description = "PEM public key for .pcrpkey.")
    Path pcrpkey;

    @Option(names = "--sign-key", paramLabel = "K", description = "PEM private key (RSA or EC, unencrypted) to sign the UKI for Secure Boot.")
    Path signKey;

    @Option(names = "--sign-cert", paramLabel = "C", description = "PEM/DER certificate of --sign-key (then any intermediates).")
    Path signCert;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "The UKI to write (atomically).")
    Path output;

    /** The options above for {@link PlainOptionParser}; {@code PlainOptionParserTest} checks they agree. */
    static final List<PlainOption> PLAIN_OPTIONS = List.of(
            PlainOption.of("stub", PlainOption.Kind.PATH, "--stub"),
            PlainOption.of("linux", PlainOption.Kind.PATH, "--linux"),
            PlainOption.repeatable("initrds", PlainOption.Kind.PATH, "--initrd"),
            PlainOption.of("cmdline", PlainOption.Kind.STRING, "--cmdline"),
            PlainOption.of("osRelease", PlainOption.Kind.PATH, "--os-release"),
            PlainOption.of("uname", PlainOption.Kind.STRING, "--uname"),
            PlainOption.of("sbat", PlainOption.Kind.PATH, "--sbat"),
            PlainOption.of("dtb", PlainOption.Kind.PATH, "--dtb"),
            PlainOption.of("splash", PlainOption.Kind.PATH, "--splash"),
            PlainOption.of("pcrpkey", PlainOption.Kind.PATH, "--pcrpkey"),
            PlainOption.of("signKey", PlainOption.Kind.PATH, "--sign-key"),
            PlainOption.of("signCert", PlainOption.Kind.PATH, "--sign-cert"),
            PlainOption.of("output", PlainOption.Kind.PATH, "-o", "--output"));

    static final Set<String> SUBCOMMANDS = Set.of("inspect");

    @Override
    public void setPlainOption(String key, Object value) {
        switch (key) {
            case "stub" -> stub = (Path) value;
            case "linux" -> linux = (Path) value;
            case "initrds" -> initrds.add((Path) value);
            case "cmdline" -> cmdline = (String) value;
            case "osRelease" -> osRelease = (Path) value;
            case "uname" -> uname = (String) value;
            case "sbat" -> sbat = (Path) value;
            case "dtb" -> dtb = (Path) value;
            case "splash" -> splash = (Path) value;
            case "pcrpkey" -> pcrpkey = (Path) value;
            case "signKey" -> signKey = (Path) value;
            case "signCert" -> signCert = (Path) value;
            case "output" -> output = (Path) value;
            default -> throw new IllegalArgumentException("no option " + key);
        }
    }

    @Override
    public void useStreams(PrintWriter out, PrintWriter err) {
        streams.use(out, err);
    }

    @Override
    public Integer call() throws Exception {
        requireOptions();
        UkiSpec.Builder builder = UkiSpec.builder()
                .stub(Files.readAllBytes(stub))
                .linux(Files.readAllBytes(linux))
                .osRelease(Files.readAllBytes(osRelease));
        for (Path initrd : initrds) {
            builder.initrd(Files.readAllBytes(initrd));
        }
        if (cmdline.startsWith("@")) {
            builder.cmdline(Files.readAllBytes(Path.of(cmdline.substring(1))));
        } else {
            builder.cmdline(cmdline);
        }
        if (uname != null) {
            try {
                builder.uname(uname);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--uname: " + e.getMessage(), e);
            }
        }
        if (sbat != null) {
            builder.sbat(Files.readAllBytes(sbat));
        }
        if (dtb != null) {
            builder.dtb(Files.readAllBytes(dtb));
        }
        if (splash != null) {
            builder.splash(Files.readAllBytes(splash));
        }
        if (pcrpkey != null) {
            builder.pcrpkey(Files.readAllBytes(pcrpkey));
        }
        SigningIdentity identity = signKey == null ? null
                : SigningIdentity.fromPem(signKey.toString(), Files.readAllBytes(signKey), signCert.toString(), Files.readAllBytes(signCert));

        Uki uki = UkiAssembler.assemble(builder.build());
        byte[] bytes = uki.bytes();
        if (identity != null) {
            bytes = AuthenticodeSigner.sign(output.toString(), bytes, identity, HashAlgorithm.SHA256);
        }
        FileTrees.writeAtomically(output, bytes);

        var err = streams.err(spec);
        err.println("uki: wrote " + output + " (" + bytes.length + " bytes; sections " + String.join(" ", uki.sections())
                + "; uname " + uki.uname().orElse("(none found)")
                + (identity == null ? "" : "; signed by " + identity.signer().getSubjectX500Principal().getName()) + ")");
        err.println("uki: authenticode sha256 " + Authenticode.digest(output.toString(), bytes, HashAlgorithm.SHA256).hex());
        streams.out(spec).println(Digest.compute(HashAlgorithm.SHA256, bytes).hex() + "  " + output);
        return ExitCodes.OK;
    }

    private void requireOptions() throws UserInputException {
        List<String> missing = new ArrayList<>();
        if (stub == null) {
            missing.add("--stub FILE");
        }
        if (linux == null) {
            missing.add("--linux FILE");
        }
        if (initrds.isEmpty()) {
            missing.add("--initrd FILE");
        }
        if (cmdline == null) {
            missing.add("--cmdline TEXT|@FILE");
        }
        if (osRelease == null) {
            missing.add("--os-release FILE");
        }
        if (output == null) {
            missing.add("-o OUT");
        }
        if (!missing.isEmpty()) {
            throw new UserInputException("missing " + String.join(", ", missing) + " (see builder uki --help)");
        }
        if ((signKey == null) != (signCert == null)) {
            throw new UserInputException("--sign-key and --sign-cert go together");
        }
        Path parent = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new UserInputException("output " + output + ": directory " + parent + " does not exist");
        }
    }
}
