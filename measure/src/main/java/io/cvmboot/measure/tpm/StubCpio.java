package io.cvmboot.measure.tpm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The newc cpio archives systemd-stub generates to pass files to the initrd (systemd
 * src/boot/efi/cpio.c, format per the kernel's "initramfs buffer format"): header fields as 8
 * lower-case hex digits, inodes counted from 1 per archive, uid/gid/mtime/dev 0, nlink 1, name and
 * data padded to 4 bytes from the archive start, and the stub's fixed trailer (whose name size is
 * written in upper case, "0000000B"). The bytes must match exactly: the kernel measures the
 * combined initrd into PCR 9.
 */
public final class StubCpio {
    static final String MAGIC = "070701";
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int LITERAL_DIR_MODE = 0555;
    static final int LITERAL_FILE_MODE = 0444;
    /** Where the stub puts embedded files (.pcrsig, .pcrpkey, 257: .osrel, .profile). */
    public static final String EXTRA_DIR = ".extra";
    private static final String TRAILER = MAGIC + "00000000" + "00000000" + "00000000" + "00000000" + "00000001"
            + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "0000000B" + "00000000"
            + "TRAILER!!!\0\0\0\0";

    private StubCpio() {}

    /**
     * The archive of one embedded file: directory {@code dirPrefix} (every leading component 0555,
     * the last {@code dirMode}), the file {@code dirPrefix/name} with {@code fileMode}, the trailer.
     */
    public static byte[] literal(String dirPrefix, int dirMode, String name, int fileMode, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int inode = prefix(out, dirPrefix, dirMode, 1);
        header(out, inode, S_IFREG | fileMode, contents.length, dirPrefix + "/" + name);
        out.writeBytes(contents);
        pad4(out);
        out.writeBytes(TRAILER.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * The archive of a drop-in directory (credentials, sysexts): the prefix directories, then every
     * file in {@code files} (already filtered and named as the stub reads them) sorted by name, then
     * the trailer. Empty when there are no files: the stub then generates nothing.
     */
    public static byte[] dropIn(String dirPrefix, int dirMode, int fileMode, java.util.Map<String, byte[]> files) {
        if (files.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int inode = prefix(out, dirPrefix, dirMode, 1);
        // The stub sorts with strcmp16; the names are ASCII, so UTF-16 code-unit order is byte order.
        for (String name : new java.util.TreeMap<>(files).keySet()) {
            byte[] contents = files.get(name);
            header(out, inode++, S_IFREG | fileMode, contents.length, dirPrefix + "/" + name);
            out.writeBytes(contents);
            pad4(out);
        }
        out.writeBytes(TRAILER.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** An embedded file as the stub packs it: under {@code .extra}, directory 0555, file 0444. */
    public static byte[] extraFile(String name, byte[] contents) {
        return literal(EXTRA_DIR, LITERAL_DIR_MODE, name, LITERAL_FILE_MODE, contents);
    }

    /** Every leading directory of {@code dirPrefix} with 0555, then the prefix itself; returns the next inode. */
    private static int prefix(ByteArrayOutputStream out, String dirPrefix, int dirMode, int firstInode) {
        int inode = firstInode;
        int slash = dirPrefix.indexOf('/');
        while (slash >= 0) {
            if (slash > 0) {
                dir(out, dirPrefix.substring(0, slash), LITERAL_DIR_MODE, inode++);
            }
            slash = dirPrefix.indexOf('/', slash + 1);
        }
        dir(out, dirPrefix, dirMode, inode++);
        return inode;
    }

    private static void dir(ByteArrayOutputStream out, String path, int mode, int inode) {
        header(out, inode, S_IFDIR | mode, 0, path);
    }

    private static void header(ByteArrayOutputStream out, int inode, int mode, long size, String path) {
        byte[] name = path.getBytes(StandardCharsets.US_ASCII);
        StringBuilder h = new StringBuilder(MAGIC);
        for (long field : new long[] {inode, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, name.length + 1, 0}) {
            h.append(String.format(java.util.Locale.ROOT, "%08x", field));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(name);
        out.write(0);
        pad4(out);
    }

    private static void pad4(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
