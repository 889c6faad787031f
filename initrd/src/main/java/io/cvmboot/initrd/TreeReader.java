package io.cvmboot.initrd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a host directory tree into entries, keeping only what the tree means, not how it happens
 * to sit on this host: owner 0:0, directories and files with any execute bit 0755, other files and
 * fifos/sockets/device nodes 0644, symlinks stored as symlinks (0777). Host mtimes, owners, umask
 * and inode numbers never reach the archive. Hard links are stored only when enabled; otherwise
 * each name gets its own copy of the data.
 */
public final class TreeReader {
    private static final int EXECUTABLE = 0755;
    private static final int PLAIN = 0644;
    private static final int ANY_EXECUTE_BIT = 0111;

    private TreeReader() {}

    public static List<InitrdEntry> read(Path root, EntryPath prefix, boolean hardLinks)
            throws IOException, ArtefactInputException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtefactInputException("tree " + root + ": expected a directory, found "
                    + (Files.exists(root, LinkOption.NOFOLLOW_LINKS) ? "something else" : "nothing"));
        }
        List<Path> paths = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                paths.add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                paths.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                throw exc;
            }
        });
        // Sorted, so that the first name of a hard-linked file (which keeps the data) does not
        // depend on the order the host file system lists directories.
        Map<EntryPath, Path> byName = new TreeMap<>();
        for (Path p : paths) {
            byName.put(prefix.resolve(relativeName(root, p)), p);
        }
        List<InitrdEntry> entries = new ArrayList<>();
        Map<String, EntryPath> firstNameOfInode = new TreeMap<>();
        for (var named : byName.entrySet()) {
            EntryPath name = named.getKey();
            Path host = named.getValue();
            Map<String, Object> attrs = Files.readAttributes(host, "unix:mode,ino,dev,nlink,rdev",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attrs.get("mode");
            EntryType type = EntryType.ofMode(mode);
            if (type == null) {
                throw new ArtefactInputException("tree " + root + ": " + host + " has unknown file type mode 0"
                        + Integer.toOctalString(mode));
            }
            int permissions = (mode & ANY_EXECUTE_BIT) != 0 ? EXECUTABLE : PLAIN;
            switch (type) {
                case DIRECTORY -> entries.add(InitrdEntry.directory(name, EXECUTABLE));
                case SYMLINK -> entries.add(InitrdEntry.symlink(name, Files.readSymbolicLink(host).toString()));
                case REGULAR -> {
                    int nlink = (Integer) attrs.get("nlink");
                    if (hardLinks && nlink > 1) {
                        String key = attrs.get("dev") + ":" + attrs.get("ino");
                        EntryPath first = firstNameOfInode.putIfAbsent(key, name);
                        if (first != null) {
                            entries.add(InitrdEntry.hardLink(name, first));
                            continue;
                        }
                    }
                    entries.add(InitrdEntry.file(name, permissions, Content.ofFile(host)));
                }
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    long rdev = (Long) attrs.get("rdev");
                    entries.add(InitrdEntry.device(name, type, PLAIN, major(rdev), minor(rdev)));
                }
                case FIFO, SOCKET -> entries.add(InitrdEntry.special(name, type, PLAIN));
            }
        }
        return entries;
    }

    private static EntryPath relativeName(Path root, Path p) throws ArtefactInputException {
        String relative = root.relativize(p).toString();
        String input = "tree " + root;
        if (relative.indexOf('\uFFFD') >= 0) {
            throw new ArtefactInputException(input + ": file name '" + relative + "' is not valid UTF-8 "
                    + "or the JVM does not run in a UTF-8 locale (sun.jnu.encoding="
                    + System.getProperty("sun.jnu.encoding") + "); run with LC_ALL=C.UTF-8");
        }
        // Round-trip check: a name the JVM cannot represent would otherwise be stored altered.
        byte[] utf8 = relative.getBytes(StandardCharsets.UTF_8);
        if (!new String(utf8, StandardCharsets.UTF_8).equals(relative)) {
            throw new ArtefactInputException(input + ": file name '" + relative + "' has no UTF-8 form");
        }
        return relative.isEmpty() ? EntryPath.ROOT : EntryPath.of(relative, input);
    }

    // glibc gnu_dev_major/gnu_dev_minor (sys/sysmacros.h): the split of a 64-bit dev_t.
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL);
    }

    static long minor(long rdev) {
        return (rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL);
    }
}
