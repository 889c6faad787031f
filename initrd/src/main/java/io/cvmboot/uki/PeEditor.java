package io.cvmboot.uki;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.pe.CoffHeader;
import io.cvmboot.measure.pe.OptionalHeader;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.pe.PeSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a systemd-stub into a UKI by appending sections, following the rules of systemd's ukify
 * ({@code pe_add_sections}): strip a trailing COFF symbol table, align every section's raw data to
 * FileAlignment, round SizeOfHeaders up to FileAlignment, then append each section right after the
 * previous one (file offset and RVA rounded up to FileAlignment and SectionAlignment), and finally
 * set SizeOfImage and clear CheckSum. Nothing here reads a clock: the output depends only on the
 * inputs. Single use, not thread-safe; {@link UkiAssembler} drives it.
 */
final class PeEditor {
    /** COFF symbol table entry size (Microsoft PE Format, "COFF Symbol Table"). */
    private static final int COFF_SYMBOL_SIZE = 18;

    private final String inputName;
    private byte[] buf;
    private int size;
    private final int coff;
    private final int optional;
    private final int sectionTable;
    private final long fileAlignment;
    private final long sectionAlignment;
    private final int originalSections;

    private PeEditor(PeImage stub) {
        this.inputName = stub.inputName();
        this.buf = stub.bytes();
        this.size = buf.length;
        this.coff = stub.coffHeaderOffset();
        this.optional = stub.optionalHeaderOffset();
        this.sectionTable = stub.sectionTableOffset();
        this.fileAlignment = stub.optionalHeader().fileAlignment();
        this.sectionAlignment = stub.optionalHeader().sectionAlignment();
        this.originalSections = stub.sections().size();
    }

    /** Prepares {@code stub} for appending sections; refuses a signed stub. */
    static PeEditor forStub(PeImage stub) throws ArtefactInputException {
        if (stub.optionalHeader().certificateTable().virtualAddress() != 0 || stub.isSigned()) {
            // A signature over the stub would be invalid once sections are added; the UKI is signed as a whole.
            throw new ArtefactInputException(stub.inputName() + ": expected an unsigned systemd-stub, found a signed image"
                    + " (certificate table at 0x" + Long.toHexString(stub.optionalHeader().certificateTable().virtualAddress())
                    + "); use the unsigned linuxx64.efi.stub and sign the UKI instead");
        }
        long fa = stub.optionalHeader().fileAlignment();
        long sa = stub.optionalHeader().sectionAlignment();
        if (Long.bitCount(fa) != 1 || Long.bitCount(sa) != 1) {
            throw new ArtefactInputException(stub.inputName() + ": FileAlignment 0x" + Long.toHexString(fa)
                    + " and SectionAlignment 0x" + Long.toHexString(sa) + " must be powers of two");
        }
        requireOrderedRawData(stub);
        PeEditor e = new PeEditor(stub);
        e.stripTrailingSymbolTable();
        e.alignRawData();
        e.putU32(e.optional + OptionalHeader.OFFSET_SIZE_OF_HEADERS, roundUp(e.sizeOfHeaders(), fa));
        return e;
    }

    /**
     * The realignment below inserts padding and shifts later sections, which is only well defined when
     * raw data lies after the headers, in section-table order, without overlaps (true of every real stub;
     * ukify relies on pefile rejecting anything else).
     */
    private static void requireOrderedRawData(PeImage stub) throws ArtefactInputException {
        if (stub.sections().isEmpty()) {
            throw new ArtefactInputException(stub.inputName() + ": expected a systemd-stub with sections, found none");
        }
        long previousEnd = roundUp(stub.optionalHeader().sizeOfHeaders(), stub.optionalHeader().fileAlignment());
        for (PeSection s : stub.sections()) {
            if (s.sizeOfRawData() == 0) {
                continue;
            }
            if (s.pointerToRawData() < previousEnd) {
                throw new ArtefactInputException(stub.inputName() + ": section " + s.index() + " '" + s.name()
                        + "' raw data at 0x" + Long.toHexString(s.pointerToRawData())
                        + " overlaps the headers or the previous section (which end at 0x" + Long.toHexString(previousEnd) + ")");
            }
            previousEnd = s.endOfRawData();
        }
    }

