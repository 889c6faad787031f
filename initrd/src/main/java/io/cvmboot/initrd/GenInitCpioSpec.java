package io.cvmboot.initrd;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A spec file in the format of the Linux kernel's usr/gen_init_cpio.c: one entry per line,
 * whitespace-separated fields, octal modes, decimal owners and device numbers, '#' comments.
 *
 * <pre>
 * file  NAME SOURCE MODE UID GID [HARDLINK...]
 * dir   NAME MODE UID GID
 * nod   NAME MODE UID GID b|c MAJ MIN
 * slink NAME TARGET MODE UID GID
 * pipe  NAME MODE UID GID
 * sock  NAME MODE UID GID
 * </pre>
 *
 * Differences from gen_init_cpio, both for reproducibility: a relative SOURCE resolves against the
 * spec file's directory (not the working directory), and an unset {@code ${VAR}} in SOURCE is an
 * error (gen_init_cpio leaves it unexpanded).
 */
public record GenInitCpioSpec(Path file, List<InitrdEntry> entries) {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)\\}");

    public GenInitCpioSpec {
        entries = List.copyOf(entries);
    }

    /** Parses {@code file}; {@code environment} supplies {@code ${VAR}} values in SOURCE fields. */
    public static GenInitCpioSpec parse(Path file, Map<String, String> environment)
            throws IOException, ArtefactInputException {
        if (!Files.isRegularFile(file)) {
            throw new ArtefactInputException("spec " + file + ": expected a spec file, found "
                    + (Files.exists(file) ? "something else" : "no such file"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ArtefactInputException("spec " + file + ": expected UTF-8 text, found invalid bytes", e);
        }
        Path base = file.toAbsolutePath().getParent();
        List<InitrdEntry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            var line = new Line(file, i + 1, lines[i]);
            String trimmed = lines[i].strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            line.parseInto(trimmed.split("[ \t]+"), base, environment, entries);
        }
        return new GenInitCpioSpec(file, entries);
    }

    /** One line being parsed; knows where it is for error messages. */
    private record Line(Path file, int number, String text) {

        void parseInto(String[] f, Path base, Map<String, String> env, List<InitrdEntry> out)
                throws ArtefactInputException, IOException {
            switch (f[0]) {
                case "file" -> {
                    expectAtLeast(f, 6, "file NAME SOURCE MODE UID GID [HARDLINK...]");
                    EntryPath name = path(f[1]);
                    Path source = base.resolve(expand(f[2], env));
                    Content content;
                    try {
                        content = Content.ofFile(source);
                    } catch (ArtefactInputException e) {
                        throw error(e.getMessage(), e);
                    }
                    out.add(InitrdEntry.file(name, mode(f[3]), content).withOwner(id(f[4], "UID"), id(f[5], "GID")));
                    for (int i = 6; i < f.length; i++) {
                        out.add(InitrdEntry.hardLink(path(f[i]), name));
                    }
                }
                case "dir" -> {
                    expectExactly(f, 5, "dir NAME MODE UID GID");
                    out.add(InitrdEntry.directory(path(f[1]), mode(f[2])).withOwner(id(f[3], "UID"), id(f[4], "GID")));
                }
                case "nod" -> {
                    expectExactly(f, 8, "nod NAME MODE UID GID b|c MAJ MIN");
                    EntryType type = switch (f[5]) {
                        case "b" -> EntryType.BLOCK_DEVICE;
                        case "c" -> EntryType.CHAR_DEVICE;
                        default -> throw error("expected device type 'b' or 'c', found '" + f[5] + "'", null);
                    };
                    out.add(InitrdEntry.device(path(f[1]), type, mode(f[2]), id(f[6], "MAJ"), id(f[7], "MIN"))
                            .withOwner(id(f[3], "UID"), id(f[4], "GID")));
                }
                case "slink" -> {
                    expectExactly(f, 6, "slink NAME TARGET MODE UID GID");
                    InitrdEntry link = InitrdEntry.symlink(path(f[1]), f[2]);
                    out.add(new InitrdEntry(link.path(), EntryType.SYMLINK, mode(f[3]), id(f[4], "UID"),
                            id(f[5], "GID"), 0, 0, link.content(), null));
                }
                case "pipe", "sock" -> {
                    expectExactly(f, 5, f[0] + " NAME MODE UID GID");
                    EntryType type = f[0].equals("pipe") ? EntryType.FIFO : EntryType.SOCKET;
                    out.add(InitrdEntry.special(path(f[1]), type, mode(f[2])).withOwner(id(f[3], "UID"), id(f[4], "GID")));
                }
                default -> throw error("expected an entry type (file, dir, nod, slink, pipe, sock), found '"
                        + f[0] + "'", null);
            }
        }

        private void expectExactly(String[] f, int n, String form) throws ArtefactInputException {
            if (f.length != n) {
                throw error("expected '" + form + "' (" + (n - 1) + " fields after the type), found "
                        + (f.length - 1), null);
            }
        }

        private void expectAtLeast(String[] f, int n, String form) throws ArtefactInputException {
            if (f.length < n) {
                throw error("expected '" + form + "' (at least " + (n - 1) + " fields after the type), found "
                        + (f.length - 1), null);
            }
        }

        private EntryPath path(String raw) throws ArtefactInputException {
            try {
                return EntryPath.of(raw, "spec " + file + " line " + number);
            } catch (ArtefactInputException e) {
                throw new ArtefactInputException(e.getMessage() + ": '" + text.strip() + "'", e);
            }
        }

        private int mode(String s) throws ArtefactInputException {
            if (!s.matches("[0-7]{1,6}")) {
                throw error("expected an octal MODE, found '" + s + "'", null);
            }
            int mode = Integer.parseInt(s, 8);
            if (mode > 07777) {
                throw error("expected MODE with permission bits only (at most 7777; the type comes from the "
                        + "entry kind), found " + s, null);
            }
            return mode;
        }

        private long id(String s, String field) throws ArtefactInputException {
            if (!s.matches("[0-9]{1,20}")) {
                throw error("expected a decimal " + field + ", found '" + s + "'", null);
            }
            var value = new java.math.BigInteger(s);
            if (value.compareTo(java.math.BigInteger.valueOf(InitrdEntry.MAX_FIELD)) > 0) {
                throw error(field + " " + s + " does not fit the 32-bit newc field (at most "
                        + InitrdEntry.MAX_FIELD + ")", null);
            }
            return value.longValue();
        }

        private String expand(String source, Map<String, String> env) throws ArtefactInputException {
            Matcher m = VARIABLE.matcher(source);
            var sb = new StringBuilder();
            while (m.find()) {
                String value = env.get(m.group(1));
                if (value == null) {
                    throw error("SOURCE '" + source + "' uses ${" + m.group(1) + "}, which is not set", null);
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            return sb.toString();
        }

        private ArtefactInputException error(String what, Throwable cause) {
            String msg = "spec " + file + " line " + number + ": " + what;
            return cause == null ? new ArtefactInputException(msg) : new ArtefactInputException(msg, cause);
        }
    }
}
