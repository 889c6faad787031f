package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.MeasureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A firmware (or SVSM) image as the VMM maps it: one ROM ending at {@code endGpa} (4 GiB for the
 * {@code -bios} image), with its footer table and SEV metadata parsed once.
 */
public final class OvmfImage {
    /** The {@code -bios} ROM ends at 4 GiB (QEMU hw/i386/x86-common.c, x86_bios_rom_init). */
    public static final long FOUR_GIB = 0x1_0000_0000L;
    public static final int PAGE_SIZE = 4096;

    private final String source;
    private final byte[] bytes;
    private final long gpa;
    private final OvmfFooterTable table;
    private final List<SevMetadataSection> sections;

    private OvmfImage(String source, byte[] bytes, long gpa, OvmfFooterTable table, List<SevMetadataSection> sections) {
        this.source = source;
        this.bytes = bytes;
        this.gpa = gpa;
        this.table = table;
        this.sections = sections;
    }

    /** Parses {@code bytes} as the {@code -bios} ROM ending at 4 GiB. */
    public static OvmfImage parse(String source, byte[] bytes) throws MeasureException {
        return parse(source, bytes, FOUR_GIB);
    }

    /**
     * Parses {@code bytes} as a ROM ending at {@code endGpa}. {@code source} names the input in
     * every error message. The array is copied.
     */
    public static OvmfImage parse(String source, byte[] bytes, long endGpa) throws MeasureException {
        checkSize(source, bytes, endGpa);
        return parseOwned(source, bytes.clone(), endGpa);
    }

    /**
     * Reads and parses the {@code -bios} ROM in {@code file}, ending at 4 GiB. The image keeps the
     * array it read: no copy of a 4 MiB firmware on the CLI's start-up path.
     */
    public static OvmfImage read(Path file) throws IOException, MeasureException {
        byte[] bytes = Files.readAllBytes(file);
        checkSize(file.toString(), bytes, FOUR_GIB);
        return parseOwned(file.toString(), bytes, FOUR_GIB);
    }

    private static OvmfImage parseOwned(String source, byte[] bytes, long endGpa) throws MeasureException {
        OvmfFooterTable table = OvmfFooterTable.parse(source, bytes);
        List<SevMetadataSection> sections = SevMetadata.parse(source, bytes, table);
        return new OvmfImage(source, bytes, endGpa - bytes.length, table, sections);
    }

    private static void checkSize(String source, byte[] bytes, long endGpa) throws MeasureException {
        if (bytes.length == 0) {
            throw new MeasureException(source + ": the firmware image is empty");
        }
        // Every SNP_LAUNCH_UPDATE covers whole 4 KiB pages (SEV-SNP Firmware ABI, 8.17 SNP_LAUNCH_UPDATE).
        if (bytes.length % PAGE_SIZE != 0) {
            throw new MeasureException(source + ": the firmware image must be a multiple of 4096 bytes, found "
                    + bytes.length + " bytes (" + (bytes.length % PAGE_SIZE) + " over)");
        }
        if (endGpa - bytes.length < 0) {
            throw new MeasureException(source + ": " + bytes.length + " bytes do not fit below 0x" + Long.toHexString(endGpa));
        }
    }

    public String source() {
        return source;
    }

    /** Guest-physical address of the first byte. */
    public long gpa() {
        return gpa;
    }

    public int length() {
        return bytes.length;
    }

    /** SHA-256 of the image bytes, for reports that name the measured file. */
    public Digest sha256() {
        return Digest.compute(Digest.HashAlgorithm.SHA256, bytes);
    }

    /** Package access without a copy: the digest calculation reads pages in place. */
    byte[] bytesNoCopy() {
        return bytes;
    }

    public OvmfFooterTable footerTable() {
        return table;
    }

    /** SEV metadata sections in table order. */
    public List<SevMetadataSection> sections() {
        return sections;
    }

    public boolean hasSection(SectionType type) {
        return sections.stream().anyMatch(s -> s.type() == type);
    }

    /** Where the APs start (SEV-ES reset block), if the firmware has the entry. */
    public Optional<Long> apResetEip() throws MeasureException {
        return table.u32(source, OvmfFooterTable.SEV_ES_RESET_BLOCK);
    }

    /** GPA of the kernel-hashes table (SEV_HASH_TABLE_RV entry), if present. */
    public Optional<Long> sevHashTableGpa() throws MeasureException {
        return table.u32(source, OvmfFooterTable.SEV_HASH_TABLE_RV);
    }
}
