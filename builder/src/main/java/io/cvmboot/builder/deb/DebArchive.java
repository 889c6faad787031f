package io.cvmboot.builder.deb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Reads a .deb (deb(5): an ar archive of {@code debian-binary}, {@code control.tar[.xz|.zst|.gz]}
 * and {@code data.tar[...]}) into memory, without extracting anything to disk: no host owners,
 * modes, mtimes or file-name encodings leak in. Names are read as UTF-8.
 */
public final class DebArchive {
    /** Loading more than this many bytes of file contents from one package is refused. */
    public static final long MAX_LOADED_BYTES = 2L * 1024 * 1024 * 1024;

    private DebArchive() {}

    /** Selects every file's contents. */
    public static Predicate<String> all() {
        return path -> true;
    }

    /**
     * Selects the given paths and everything below them ("usr/share/ca-certificates/mozilla"
     * selects the whole directory). Paths as {@link DebFileTree#normalise} accepts them.
     */
    public static Predicate<String> paths(java.util.Collection<String> paths) {
        Set<String> exact = new HashSet<>();
        for (String p : paths) {
            exact.add(DebFileTree.normalise(p));
        }
        return path -> {
            if (exact.contains(path)) {
                return true;
            }
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                if (exact.contains(path.substring(0, slash))) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Reads a fetched package and checks that its control file names the pinned package.
     *
     * @param load which regular files' contents to keep (see {@link #paths}); the targets of
     *     selected links are loaded too
     */
    public static DebPackage read(FetchedPackage fetched, Predicate<String> load) throws PackageException, IOException {
        DebPackage deb = read(fetched.file(), fetched.pin().label(), load);
        deb.control().requireMatches(fetched.pin());
        return deb;
    }

    /**
     * Reads a .deb file.
     *
     * @param label how errors name the package
     * @param load which regular files' contents to keep; the targets of selected links are loaded too
     */
    public static DebPackage read(Path deb, String label, Predicate<String> load) throws PackageException, IOException {
        Pass first = readOnce(deb, label, load);
        // A selected link may point at a file that was not selected itself (tar hard links always
        // point backwards, symlinks anywhere): read those in a second pass.
        Set<String> missing = new HashSet<>();
        for (DebEntry e : first.tree().entries()) {
            if ((e.type() == DebEntryType.SYMLINK || e.type() == DebEntryType.HARD_LINK) && load.test(e.path())) {
                try {
                    DebEntry target = first.tree().resolve(e.path());
                    if (target.isFile() && !first.tree().isLoaded(target.path())) {
                        missing.add(target.path());
                    }
                } catch (PackageException dangling) {
                    // reported when the caller reads that link
                }
            }
        }
        if (missing.isEmpty()) {
            return first.deb();
        }
        Pass second = readOnce(deb, label, path -> load.test(path) || missing.contains(path));
        return second.deb();
    }

    private record Pass(DebPackage deb) {
        DebFileTree tree() {
            return deb.files();
        }
    }

    private static Pass readOnce(Path deb, String label, Predicate<String> load) throws PackageException, IOException {
        DebControl control = null;
        String dataMember = null;
        DebFileTree tree = null;
        // Opening errors (no such file, no permission) are the host's, not the package's: they propagate.
        InputStream file = Files.newInputStream(deb);
        try (InputStream raw = new BufferedInputStream(file, 1 << 16);
                ArArchiveInputStream ar = new ArArchiveInputStream(raw)) {
            ArArchiveEntry member = ar.getNextEntry();
            if (member == null || !memberName(member).equals("debian-binary")) {
                throw new PackageException("package " + label + ": " + deb + " is not a .deb (first ar member is "
                        + (member == null ? "missing" : "'" + memberName(member) + "'") + ", expected debian-binary)");
            }
            String format = new String(ar.readNBytes(16), StandardCharsets.US_ASCII);
            // deb(5): "2.0\n"; readers must accept any 2.x.
            if (!format.startsWith("2.")) {
                throw new PackageException("package " + label + ": unsupported .deb format version '" + format.strip()
                        + "' (expected 2.x)");
            }
            for (member = ar.getNextEntry(); member != null; member = ar.getNextEntry()) {
                String name = memberName(member);
                if (name.startsWith("control.tar")) {
                    control = readControl(decompress(ar, name, label), name, label);
                } else if (name.startsWith("data.tar")) {
                    dataMember = name;
                    tree = readData(decompress(ar, name, label), name, label, load);
                } else if (!name.startsWith("_")) {
                    // deb(5): members starting with '_' may be ignored; anything else is unknown.
                    throw new PackageException("package " + label + ": unexpected ar member '" + name + "'");
                }
            }
        } catch (PackageException e) {
            throw e;
        } catch (IOException e) {
            throw new PackageException("package " + label + ": " + deb.getFileName() + " is damaged or truncated: "
                    + e.getMessage(), e);
        }
        if (control == null || tree == null) {
            throw new PackageException("package " + label + ": " + deb.getFileName() + " has no "
                    + (control == null ? "control.tar" : "data.tar") + " member");
        }
        return new Pass(new DebPackage(control, dataMember, tree));
    }

    private static String memberName(ArArchiveEntry member) {
        String name = member.getName();
        // GNU ar ends short names with '/'; dpkg-deb does not.
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static InputStream decompress(InputStream member, String name, String label) throws IOException, PackageException {
        // The member stream must outlive the decompressor's close(): shield it.
        InputStream in = CloseShieldInputStream.wrap(member);
        String suffix = name.substring(name.indexOf(".tar") + 4);
        return switch (suffix) {
            case "" -> in;
            case ".xz" -> new XZCompressorInputStream(in);
            case ".zst" -> new ZstdCompressorInputStream(in);
            case ".gz" -> new GzipCompressorInputStream(in);
            case ".bz2" -> new BZip2CompressorInputStream(in);
            default -> throw new PackageException("package " + label + ": unsupported compression of ar member '" + name
                    + "' (expected .xz, .zst, .gz, .bz2 or none)");
        };
    }

    private static DebControl readControl(InputStream in, String member, String label) throws IOException, PackageException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (DebFileTree.normalise(e.getName()).equals("control") && !e.isDirectory()) {
                    String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    return DebControl.parse(text, "control file of package " + label);
                }
            }
        }
        throw new PackageException("package " + label + ": " + member + " has no control file");
    }

