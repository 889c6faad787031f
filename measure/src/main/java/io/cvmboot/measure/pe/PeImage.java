package io.cvmboot.measure.pe;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.MeasureException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed PE/COFF image: its headers, its section table and its bytes. Immutable; built by
 * {@link #parse}, which checks every offset it follows so that later reads cannot run off the end.
 * Layout per Microsoft PE Format ("MS-DOS Stub", "Signature", "COFF File Header", "Optional
 * Header", "Section Table").
 */
public final class PeImage {
    /** Offset of e_lfanew, the file offset of the PE signature, in the MS-DOS header. */
    public static final int OFFSET_E_LFANEW = 0x3C;
    private static final int MZ = 0x5A4D; // "MZ" little-endian
    private static final int PE_SIGNATURE = 0x0000_4550; // "PE\0\0" little-endian
    private static final int SIGNATURE_SIZE = 4;

    private final String inputName;
    private final byte[] bytes;
    private final int peHeaderOffset;
    private final CoffHeader coffHeader;
    private final OptionalHeader optionalHeader;
    private final List<PeSection> sections;

    private PeImage(String inputName, byte[] bytes, int peHeaderOffset, CoffHeader coff, OptionalHeader optional,
            List<PeSection> sections) {
        this.inputName = inputName;
        this.bytes = bytes;
        this.peHeaderOffset = peHeaderOffset;
        this.coffHeader = coff;
        this.optionalHeader = optional;
        this.sections = List.copyOf(sections);
    }

    /**
     * Parses {@code bytes} as a PE image.
     *
     * @param inputName how error messages name the input (a file name or a role such as "stub")
     * @throws MeasureException when the bytes are not a well-formed PE image
     */
    public static PeImage parse(String inputName, byte[] bytes) throws MeasureException {
        Objects.requireNonNull(inputName, "inputName");
        byte[] data = bytes.clone();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (data.length < OFFSET_E_LFANEW + 4 || (b.getShort(0) & 0xFFFF) != MZ) {
            throw new MeasureException(inputName + ": not a PE image: expected the MS-DOS magic \"MZ\" at offset 0, found "
                    + describeStart(data));
        }
        long lfanew = u32(b, OFFSET_E_LFANEW);
        if (lfanew + SIGNATURE_SIZE + CoffHeader.SIZE > data.length) {
            throw new MeasureException(inputName + ": not a PE image: e_lfanew 0x" + Long.toHexString(lfanew)
                    + " points past the end of the file (" + data.length + " bytes)");
        }
        int pe = (int) lfanew;
        if (b.getInt(pe) != PE_SIGNATURE) {
            throw new MeasureException(inputName + ": not a PE image: expected \"PE\\0\\0\" at offset 0x"
                    + Integer.toHexString(pe) + ", found 0x" + String.format("%08x", b.getInt(pe)));
        }
        int coffOffset = pe + SIGNATURE_SIZE;
        CoffHeader coff = new CoffHeader(
                u16(b, coffOffset),
                u16(b, coffOffset + CoffHeader.OFFSET_NUMBER_OF_SECTIONS),
                u32(b, coffOffset + CoffHeader.OFFSET_TIME_DATE_STAMP),
                u32(b, coffOffset + CoffHeader.OFFSET_POINTER_TO_SYMBOL_TABLE),
                u32(b, coffOffset + CoffHeader.OFFSET_NUMBER_OF_SYMBOLS),
                u16(b, coffOffset + CoffHeader.OFFSET_SIZE_OF_OPTIONAL_HEADER),
                u16(b, coffOffset + CoffHeader.OFFSET_CHARACTERISTICS));
        int opt = coffOffset + CoffHeader.SIZE;
        if (coff.sizeOfOptionalHeader() < 2 || opt + coff.sizeOfOptionalHeader() > data.length) {
            throw new MeasureException(inputName + ": PE optional header of " + coff.sizeOfOptionalHeader()
                    + " bytes at 0x" + Integer.toHexString(opt) + " does not fit in the file (" + data.length + " bytes)");
        }
        int magic = u16(b, opt);
        PeFormat format = PeFormat.fromMagic(magic);
        if (format == null) {
            throw new MeasureException(inputName + ": PE optional header magic: expected 0x10b (PE32) or 0x20b (PE32+), found 0x"
                    + Integer.toHexString(magic));
        }
        if (coff.sizeOfOptionalHeader() < format.dataDirectoriesOffset()) {
            throw new MeasureException(inputName + ": " + format + " optional header needs at least "
                    + format.dataDirectoriesOffset() + " bytes, SizeOfOptionalHeader is " + coff.sizeOfOptionalHeader());
        }
        long rvaCount = u32(b, opt + format.numberOfRvaAndSizesOffset());
        if (format.dataDirectoriesOffset() + rvaCount * DataDirectory.ENTRY_SIZE > coff.sizeOfOptionalHeader()) {
            throw new MeasureException(inputName + ": NumberOfRvaAndSizes " + rvaCount
                    + " data directories do not fit in SizeOfOptionalHeader " + coff.sizeOfOptionalHeader());
        }
        List<DataDirectory> dirs = new ArrayList<>();
        for (int i = 0; i < rvaCount; i++) {
            int at = opt + format.dataDirectoriesOffset() + i * DataDirectory.ENTRY_SIZE;
            dirs.add(new DataDirectory(u32(b, at), u32(b, at + 4)));
        }
        // PE32 has a 4-byte BaseOfData before a 4-byte ImageBase; PE32+ has an 8-byte ImageBase at 24.
        long imageBase = format == PeFormat.PE32_PLUS ? b.getLong(opt + 24) : u32(b, opt + 28);
        OptionalHeader optional = new OptionalHeader(
                format,
                u32(b, opt + OptionalHeader.OFFSET_SIZE_OF_CODE),
                u32(b, opt + OptionalHeader.OFFSET_SIZE_OF_INITIALIZED_DATA),
                u32(b, opt + OptionalHeader.OFFSET_SIZE_OF_UNINITIALIZED_DATA),
                u32(b, opt + OptionalHeader.OFFSET_ADDRESS_OF_ENTRY_POINT),
                u32(b, opt + OptionalHeader.OFFSET_BASE_OF_CODE),
                imageBase,
                u32(b, opt + OptionalHeader.OFFSET_SECTION_ALIGNMENT),
                u32(b, opt + OptionalHeader.OFFSET_FILE_ALIGNMENT),
                u16(b, opt + OptionalHeader.OFFSET_MAJOR_IMAGE_VERSION),
                u16(b, opt + OptionalHeader.OFFSET_MINOR_IMAGE_VERSION),
                u32(b, opt + OptionalHeader.OFFSET_SIZE_OF_IMAGE),
                u32(b, opt + OptionalHeader.OFFSET_SIZE_OF_HEADERS),
                u32(b, opt + OptionalHeader.OFFSET_CHECK_SUM),
                u16(b, opt + OptionalHeader.OFFSET_SUBSYSTEM),
                u16(b, opt + OptionalHeader.OFFSET_DLL_CHARACTERISTICS),
                dirs);
        if (optional.sizeOfHeaders() > data.length) {
            throw new MeasureException(inputName + ": SizeOfHeaders 0x" + Long.toHexString(optional.sizeOfHeaders())
                    + " exceeds the file length 0x" + Integer.toHexString(data.length));
        }
        int table = opt + coff.sizeOfOptionalHeader();
        long tableEnd = table + (long) coff.numberOfSections() * PeSection.HEADER_SIZE;
        if (tableEnd > data.length) {
            throw new MeasureException(inputName + ": section table of " + coff.numberOfSections()
                    + " entries at 0x" + Integer.toHexString(table) + " runs past the end of the file (" + data.length + " bytes)");
        }
        List<PeSection> sections = new ArrayList<>();
        for (int i = 0; i < coff.numberOfSections(); i++) {
            int at = table + i * PeSection.HEADER_SIZE;
            PeSection s = new PeSection(i, sectionName(data, at),
                    u32(b, at + PeSection.OFFSET_VIRTUAL_SIZE),
                    u32(b, at + PeSection.OFFSET_VIRTUAL_ADDRESS),
                    u32(b, at + PeSection.OFFSET_SIZE_OF_RAW_DATA),
                    u32(b, at + PeSection.OFFSET_POINTER_TO_RAW_DATA),
                    u32(b, at + PeSection.OFFSET_CHARACTERISTICS),
                    at);
            if (s.sizeOfRawData() > 0 && s.endOfRawData() > data.length) {
                throw new MeasureException(inputName + ": section " + i + " '" + s.name() + "' raw data [0x"
                        + Long.toHexString(s.pointerToRawData()) + ", 0x" + Long.toHexString(s.endOfRawData())
                        + ") runs past the end of the file (0x" + Integer.toHexString(data.length) + " bytes)");
            }
            sections.add(s);
        }
        return new PeImage(inputName, data, pe, coff, optional, sections);
    }

    /** The name errors use for this input. */
    public String inputName() {
        return inputName;
    }

    /** A copy of the image bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** File length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** A copy of {@code length} bytes from file offset {@code offset}. */
    public byte[] bytesAt(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("[" + offset + ", +" + length + ") of " + bytes.length);
        }
        return Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length));
    }

    /** Offset of the "PE\0\0" signature (the value of e_lfanew). */
    public int peHeaderOffset() {
        return peHeaderOffset;
    }

    public int coffHeaderOffset() {
        return peHeaderOffset + SIGNATURE_SIZE;
    }

    public int optionalHeaderOffset() {
        return coffHeaderOffset() + CoffHeader.SIZE;
    }

    /** File offset of the 4-byte CheckSum field (excluded from the Authenticode hash). */
    public int checkSumOffset() {
        return optionalHeaderOffset() + OptionalHeader.OFFSET_CHECK_SUM;
    }

    /** File offset of data directory entry {@code index} (which may lie beyond NumberOfRvaAndSizes). */
    public int dataDirectoryOffset(int index) {
        return optionalHeaderOffset() + optionalHeader.format().dataDirectoriesOffset() + index * DataDirectory.ENTRY_SIZE;
    }

    /** File offset of the first section table entry. */
    public int sectionTableOffset() {
        return optionalHeaderOffset() + coffHeader.sizeOfOptionalHeader();
    }

    /** File offset just past the last section table entry: where a new entry would go. */
    public int sectionTableEnd() {
        return sectionTableOffset() + sections.size() * PeSection.HEADER_SIZE;
    }

    public CoffHeader coffHeader() {
        return coffHeader;
    }

    public OptionalHeader optionalHeader() {
        return optionalHeader;
    }

    public List<PeSection> sections() {
        return sections;
    }

    /** The first section whose name equals {@code name} exactly. */
    public Optional<PeSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** True when the certificate table (data directory 4) is non-empty, i.e. the image carries a signature. */
    public boolean isSigned() {
        return optionalHeader.certificateTable().isPresent();
    }

    /** A copy of the section's SizeOfRawData bytes as stored in the file. */
    public byte[] rawData(PeSection section) {
        return bytesAt(section.pointerToRawData(), section.sizeOfRawData());
    }

    /**
     * The section as a loader maps it: the raw bytes truncated or zero-extended to VirtualSize. This
     * is what systemd-stub measures and hands on (VirtualSize, not SizeOfRawData, is the length).
     */
    public byte[] sectionBytes(PeSection section) {
        if (section.virtualSize() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("section " + section.name() + " VirtualSize too large: " + section.virtualSize());
        }
        byte[] out = new byte[(int) section.virtualSize()];
        int copy = (int) Math.min(section.virtualSize(), section.sizeOfRawData());
        System.arraycopy(bytes, (int) section.pointerToRawData(), out, 0, copy);
        return out;
    }

    /**
     * The digest of {@link #sectionBytes}, computed without materialising the zero fill (a .linux
     * section's VirtualSize can be tens of MiB beyond its raw data).
     */
    public Digest sectionDigest(PeSection section, Digest.HashAlgorithm algorithm) {
        MessageDigest md = algorithm.newMessageDigest();
        long raw = Math.min(section.virtualSize(), section.sizeOfRawData());
        md.update(bytes, (int) section.pointerToRawData(), (int) raw);
        byte[] zeros = new byte[64 * 1024];
        for (long left = section.virtualSize() - raw; left > 0; left -= zeros.length) {
            md.update(zeros, 0, (int) Math.min(left, zeros.length));
        }
        return Digest.of(algorithm, md.digest());
    }

    /** Package-private view for hashing without a copy; never handed out. */
    byte[] internalBytes() {
        return bytes;
    }

    private static String sectionName(byte[] data, int at) {
        int len = 0;
        while (len < PeSection.NAME_LENGTH && data[at + len] != 0) {
            len++;
        }
        return new String(data, at, len, StandardCharsets.ISO_8859_1);
    }

    private static String describeStart(byte[] data) {
        if (data.length == 0) {
            return "an empty file";
        }
        int n = Math.min(4, data.length);
        return "bytes " + java.util.HexFormat.ofDelimiter(" ").formatHex(data, 0, n) + " (" + data.length + " bytes in all)";
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFF_FFFFL;
    }
}