    /** Old (gnu-efi) stubs keep a COFF symbol and string table at the end of the file; images should not. */
    private void stripTrailingSymbolTable() {
        long pointer = u32(coff + CoffHeader.OFFSET_POINTER_TO_SYMBOL_TABLE);
        if (pointer == 0) {
            return;
        }
        long tableSize = COFF_SYMBOL_SIZE * u32(coff + CoffHeader.OFFSET_NUMBER_OF_SYMBOLS);
        if (pointer + tableSize + 4 <= size) {
            // The string table follows the symbols; its first u32 is its own size.
            tableSize += u32((int) (pointer + tableSize));
        }
        // Only when it really ends the file and no section data lies inside it.
        if (pointer + tableSize == size && pointer >= endOfSectionData()) {
            size = (int) pointer;
            putU32(coff + CoffHeader.OFFSET_POINTER_TO_SYMBOL_TABLE, 0);
            putU32(coff + CoffHeader.OFFSET_NUMBER_OF_SYMBOLS, 0);
            // ukify also asks pefile to set IMAGE_FILE_LOCAL_SYMS_STRIPPED, but pefile does not write
            // flag attributes back, so ukify's output keeps Characteristics as is; so do we (same bytes).
        }
    }

    /** Stripped stubs can have raw data not aligned to FileAlignment; pad each section so that it is. */
    private void alignRawData() {
        int count = numberOfSections();
        for (int i = 0; i < count; i++) {
            int h = sectionHeader(i);
            long oldPointer = u32(h + PeSection.OFFSET_POINTER_TO_RAW_DATA);
            long oldSize = u32(h + PeSection.OFFSET_SIZE_OF_RAW_DATA);
            if (oldSize == 0) {
                continue;
            }
            long newPointer = roundUp(oldPointer, fileAlignment);
            long newSize = roundUp(oldSize, fileAlignment);
            int before = (int) (newPointer - oldPointer);
            int after = (int) (newSize - oldSize);
            if (before == 0 && after == 0) {
                continue;
            }
            insertZeros((int) (oldPointer + oldSize), after);
            insertZeros((int) oldPointer, before);
            putU32(h + PeSection.OFFSET_POINTER_TO_RAW_DATA, newPointer);
            putU32(h + PeSection.OFFSET_SIZE_OF_RAW_DATA, newSize);
            for (int j = i + 1; j < count; j++) {
                int later = sectionHeader(j);
                long p = u32(later + PeSection.OFFSET_POINTER_TO_RAW_DATA);
                if (p >= oldPointer + oldSize) {
                    putU32(later + PeSection.OFFSET_POINTER_TO_RAW_DATA, p + before + after);
                }
            }
        }
    }