    private static DebFileTree readData(InputStream in, String member, String label, Predicate<String> load)
            throws IOException, PackageException {
        Map<String, DebEntry> entries = new HashMap<>();
        Map<String, byte[]> contents = new HashMap<>();
        long loaded = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String path = checkedPath(e.getName(), label);
                if (path.isEmpty()) {
                    continue; // the "./" root entry
                }
                DebEntry entry = toEntry(e, path, label);
                if (entries.put(path, entry) != null) {
                    throw new PackageException("package " + label + ": " + member + " holds " + path + " twice");
                }
                if (entry.isFile() && load.test(path)) {
                    if (entry.size() > Integer.MAX_VALUE - 8 || loaded + entry.size() > MAX_LOADED_BYTES) {
                        throw new PackageException("package " + label + ": selected files exceed " + MAX_LOADED_BYTES
                                + " bytes at " + path);
                    }
                    byte[] data = tar.readNBytes((int) entry.size());
                    if (data.length != entry.size()) {
                        throw new PackageException("package " + label + ": " + member + " ends inside " + path);
                    }
                    loaded += data.length;
                    contents.put(path, data);
                }
            }
        }
        return new DebFileTree(label, entries, contents);
    }

    private static DebEntry toEntry(TarArchiveEntry e, String path, String label) throws PackageException {
        int permissions = e.getMode() & 07777;
        // Link checks come first: commons-compress' isFile() is true for anything not a directory.
        if (e.isSymbolicLink()) {
            return new DebEntry(path, DebEntryType.SYMLINK, permissions, 0, e.getLinkName(), 0, 0);
        }
        if (e.isLink()) {
            return new DebEntry(path, DebEntryType.HARD_LINK, permissions, 0, checkedPath(e.getLinkName(), label), 0, 0);
        }
        if (e.isDirectory()) {
            return new DebEntry(path, DebEntryType.DIRECTORY, permissions, 0, null, 0, 0);
        }
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            var type = e.isCharacterDevice() ? DebEntryType.CHAR_DEVICE : DebEntryType.BLOCK_DEVICE;
            return new DebEntry(path, type, permissions, 0, null, e.getDevMajor(), e.getDevMinor());
        }
        if (e.isFIFO()) {
            return new DebEntry(path, DebEntryType.FIFO, permissions, 0, null, 0, 0);
        }
        if (e.isFile()) {
            return new DebEntry(path, DebEntryType.FILE, permissions, e.getSize(), null, 0, 0);
        }
        throw new PackageException("package " + label + ": unsupported tar entry type '" + (char) e.getLinkFlag()
                + "' at " + path);
    }

    /** The normalised path, refusing names that would leave the package root. */
    private static String checkedPath(String name, String label) throws PackageException {
        String path = DebFileTree.normalise(name);
        for (String part : path.split("/")) {
            if (part.equals("..") || (part.isEmpty() && !path.isEmpty()) || part.equals(".")) {
                throw new PackageException("package " + label + ": tar entry '" + name
                        + "' has an empty, '.' or '..' component");
            }
        }
        return path;
    }
}
