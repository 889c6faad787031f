package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The kernel/initrd/cmdline hash table of QEMU's measured direct boot (QEMU target/i386/sev.c,
 * {@code SevHashTable}; read by OVMF's BlobVerifierLibSevHashes): a header GUID and length, then
 * cmdline, initrd and kernel entries of {@code GUID, u16 length = 50, SHA-256}, in that order,
 * padded with zeros to a multiple of 16 bytes.
 *
 * @param cmdline SHA-256 of the UTF-8 command line followed by one NUL byte
 * @param initrd SHA-256 of the initrd file (of nothing when there is no initrd)
 * @param kernel SHA-256 of the kernel file exactly as given (QEMU leaves the setup header
 *     untouched when kernel hashes are on)
 */
public record SevHashTable(Digest cmdline, Digest initrd, Digest kernel) {
    public static final EfiGuid TABLE = EfiGuid.of("9438d606-4f22-4cc9-b479-a793d411fd21");
    public static final EfiGuid CMDLINE = EfiGuid.of("97d02dd8-bd20-4c94-aa78-e7714d36ab2a");
    public static final EfiGuid INITRD = EfiGuid.of("44baf731-3a2f-4bd7-9af1-41e29169781d");
    public static final EfiGuid KERNEL = EfiGuid.of("4de79437-abd2-427f-b835-d5b172d2045b");
    static final int ENTRY_LENGTH = EfiGuid.LENGTH + 2 + 32;
    /** Unpadded table length: header (GUID, u16) and three entries. */
    public static final int LENGTH = EfiGuid.LENGTH + 2 + 3 * ENTRY_LENGTH;
    /** QEMU pads the table to 16 bytes ({@code PaddedSevHashTable}). */
    public static final int PADDED_LENGTH = (LENGTH + 15) / 16 * 16;

    public SevHashTable {
        for (Digest d : new Digest[] {cmdline, initrd, kernel}) {
            Objects.requireNonNull(d, "digest");
            if (d.algorithm() != HashAlgorithm.SHA256) {
                throw new IllegalArgumentException("the SEV hash table holds SHA-256 digests, got " + d.algorithm());
            }
        }
    }

    /** Hashes the inputs. {@code initrd} may be null (no initrd); {@code cmdline} null or empty means none. */
    public static SevHashTable of(byte[] kernel, byte[] initrd, String cmdline) {
        return fromDigests(Digest.compute(HashAlgorithm.SHA256, kernel),
                Digest.compute(HashAlgorithm.SHA256, initrd == null ? new byte[0] : initrd), cmdline);
    }

    /** Builds the table from file digests computed elsewhere (e.g. while reading the files). */
    public static SevHashTable fromDigests(Digest kernel, Digest initrd, String cmdline) {
        return new SevHashTable(cmdlineDigest(cmdline), initrd, kernel);
    }

    /** SHA-256 of the command line as QEMU passes it: UTF-8 and a terminating NUL; none counts as empty. */
    public static Digest cmdlineDigest(String cmdline) {
        MessageDigest md = HashAlgorithm.SHA256.newMessageDigest();
        if (cmdline != null) {
            md.update(cmdline.getBytes(StandardCharsets.UTF_8));
        }
        md.update((byte) 0);
        return Digest.of(HashAlgorithm.SHA256, md.digest());
    }

    /** SHA-256 of an absent initrd: QEMU hashes an empty blob. */
    public static Digest noInitrd() {
        return Digest.compute(HashAlgorithm.SHA256, new byte[0]);
    }

    /** The {@link #PADDED_LENGTH}-byte table. */
    public byte[] toBytes() {
        byte[] t = new byte[PADDED_LENGTH];
        System.arraycopy(TABLE.efiBytes(), 0, t, 0, EfiGuid.LENGTH);
        LittleEndian.put16(t, EfiGuid.LENGTH, LENGTH);
        int off = EfiGuid.LENGTH + 2;
        off = entry(t, off, CMDLINE, cmdline);
        off = entry(t, off, INITRD, initrd);
        entry(t, off, KERNEL, kernel);
        return t;
    }

    /** A 4 KiB page with the table at {@code offset}, as OVMF expects it in the SNP kernel-hashes page. */
    public byte[] toPage(int offset) {
        if (offset < 0 || offset + PADDED_LENGTH > OvmfImage.PAGE_SIZE) {
            throw new IllegalArgumentException("the hash table does not fit a page at offset 0x" + Integer.toHexString(offset));
        }
        byte[] page = new byte[OvmfImage.PAGE_SIZE];
        System.arraycopy(toBytes(), 0, page, offset, PADDED_LENGTH);
        return page;
    }

    private static int entry(byte[] t, int off, EfiGuid guid, Digest d) {
        System.arraycopy(guid.efiBytes(), 0, t, off, EfiGuid.LENGTH);
        LittleEndian.put16(t, off + EfiGuid.LENGTH, ENTRY_LENGTH);
        System.arraycopy(d.bytes(), 0, t, off + EfiGuid.LENGTH + 2, 32);
        return off + ENTRY_LENGTH;
    }
}
