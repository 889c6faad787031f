package io.cvmboot.initrd;

import io.cvmboot.measure.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads newc archives ("070701", and "070702" with its data checksum checked) from a stream,
 * hashing file data as it passes; nothing but metadata is kept. Hex fields are read in either
 * case, as the kernel does.
 */
final class NewcReader {
    /** Larger names are malformed input here; the kernel would skip anything over PATH_MAX anyway. */
    private static final long MAX_NAME_SIZE = 1 << 20;
    /** Symlink targets are held in memory; the kernel ignores targets over PATH_MAX. */
    private static final long MAX_LINK_SIZE = 1 << 20;

    private final InputStream in;
    private final String input;
    private final long baseOffset;
    private long position;
    private int peeked = -2;

    /**
     * @param input names the input for errors (file and segment)
     * @param baseOffset file offset of the stream's first byte, for errors; -1 inside a compressed segment
     */
    NewcReader(InputStream in, String input, long baseOffset) {
        this.in = in;
        this.input = input;
        this.baseOffset = baseOffset;
    }

    long position() {
        return position;
    }

    /** Reads archives separated by zero padding until the stream ends. */
    List<ListedEntry> readAll() throws IOException, ArtefactInputException {
        List<ListedEntry> entries = new ArrayList<>();
        while (true) {
            int b;
            while ((b = peek()) == 0) {
                read();
            }
            if (b < 0) {
                return entries;
            }
            readArchive(entries);
        }
    }

    /** Reads one archive up to and including its trailer (and the trailer's name padding). */
    void readArchive(List<ListedEntry> entries) throws IOException, ArtefactInputException {
        if (position % 4 != 0) {
            throw error("a newc header must start 4-byte aligned");
        }
        while (true) {
            byte[] header = readFully(NewcWriter.HEADER_SIZE, "a 110-byte newc header");
            String magic = new String(header, 0, 6, StandardCharsets.US_ASCII);
            boolean withChecksum = magic.equals("070702");
            if (!withChecksum && !magic.equals("070701")) {
                throw error("expected newc magic 070701 or 070702, found '" + printable(header, 6) + "'");
            }
            long[] f = new long[13];
            for (int i = 0; i < 13; i++) {
                f[i] = hex(header, 6 + 8 * i);
            }
            long nameSize = f[11];
            if (nameSize == 0 || nameSize > MAX_NAME_SIZE) {
                throw error("namesize " + nameSize + " out of range 1.." + MAX_NAME_SIZE);
            }
            byte[] nameBytes = readFully((int) nameSize, "an entry name");
            if (nameBytes[nameBytes.length - 1] != 0) {
                throw error("entry name is not NUL-terminated");
            }
            String name = new String(nameBytes, 0, nameBytes.length - 1, StandardCharsets.UTF_8);
            skipPadding();
            if (name.equals(NewcWriter.TRAILER_NAME)) {
                return;
            }
            long size = f[6];
            long mode = f[1];
            Digest sha256 = null;
            String linkTarget = null;
            long sum;
            EntryType type = EntryType.ofMode(mode);
            if (type == EntryType.SYMLINK) {
                if (size > MAX_LINK_SIZE) {
                    throw error("symlink '" + name + "' target of " + size + " bytes");
                }
                byte[] target = readFully((int) size, "a symlink target");
                linkTarget = new String(target, StandardCharsets.UTF_8);
                sum = byteSum(target);
            } else {
                MessageDigest md = Digest.HashAlgorithm.SHA256.newMessageDigest();
                sum = copyData(name, size, md);
                if (type == EntryType.REGULAR) {
                    sha256 = Digest.of(Digest.HashAlgorithm.SHA256, md.digest());
                }
            }
            if (withChecksum && (sum & 0xFFFF_FFFFL) != f[12]) {
                // init/initramfs.c rejects such an entry ("bad data checksum").
                throw error("'" + name + "': 070702 checksum " + Long.toHexString(f[12]) + " does not match data sum "
                        + Long.toHexString(sum & 0xFFFF_FFFFL));
            }
            skipPadding();
            entries.add(new ListedEntry(name, f[0], mode, f[2], f[3], f[4], f[5], size, f[9], f[10], sha256, linkTarget));
        }
    }

    private long copyData(String name, long size, MessageDigest md) throws IOException, ArtefactInputException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        long sum = 0;
        while (left > 0) {
            int n = read(buf, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw error("'" + name + "' announces " + size + " bytes of data, the stream ends after "
                        + (size - left));
            }
            md.update(buf, 0, n);
            for (int i = 0; i < n; i++) {
                sum += buf[i] & 0xFF;
            }
            left -= n;
        }
        return sum;
    }

    private static long byteSum(byte[] data) {
        long sum = 0;
        for (byte b : data) {
            sum += b & 0xFF;
        }
        return sum;
    }

    private void skipPadding() throws IOException, ArtefactInputException {
        while (position % 4 != 0) {
            if (read() < 0) {
                throw error("stream ends inside padding");
            }
        }
    }

    private long hex(byte[] h, int off) throws ArtefactInputException {
        long v = 0;
        for (int i = off; i < off + 8; i++) {
            int d = Character.digit(h[i], 16);
            if (d < 0) {
                throw error("expected 8 hex digits in header field at byte " + (off - 6) / 8 + ", found '"
                        + printable(java.util.Arrays.copyOfRange(h, off, off + 8), 8) + "'");
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static String printable(byte[] b, int n) {
        var sb = new StringBuilder();
        for (int i = 0; i < n && i < b.length; i++) {
            int c = b[i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format(java.util.Locale.ROOT, "\\x%02x", c));
        }
        return sb.toString();
    }

    private byte[] readFully(int n, String what) throws IOException, ArtefactInputException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = read(b, off, n - off);
            if (r < 0) {
                throw error("expected " + what + ", the stream ends after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return b;
    }

    private int read(byte[] b, int len) throws IOException {
        return read(b, 0, len);
    }

    private int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (peeked != -2) {
            if (peeked < 0) {
                return -1;
            }
            b[off] = (byte) peeked;
            peeked = -2;
            position++;
            return 1;
        }
        int n = in.read(b, off, len);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    private int read() throws IOException {
        int b = peek();
        peeked = -2;
        if (b >= 0) {
            position++;
        }
        return b;
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private ArtefactInputException error(String what) {
        String where = baseOffset >= 0 ? "at offset " + (baseOffset + position) : "at decompressed offset " + position;
        return new ArtefactInputException(input + " " + where + ": " + what);
    }
}
