package io.cvmboot.builder.deb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a package's data archive, in memory and immutable. Every entry's metadata is kept;
 * file contents only for the paths selected when the package was read ({@link DebArchive}), so a
 * 107 MB kernel package costs only the modules actually used. Paths are sorted by their unsigned
 * UTF-8 bytes, the order the initrd uses.
 */
public final class DebFileTree {
    /** Linux's MAXSYMLINKS (include/linux/namei.h): more hops than this is a loop. */
    static final int MAX_SYMLINK_HOPS = 40;

    static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final String packageLabel;
    private final Map<String, DebEntry> entries;
    private final Map<String, byte[]> contents;

    DebFileTree(String packageLabel, Map<String, DebEntry> entries, Map<String, byte[]> contents) {
        this.packageLabel = packageLabel;
        var sorted = new TreeMap<String, DebEntry>(UTF8_ORDER);
        sorted.putAll(entries);
        this.entries = Collections.unmodifiableMap(sorted);
        this.contents = Map.copyOf(contents);
    }

    /** How errors name the package, e.g. "busybox-static 1:1.35.0-4+deb12u1+b1 (amd64)". */
    public String packageLabel() {
        return packageLabel;
    }

    /** Every entry, sorted by unsigned UTF-8 bytes of the path. */
    public List<DebEntry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<DebEntry> find(String path) {
        return Optional.ofNullable(entries.get(normalise(path)));
    }

    /** The entry at exactly this path (links not followed). */
    public DebEntry entry(String path) throws PackageException {
        DebEntry entry = entries.get(normalise(path));
        if (entry == null) {
            throw noSuchFile(path);
        }
        return entry;
    }

    /** The entries strictly below a directory, sorted; symlinks on the way are not followed. */
    public List<DebEntry> under(String directory) throws PackageException {
        String dir = normalise(directory);
        DebEntry entry = entry(dir);
        if (entry.type() != DebEntryType.DIRECTORY) {
            throw new PackageException("package " + packageLabel + ": " + dir + " is a " + entry.type()
                    + ", not a directory");
        }
        String prefix = dir + "/";
        return entries.values().stream().filter(e -> e.path().startsWith(prefix)).toList();
    }

    /**
     * The regular file (or directory) a path ends at, following symlinks inside the package and
     * hard links. An absolute symlink target is taken relative to the package root.
     */
    public DebEntry resolve(String path) throws PackageException {
        DebEntry entry = entry(resolveSymlinks(normalise(path), path));
        if (entry.type() == DebEntryType.HARD_LINK) {
            DebEntry target = entries.get(entry.linkTarget());
            if (target == null || target.type() != DebEntryType.FILE) {
                throw new PackageException("package " + packageLabel + ": hard link " + entry.path() + " points at "
                        + entry.linkTarget() + ", which is not a regular file of the package");
            }
            return target;
        }
        return entry;
    }

    /** The bytes of the regular file a path resolves to (see {@link #resolve}). */
    public byte[] read(String path) throws PackageException {
        DebEntry file = resolve(path);
        if (file.type() != DebEntryType.FILE) {
            throw new PackageException("package " + packageLabel + ": " + normalise(path) + " is a " + file.type()
                    + ", not a regular file");
        }
        byte[] data = contents.get(file.path());
        if (data == null) {
            throw new IllegalStateException("package " + packageLabel + ": " + file.path()
                    + " was not selected when the package was read");
        }
        return data.clone();
    }

    /** Whether the contents of this regular file were loaded. */
    boolean isLoaded(String normalisedPath) {
        return contents.containsKey(normalisedPath);
    }

    private String resolveSymlinks(String path, String asGiven) throws PackageException {
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        Deque<String> done = new ArrayDeque<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (done.pollLast() == null) {
                    throw new PackageException("package " + packageLabel + ": " + asGiven
                            + " leads outside the package through a symlink");
                }
                continue;
            }
            done.addLast(part);
            // A missing entry may be a parent directory the tar leaves implicit; only the end must exist.
            DebEntry entry = entries.get(String.join("/", done));
            if (entry != null && entry.type() == DebEntryType.SYMLINK) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new PackageException("package " + packageLabel + ": too many symlinks (a loop?) resolving " + asGiven);
                }
                done.removeLast();
                String target = entry.linkTarget();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> targetParts = List.of(target.split("/"));
                for (int i = targetParts.size() - 1; i >= 0; i--) {
                    todo.addFirst(targetParts.get(i));
                }
            }
        }
        if (done.isEmpty()) {
            throw new PackageException("package " + packageLabel + ": " + asGiven + " resolves to the package root");
        }
        String resolved = String.join("/", done);
        if (!entries.containsKey(resolved)) {
            throw noSuchFile(asGiven);
        }
        return resolved;
    }

    private PackageException noSuchFile(String path) {
        return new PackageException("package " + packageLabel + " has no such file: " + normalise(path));
    }

    /** "./usr/bin/" and "/usr/bin" both become "usr/bin". */
    static String normalise(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }
}
