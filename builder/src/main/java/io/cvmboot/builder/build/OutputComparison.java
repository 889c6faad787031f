package io.cvmboot.builder.build;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.initrd.InitrdDiff;
import io.cvmboot.initrd.InitrdReader;
import io.cvmboot.uki.UkiInspection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares two output directories file by file, and where an initrd or a UKI differs, says which
 * entry or section: what {@code builder reproduce} reports.
 */
public final class OutputComparison {
    private OutputComparison() {}

    /** The differences between {@code a} and {@code b}; empty when every file is byte-identical. */
    public static List<String> compare(Path a, Path b) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(list(a));
        names.addAll(list(b));
        List<String> out = new ArrayList<>();
        for (String name : names) {
            Path fa = a.resolve(name);
            Path fb = b.resolve(name);
            if (!Files.exists(fa) || !Files.exists(fb)) {
                out.add(name + ": only in " + (Files.exists(fa) ? "the first" : "the second") + " build");
                continue;
            }
            byte[] ba = Files.readAllBytes(fa);
            byte[] bb = Files.readAllBytes(fb);
            if (Arrays.equals(ba, bb)) {
                continue;
            }
            out.add(name + ": differs (" + ba.length + " vs " + bb.length + " bytes, first difference at offset "
                    + Arrays.mismatch(ba, bb) + ")");
            out.addAll(detail(name, ba, bb).stream().map(d -> "  " + d).toList());
        }
        return List.copyOf(out);
    }

    private static List<String> detail(String name, byte[] a, byte[] b) {
        try {
            if (name.equals(OutputLayout.INITRD)) {
                return InitrdDiff.compare(InitrdReader.read(a, "first " + name), InitrdReader.read(b, "second " + name))
                        .stream().map(d -> d.name() + ": " + d.description()).toList();
            }
            if (name.equals(OutputLayout.UKI)) {
                return sections(UkiInspection.of("first " + name, a), UkiInspection.of("second " + name, b));
            }
        } catch (IOException | ArtefactInputException e) {
            return List.of("cannot compare entries: " + e.getMessage());
        }
        return List.of();
    }

    private static List<String> sections(UkiInspection a, UkiInspection b) {
        List<String> out = new ArrayList<>();
        Map<String, UkiInspection.SectionInfo> sa = byName(a);
        Map<String, UkiInspection.SectionInfo> sb = byName(b);
        TreeSet<String> names = new TreeSet<>(sa.keySet());
        names.addAll(sb.keySet());
        for (String n : names) {
            var x = sa.get(n);
            var y = sb.get(n);
            if (x == null || y == null) {
                out.add("section " + n + ": only in the " + (x != null ? "first" : "second") + " build");
            } else if (!x.sha256().equals(y.sha256())) {
                out.add("section " + n + ": sha256 " + x.sha256().hex() + " vs " + y.sha256().hex());
            }
        }
        if (out.isEmpty()) {
            out.add("all sections equal: the headers differ");
        }
        return out;
    }

    private static Map<String, UkiInspection.SectionInfo> byName(UkiInspection u) {
        var m = new java.util.TreeMap<String, UkiInspection.SectionInfo>();
        for (var s : u.sections()) {
            m.put(s.header().name(), s);
        }
        return m;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
