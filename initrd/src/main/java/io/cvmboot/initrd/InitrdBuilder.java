package io.cvmboot.initrd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects entries for one newc archive from bytes, host files, directory trees and gen_init_cpio
 * specs, then {@link #build() builds} the sorted, validated {@link CpioArchive}. A path added twice
 * keeps the later entry, as the kernel does when it unpacks a later entry over an earlier one.
 *
 * <pre>{@code
 * CpioArchive archive = new InitrdBuilder()
 *         .addTree(Path.of("rootfs"))
 *         .addCharDevice("/dev/console", 0600, 5, 1)
 *         .addFile("/init", 0755, initScript)
 *         .build();
 * WriteResult r = InitrdImage.of(archive, Compression.ZSTD).write(out);
 * }</pre>
 */
public final class InitrdBuilder {
    private static final String PROGRAMMATIC = "initrd entry";

    private final Map<EntryPath, InitrdEntry> entries = new TreeMap<>();
    private boolean hardLinks;

    /** Allows hard links (spec LINK names, trees with nlink > 1); off by default. */
    public InitrdBuilder hardLinks(boolean allowed) {
        this.hardLinks = allowed;
        return this;
    }

    public boolean hardLinksAllowed() {
        return hardLinks;
    }

    public InitrdBuilder add(InitrdEntry entry) {
        entries.put(entry.path(), entry);
        return this;
    }

    public InitrdBuilder addFile(String path, int permissions, byte[] data) throws ArtefactInputException {
        return add(InitrdEntry.file(path(path), permissions, Content.ofBytes(data)));
    }

    /** A regular file whose bytes are streamed from {@code source} when the archive is written. */
    public InitrdBuilder addFile(String path, int permissions, Path source) throws ArtefactInputException, IOException {
        return add(InitrdEntry.file(path(path), permissions, Content.ofFile(source)));
    }

    public InitrdBuilder addDirectory(String path, int permissions) throws ArtefactInputException {
        return add(InitrdEntry.directory(path(path), permissions));
    }

    public InitrdBuilder addSymlink(String path, String target) throws ArtefactInputException {
        return add(InitrdEntry.symlink(path(path), target));
    }

    public InitrdBuilder addCharDevice(String path, int permissions, long major, long minor)
            throws ArtefactInputException {
        return add(InitrdEntry.device(path(path), EntryType.CHAR_DEVICE, permissions, major, minor));
    }

    public InitrdBuilder addBlockDevice(String path, int permissions, long major, long minor)
            throws ArtefactInputException {
        return add(InitrdEntry.device(path(path), EntryType.BLOCK_DEVICE, permissions, major, minor));
    }

    public InitrdBuilder addFifo(String path, int permissions) throws ArtefactInputException {
        return add(InitrdEntry.special(path(path), EntryType.FIFO, permissions));
    }

    public InitrdBuilder addHardLink(String path, String target) throws ArtefactInputException {
        return add(InitrdEntry.hardLink(path(path), path(target)));
    }

    /** Adds a host directory tree at the root; see {@link TreeReader} for how modes are normalised. */
    public InitrdBuilder addTree(Path directory) throws ArtefactInputException, IOException {
        return addTree(directory, "/");
    }

    /** Adds a host directory tree below {@code prefix} in the initrd. */
    public InitrdBuilder addTree(Path directory, String prefix) throws ArtefactInputException, IOException {
        for (InitrdEntry e : TreeReader.read(directory, path(prefix), hardLinks)) {
            add(e);
        }
        return this;
    }

    /**
     * Adds the entries of a gen_init_cpio spec file; relative sources resolve against its
     * directory. A {@code ${VAR}} in a SOURCE field is an error; see {@link #addSpec(Path, Map)}.
     */
    public InitrdBuilder addSpec(Path specFile) throws ArtefactInputException, IOException {
        return addSpec(specFile, Map.of());
    }

    /**
     * Adds the entries of a gen_init_cpio spec file, expanding {@code ${VAR}} in SOURCE fields from
     * {@code variables} (gen_init_cpio expands them from its environment; pass {@code System.getenv()}
     * for the same behaviour).
     */
    public InitrdBuilder addSpec(Path specFile, Map<String, String> variables) throws ArtefactInputException, IOException {
        for (InitrdEntry e : GenInitCpioSpec.parse(specFile, variables).entries()) {
            add(e);
        }
        return this;
    }

    /**
     * Sorts the entries, adds missing parent directories (0755, owner 0:0) and checks that every
     * parent is a directory and every hard link names a regular file.
     */
    public CpioArchive build() throws ArtefactInputException {
        Map<EntryPath, InitrdEntry> all = new TreeMap<>(entries);
        for (EntryPath p : new ArrayList<>(entries.keySet())) {
            for (EntryPath parent = p.parent(); parent != null && !parent.isRoot(); parent = parent.parent()) {
                InitrdEntry existing = all.get(parent);
                if (existing == null) {
                    all.put(parent, InitrdEntry.directory(parent, 0755));
                } else if (existing.type() != EntryType.DIRECTORY) {
                    throw new ArtefactInputException("initrd entry '" + p + "' lies inside '" + parent
                            + "', which is a " + existing.type() + ", not a directory");
                } else {
                    break;
                }
            }
        }
        for (InitrdEntry e : all.values()) {
            if (!e.isHardLink()) {
                continue;
            }
            if (!hardLinks) {
                throw new ArtefactInputException("initrd entry '" + e.path() + "' is a hard link to '"
                        + e.hardLinkTarget() + "', but hard links are off (enable them with --hard-links)");
            }
            InitrdEntry target = all.get(e.hardLinkTarget());
            if (target == null || target.type() != EntryType.REGULAR || target.isHardLink()) {
                throw new ArtefactInputException("hard link '" + e.path() + "' must name a regular file, but '"
                        + e.hardLinkTarget() + "' is " + (target == null ? "absent" : "a " + target.type()
                        + (target.isHardLink() ? " hard link" : "")));
            }
        }
        return new CpioArchive(List.copyOf(all.values()));
    }

    private static EntryPath path(String raw) throws ArtefactInputException {
        return EntryPath.of(raw, PROGRAMMATIC);
    }
}
