package io.cvmboot.initrd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link CpioArchive} in the newc format ("070701"), with uppercase hex fields and the
 * padding of GNU cpio and gen_init_cpio. Hand-written because commons-compress writes lowercase hex
 * and renumbers inode 0, so it can never match GNU cpio byte for byte.
 */
public final class NewcWriter {
    /** Magic of the newc format without checksums (cpio(5), "New ASCII Format"). */
    static final byte[] MAGIC = "070701".getBytes(StandardCharsets.US_ASCII);
    /** 6 bytes magic + 13 fields of 8 hex digits (cpio(5)). */
    static final int HEADER_SIZE = 110;
    static final String TRAILER_NAME = "TRAILER!!!";
    /** GNU cpio and gen_init_cpio pad the whole archive to 512-byte blocks. */
    static final int BLOCK_SIZE = 512;

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZEROS = new byte[BLOCK_SIZE];

    private final OutputStream out;
    private final byte[] header = new byte[HEADER_SIZE];
    private long written;

    private NewcWriter(OutputStream out) {
        this.out = out;
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    }

    /**
     * Writes the archive, trailer and block padding to {@code out} (not closed) and returns the
     * number of bytes written.
     */
    public static long write(CpioArchive archive, NewcOptions options, OutputStream out)
            throws IOException, ArtefactInputException {
        List<InitrdEntry> entries = new ArrayList<>(archive.entries());
        if (options.gnuCompatible()) {
            if (archive.hasHardLinks()) {
                // GNU cpio defers and re-orders hard-linked entries; we do not imitate that.
                throw new ArtefactInputException("hard links cannot be written in GNU-compatible mode: "
                        + "GNU cpio re-orders hard-linked entries");
            }
            if (entries.isEmpty() || !entries.get(0).path().isRoot()) {
                entries.add(0, InitrdEntry.directory(EntryPath.ROOT, 0755));
            }
        }
        var writer = new NewcWriter(out);
        writer.writeEntries(entries, options);
        writer.writeTrailer();
        return writer.written;
    }

    private void writeEntries(List<InitrdEntry> entries, NewcOptions options)
            throws IOException, ArtefactInputException {
        Map<EntryPath, Integer> subdirectories = new HashMap<>();
        Map<EntryPath, List<EntryPath>> linkGroups = new HashMap<>();
        Map<EntryPath, InitrdEntry> byPath = new HashMap<>();
        for (InitrdEntry e : entries) {
            byPath.put(e.path(), e);
            if (e.type() == EntryType.DIRECTORY && !e.path().isRoot()) {
                subdirectories.merge(e.path().parent(), 1, Integer::sum);
            }
        }
        for (InitrdEntry e : entries) {
            if (e.isHardLink()) {
                linkGroups.computeIfAbsent(e.hardLinkTarget(), k -> new ArrayList<>(List.of(k))).add(e.path());
            }
        }
        for (List<EntryPath> group : linkGroups.values()) {
            group.sort(null);
        }
        Map<EntryPath, Long> groupInode = new HashMap<>();
        long nextInode = options.gnuCompatible() ? 0 : 1;
        for (InitrdEntry e : entries) {
            EntryPath groupKey = e.isHardLink() ? e.hardLinkTarget() : e.path();
            List<EntryPath> group = linkGroups.get(groupKey);
            if (group == null) {
                long nlink = e.type() == EntryType.DIRECTORY ? 2 + subdirectories.getOrDefault(e.path(), 0) : 1;
                writeEntry(e, nextInode++, nlink, options.sourceDateEpoch(), e.content());
                continue;
            }
            // A hard-link group shares one inode; like gen_init_cpio and GNU cpio, the data goes
            // with the last name, the other names carry size 0 (init/initramfs.c accepts either).
            Long inode = groupInode.get(groupKey);
            if (inode == null) {
                inode = nextInode++;
                groupInode.put(groupKey, inode);
            }
            InitrdEntry data = byPath.get(groupKey);
            boolean last = group.get(group.size() - 1).equals(e.path());
            InitrdEntry asStored = new InitrdEntry(e.path(), EntryType.REGULAR, data.permissions(), data.uid(),
                    data.gid(), 0, 0, Content.EMPTY, null);
            writeEntry(asStored, inode, group.size(), options.sourceDateEpoch(), last ? data.content() : Content.EMPTY);
        }
    }

    private void writeEntry(InitrdEntry e, long inode, long nlink, long mtime, Content content)
            throws IOException, ArtefactInputException {
        byte[] name = e.path().utf8Unsafe();
        writeHeader(inode, e.mode(), e.uid(), e.gid(), nlink, mtime, content.size(),
                e.rdevMajor(), e.rdevMinor(), name.length + 1);
        writeName(name);
        long before = written;
        var counting = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written += len;
            }
        };
        content.writeTo(counting);
        if (written - before != content.size()) {
            throw new ArtefactInputException(e.path() + ": content wrote " + (written - before)
                    + " bytes, expected " + content.size());
        }
        pad(4);
    }

    private void writeTrailer() throws IOException {
        // The trailer as GNU cpio and gen_init_cpio write it: all zero except nlink 1.
        byte[] name = TRAILER_NAME.getBytes(StandardCharsets.US_ASCII);
        writeHeader(0, 0, 0, 0, 1, 0, 0, 0, 0, name.length + 1);
        writeName(name);
        pad(BLOCK_SIZE);
    }

    private void writeHeader(long ino, long mode, long uid, long gid, long nlink, long mtime, long size,
            long rdevMajor, long rdevMinor, long nameSize) throws IOException {
        // cpio(5) field order: ino mode uid gid nlink mtime filesize devmajor devminor
        // rdevmajor rdevminor namesize check. Device numbers of the host are never written.
        long[] fields = {ino, mode, uid, gid, nlink, mtime, size, 0, 0, rdevMajor, rdevMinor, nameSize, 0};
        int pos = MAGIC.length;
        for (long f : fields) {
            for (int shift = 28; shift >= 0; shift -= 4) {
                header[pos++] = HEX[(int) (f >>> shift) & 0xF];
            }
        }
        out.write(header);
        written += HEADER_SIZE;
    }

    private void writeName(byte[] name) throws IOException {
        out.write(name);
        out.write(0);
        written += name.length + 1;
        pad(4);
    }

    private void pad(int alignment) throws IOException {
        int rest = (int) (written % alignment);
        if (rest != 0) {
            out.write(ZEROS, 0, alignment - rest);
            written += alignment - rest;
        }
    }
}
