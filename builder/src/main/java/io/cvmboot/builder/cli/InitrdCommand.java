package io.cvmboot.builder.cli;

import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.CpioArchive;
import io.cvmboot.initrd.InitrdBuilder;
import io.cvmboot.initrd.InitrdImage;
import io.cvmboot.initrd.NewcOptions;
import io.cvmboot.initrd.Segment;
import io.cvmboot.initrd.WriteResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code builder initrd}: writes a reproducible newc initrd from trees and gen_init_cpio specs.
 * Inputs are applied in the order given; a later entry of the same path replaces an earlier one.
 */
@Command(
        name = "initrd",
        mixinStandardHelpOptions = true,
        subcommands = {InitrdLsCommand.class, InitrdDiffCommand.class},
        description = {
            "Writes a reproducible newc initrd: entries sorted by unsigned UTF-8 bytes, parents implied,",
            "owner 0:0 and normalised modes for trees, mtime = SOURCE_DATE_EPOCH. Prints '<sha256>  <OUT>'."
        })
public final class InitrdCommand implements DirectRunnable {
    @Spec
    CommandSpec spec;

    private final CommandOutput streams = new CommandOutput();

    /** One --tree or --spec, kept in command-line order. */
    static final class Input {
        @Option(names = "--tree", paramLabel = "DIR", description = "A directory tree to add at the root.")
        Path tree;

        @Option(names = "--spec", paramLabel = "FILE",
                description = "A gen_init_cpio spec (file, dir, nod, slink, pipe, sock); ${VAR} from the environment.")
        Path spec;

        static Input of(Path tree, Path spec) {
            Input in = new Input();
            in.tree = tree;
            in.spec = spec;
            return in;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "0..*")
    List<Input> inputs = new ArrayList<>();

    /** One --early-tree or --early-spec, for the uncompressed first segment. */
    static final class EarlyInput {
        @Option(names = "--early-tree", paramLabel = "DIR",
                description = "A tree for an uncompressed first segment (e.g. kernel/x86/microcode/AuthenticAMD.bin).")
        Path tree;

        @Option(names = "--early-spec", paramLabel = "FILE", description = "A spec for the uncompressed first segment.")
        Path spec;

        static EarlyInput of(Path tree, Path spec) {
            EarlyInput in = new EarlyInput();
            in.tree = tree;
            in.spec = spec;
            return in;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "0..*")
    List<EarlyInput> earlyInputs = new ArrayList<>();

    @Option(names = "--compress", paramLabel = "ALGO", defaultValue = "none",
            description = "none, gzip, xz (CRC32), zstd or lz4 (legacy frame). Default: ${DEFAULT-VALUE}.")
    String compress;

    @Option(names = "--level", paramLabel = "N",
            description = "Compression level (gzip 1-9, default 6; xz 0-9, default 6; zstd 1-19, default 3; lz4 1-12, default 9).")
    Integer level;

    @Option(names = "--gnu-compatible",
            description = "Byte-identical to 'find . | LC_ALL=C sort | cpio -o -H newc --reproducible' of the normalised tree.")
    boolean gnuCompatible;

    @Option(names = "--hard-links", description = "Store hard links (spec HARDLINK names, trees' nlink > 1); off by default.")
    boolean hardLinks;

    @Option(names = "--source-date-epoch", paramLabel = "N",
            description = "mtime of every entry; default: $SOURCE_DATE_EPOCH, else 0.")
    Long sourceDateEpoch;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "The initrd to write (atomically).")
    Path output;

