package io.cvmboot.initrd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Entry-level differences between two initrds, compared as the kernel would unpack them (later
 * segments replacing earlier entries). Inode numbers are not compared: they are renumbered freely
 * by archivers and only tie hard links together.
 */
public final class InitrdDiff {
    private InitrdDiff() {}

    /** One difference, as a line for people to read. */
    public record Difference(String name, String description) {}

    public static List<Difference> compare(InitrdListing a, InitrdListing b) {
        List<Difference> result = new ArrayList<>();
        String layoutA = layout(a);
        String layoutB = layout(b);
        if (!layoutA.equals(layoutB)) {
            result.add(new Difference("", "segments: " + layoutA + " -> " + layoutB));
        }
        Map<String, ListedEntry> ea = a.effectiveEntries();
        Map<String, ListedEntry> eb = b.effectiveEntries();
        var names = new TreeSet<String>(InitrdListing::compareUtf8);
        names.addAll(ea.keySet());
        names.addAll(eb.keySet());
        for (String name : names) {
            ListedEntry x = ea.get(name);
            ListedEntry y = eb.get(name);
            if (y == null) {
                result.add(new Difference(name, "only in first"));
            } else if (x == null) {
                result.add(new Difference(name, "only in second"));
            } else {
                List<String> changes = new ArrayList<>();
                field(changes, "mode", octal(x.mode()), octal(y.mode()));
                field(changes, "owner", x.uid() + ":" + x.gid(), y.uid() + ":" + y.gid());
                field(changes, "size", x.size(), y.size());
                field(changes, "sha256", x.sha256() == null ? null : x.sha256().hex(),
                        y.sha256() == null ? null : y.sha256().hex());
                field(changes, "target", x.linkTarget(), y.linkTarget());
                field(changes, "rdev", x.rdevMajor() + "," + x.rdevMinor(), y.rdevMajor() + "," + y.rdevMinor());
                field(changes, "mtime", x.mtime(), y.mtime());
                field(changes, "nlink", x.nlink(), y.nlink());
                if (!changes.isEmpty()) {
                    result.add(new Difference(name, String.join("; ", changes)));
                }
            }
        }
        return result;
    }

    private static String layout(InitrdListing l) {
        List<String> parts = new ArrayList<>();
        for (ListedSegment s : l.segments()) {
            parts.add(s.compression().cliName());
        }
        return String.join("+", parts);
    }

    private static String octal(long mode) {
        return String.format(Locale.ROOT, "%07o", mode);
    }

    private static void field(List<String> changes, String name, Object x, Object y) {
        if (!Objects.equals(x, y)) {
            changes.add(name + " " + x + " -> " + y);
        }
    }
}