    private long firstRawData() {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < numberOfSections(); i++) {
            int h = sectionHeader(i);
            if (u32(h + PeSection.OFFSET_SIZE_OF_RAW_DATA) != 0) {
                first = Math.min(first, u32(h + PeSection.OFFSET_POINTER_TO_RAW_DATA));
            }
        }
        return first;
    }

    private long endOfSectionData() {
        long end = sizeOfHeaders();
        for (int i = 0; i < numberOfSections(); i++) {
            int h = sectionHeader(i);
            end = Math.max(end, u32(h + PeSection.OFFSET_POINTER_TO_RAW_DATA) + u32(h + PeSection.OFFSET_SIZE_OF_RAW_DATA));
        }
        return end;
    }

    /** True when the stub itself has a section named {@code name}. */
    boolean hasOriginalSection(String name) {
        return originalSectionIndex(name) >= 0;
    }

    /**
     * Replaces the data of the stub's own section {@code name} (ukify does this for .sbat): the new
     * data goes where the old was, must fit in its SizeOfRawData, and the rest is zero-filled.
     */
    void replaceOriginalSection(String name, byte[] data) throws ArtefactInputException {
        int index = originalSectionIndex(name);
        int h = sectionHeader(index);
        long pointer = u32(h + PeSection.OFFSET_POINTER_TO_RAW_DATA);
        long raw = u32(h + PeSection.OFFSET_SIZE_OF_RAW_DATA);
        if (data.length > raw) {
            throw new ArtefactInputException(inputName + ": not enough space in its " + name + " section: "
                    + data.length + " bytes needed, SizeOfRawData is " + raw);
        }
        System.arraycopy(data, 0, buf, (int) pointer, data.length);
        Arrays.fill(buf, (int) pointer + data.length, (int) (pointer + raw), (byte) 0);
        putU32(h + PeSection.OFFSET_VIRTUAL_SIZE, data.length);
    }

    /**
     * Appends a section after the last one.
     *
     * @param virtualSize the loaded size (normally data.length; ukify uses the kernel's SizeOfImage for .linux)
     */
    void appendSection(String name, byte[] data, long virtualSize, long characteristics) throws ArtefactInputException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length > PeSection.NAME_LENGTH) {
            throw new IllegalArgumentException("section name longer than 8 bytes: " + name);
        }
        int count = numberOfSections();
        int header = sectionTable + count * PeSection.HEADER_SIZE;
        long sizeOfHeaders = sizeOfHeaders();
        // Rounding SizeOfHeaders up is only safe while it stays below the first section's data.
        if (header + PeSection.HEADER_SIZE > Math.min(sizeOfHeaders, firstRawData())) {
            throw new ArtefactInputException(inputName + ": not enough header space to add section " + name
                    + ": its section table already holds " + count + " entries and ends at 0x" + Integer.toHexString(header)
                    + ", SizeOfHeaders is 0x" + Long.toHexString(sizeOfHeaders));
        }
        int last = sectionHeader(count - 1);
        long virtualAddress = roundUp(u32(last + PeSection.OFFSET_VIRTUAL_ADDRESS) + u32(last + PeSection.OFFSET_VIRTUAL_SIZE),
                sectionAlignment);
        long pointer = roundUp(size, fileAlignment);
        long rawSize = roundUp(data.length, fileAlignment);
        long end = pointer + rawSize;
        if (end > Integer.MAX_VALUE - 8 || virtualAddress + virtualSize > 0xFFFF_FFFFL) {
            throw new ArtefactInputException(inputName + ": section " + name + " of " + data.length
                    + " bytes would push the image past 4 GiB / 2 GiB file size");
        }
        ensureCapacity((int) end);
        Arrays.fill(buf, size, (int) pointer, (byte) 0);
        System.arraycopy(data, 0, buf, (int) pointer, data.length);
        Arrays.fill(buf, (int) pointer + data.length, (int) end, (byte) 0);
        size = (int) end;

        Arrays.fill(buf, header, header + PeSection.HEADER_SIZE, (byte) 0);
        System.arraycopy(nameBytes, 0, buf, header, nameBytes.length);
        putU32(header + PeSection.OFFSET_VIRTUAL_SIZE, virtualSize);
        putU32(header + PeSection.OFFSET_VIRTUAL_ADDRESS, virtualAddress);
        putU32(header + PeSection.OFFSET_SIZE_OF_RAW_DATA, rawSize);
        putU32(header + PeSection.OFFSET_POINTER_TO_RAW_DATA, pointer);
        putU32(header + PeSection.OFFSET_CHARACTERISTICS, characteristics);
        putU16(coff + CoffHeader.OFFSET_NUMBER_OF_SECTIONS, count + 1);
        long initialized = u32(optional + OptionalHeader.OFFSET_SIZE_OF_INITIALIZED_DATA) + virtualSize;
        putU32(optional + OptionalHeader.OFFSET_SIZE_OF_INITIALIZED_DATA, initialized & 0xFFFF_FFFFL);
    }

    /** Sets SizeOfImage from the last section, clears CheckSum (as ukify does) and returns the file. */
    byte[] finish() {
        int last = sectionHeader(numberOfSections() - 1);
        long end = u32(last + PeSection.OFFSET_VIRTUAL_ADDRESS) + u32(last + PeSection.OFFSET_VIRTUAL_SIZE);
        putU32(optional + OptionalHeader.OFFSET_SIZE_OF_IMAGE, roundUp(end, sectionAlignment));
        putU32(optional + OptionalHeader.OFFSET_CHECK_SUM, 0);
        return Arrays.copyOf(buf, size);
    }

    /** How many more section headers fit before SizeOfHeaders. */
    int freeHeaderSlots() {
        long free = sizeOfHeaders() - (sectionTable + (long) numberOfSections() * PeSection.HEADER_SIZE);
        return (int) Math.max(0, free / PeSection.HEADER_SIZE);
    }

    private int originalSectionIndex(String name) {
        for (int i = 0; i < originalSections; i++) {
            int h = sectionHeader(i);
            int len = 0;
            while (len < PeSection.NAME_LENGTH && buf[h + len] != 0) {
                len++;
            }
            if (new String(buf, h, len, StandardCharsets.ISO_8859_1).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private long sizeOfHeaders() {
        return u32(optional + OptionalHeader.OFFSET_SIZE_OF_HEADERS);
    }

    private int numberOfSections() {
        return u16(coff + CoffHeader.OFFSET_NUMBER_OF_SECTIONS);
    }

    private int sectionHeader(int index) {
        return sectionTable + index * PeSection.HEADER_SIZE;
    }

    private void insertZeros(int at, int count) {
        if (count == 0) {
            return;
        }
        ensureCapacity(size + count);
        System.arraycopy(buf, at, buf, at + count, size - at);
        Arrays.fill(buf, at, at + count, (byte) 0);
        size += count;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, buf.length * 2L)));
        }
    }

    static long roundUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    private ByteBuffer le() {
        return ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long u32(int at) {
        return le().getInt(at) & 0xFFFF_FFFFL;
    }

    private int u16(int at) {
        return le().getShort(at) & 0xFFFF;
    }

    private void putU32(int at, long value) {
        le().putInt(at, (int) value);
    }

    private void putU16(int at, int value) {
        le().putShort(at, (short) value);
    }
}
