package io.cvmboot.measure.pe;

import java.util.List;

/**
 * The fields of the optional header that cvmboot reads (Microsoft PE Format, "Optional Header
 * Standard Fields", "Optional Header Windows-Specific Fields" and "Optional Header Data
 * Directories"). Offsets of the fields that writers patch are constants here; they are the same
 * for PE32 and PE32+ up to {@code BaseOfData}/{@code ImageBase} and again from SectionAlignment on.
 */
public record OptionalHeader(
        PeFormat format,
        long sizeOfCode,
        long sizeOfInitializedData,
        long sizeOfUninitializedData,
        long addressOfEntryPoint,
        long baseOfCode,
        long imageBase,
        long sectionAlignment,
        long fileAlignment,
        int majorImageVersion,
        int minorImageVersion,
        long sizeOfImage,
        long sizeOfHeaders,
        long checkSum,
        int subsystem,
        int dllCharacteristics,
        List<DataDirectory> dataDirectories) {

    // Offsets from the start of the optional header (identical in PE32 and PE32+ for these fields).
    public static final int OFFSET_SIZE_OF_CODE = 4;
    public static final int OFFSET_SIZE_OF_INITIALIZED_DATA = 8;
    public static final int OFFSET_SIZE_OF_UNINITIALIZED_DATA = 12;
    public static final int OFFSET_ADDRESS_OF_ENTRY_POINT = 16;
    public static final int OFFSET_BASE_OF_CODE = 20;
    public static final int OFFSET_SECTION_ALIGNMENT = 32;
    public static final int OFFSET_FILE_ALIGNMENT = 36;
    public static final int OFFSET_MAJOR_IMAGE_VERSION = 44;
    public static final int OFFSET_MINOR_IMAGE_VERSION = 46;
    public static final int OFFSET_SIZE_OF_IMAGE = 56;
    public static final int OFFSET_SIZE_OF_HEADERS = 60;
    public static final int OFFSET_CHECK_SUM = 64;
    public static final int OFFSET_SUBSYSTEM = 68;
    public static final int OFFSET_DLL_CHARACTERISTICS = 70;

    public OptionalHeader {
        dataDirectories = List.copyOf(dataDirectories);
    }

    /** The data directory at {@code index}, or an empty one when the header has fewer entries. */
    public DataDirectory dataDirectory(int index) {
        return index < dataDirectories.size() ? dataDirectories.get(index) : new DataDirectory(0, 0);
    }

    /** The Authenticode certificate table entry (index 4); empty when the image is unsigned. */
    public DataDirectory certificateTable() {
        return dataDirectory(DataDirectory.CERTIFICATE_TABLE);
    }
}