    /** The options above for {@link PlainOptionParser}; {@code PlainOptionParserTest} checks they agree. */
    static final List<PlainOption> PLAIN_OPTIONS = List.of(
            PlainOption.repeatable("inputs.tree", PlainOption.Kind.PATH, "--tree"),
            PlainOption.repeatable("inputs.spec", PlainOption.Kind.PATH, "--spec"),
            PlainOption.repeatable("earlyInputs.tree", PlainOption.Kind.PATH, "--early-tree"),
            PlainOption.repeatable("earlyInputs.spec", PlainOption.Kind.PATH, "--early-spec"),
            PlainOption.withDefault("compress", PlainOption.Kind.STRING, "none", "--compress"),
            PlainOption.of("level", PlainOption.Kind.INT, "--level"),
            PlainOption.of("gnuCompatible", PlainOption.Kind.SWITCH, "--gnu-compatible"),
            PlainOption.of("hardLinks", PlainOption.Kind.SWITCH, "--hard-links"),
            PlainOption.of("sourceDateEpoch", PlainOption.Kind.LONG, "--source-date-epoch"),
            PlainOption.of("output", PlainOption.Kind.PATH, "-o", "--output"));

    static final Set<String> SUBCOMMANDS = Set.of("ls", "diff");

    @Override
    public void setPlainOption(String key, Object value) {
        switch (key) {
            case "inputs.tree" -> inputs.add(Input.of((Path) value, null));
            case "inputs.spec" -> inputs.add(Input.of(null, (Path) value));
            case "earlyInputs.tree" -> earlyInputs.add(EarlyInput.of((Path) value, null));
            case "earlyInputs.spec" -> earlyInputs.add(EarlyInput.of(null, (Path) value));
            case "compress" -> compress = (String) value;
            case "level" -> level = (Integer) value;
            case "gnuCompatible" -> gnuCompatible = (Boolean) value;
            case "hardLinks" -> hardLinks = (Boolean) value;
            case "sourceDateEpoch" -> sourceDateEpoch = (Long) value;
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
        PrintWriter err = streams.err(spec);
        if (inputs.isEmpty()) {
            throw new UserInputException("give at least one --tree DIR or --spec FILE");
        }
        if (output == null) {
            throw new UserInputException("give the output file with -o OUT");
        }
        Compression compression = Compression.ofCliName(compress);
        int lvl = level != null ? level : compression.defaultLevel();
        compression.checkLevel(lvl);
        long epoch = sourceDateEpoch();
        List<Segment> segments = new ArrayList<>();
        if (!earlyInputs.isEmpty()) {
            var early = new InitrdBuilder().hardLinks(hardLinks);
            for (EarlyInput in : earlyInputs) {
                add(early, in.tree, in.spec);
            }
            segments.add(Segment.uncompressed(early.build()));
        }
        var main = new InitrdBuilder().hardLinks(hardLinks);
        for (Input in : inputs) {
            add(main, in.tree, in.spec);
        }
        CpioArchive archive = main.build();
        segments.add(new Segment(archive, compression, lvl));
        Path parent = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new UserInputException("output " + output + ": directory " + parent + " does not exist");
        }
        WriteResult result = new InitrdImage(segments, new NewcOptions(epoch, gnuCompatible)).write(output);
        err.println("initrd: wrote " + output + " (" + result.size() + " bytes, " + archive.entries().size()
                + " entries, " + compression.cliName() + (segments.size() > 1 ? ", with an uncompressed early segment" : "") + ")");
        streams.out(spec).println(result.sha256().hex() + "  " + output);
        return ExitCodes.OK;
    }

    private static void add(InitrdBuilder builder, Path tree, Path specFile) throws Exception {
        if (tree != null) {
            builder.addTree(tree);
        } else {
            builder.addSpec(specFile, System.getenv());
        }
    }

    private long sourceDateEpoch() throws UserInputException {
        String source = "--source-date-epoch";
        String text = sourceDateEpoch != null ? sourceDateEpoch.toString() : System.getenv("SOURCE_DATE_EPOCH");
        if (sourceDateEpoch == null) {
            source = "SOURCE_DATE_EPOCH";
        }
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UserInputException(source + ": expected seconds since 1970 as a decimal number, found '" + text + "'", e);
        }
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new UserInputException(source + ": " + value
                    + " does not fit the 32-bit newc mtime field (0..4294967295)");
        }
        return value;
    }

}
