package io.cvmboot.measure.pe;

/**
 * The COFF file header that follows the "PE\0\0" signature (Microsoft PE Format, "COFF File
 * Header (Object and Image)", 20 bytes).
 */
public record CoffHeader(
        int machine,
        int numberOfSections,
        long timeDateStamp,
        long pointerToSymbolTable,
        long numberOfSymbols,
        int sizeOfOptionalHeader,
        int characteristics) {
    /** Size of the COFF file header in bytes. */
    public static final int SIZE = 20;
    /** IMAGE_FILE_MACHINE_AMD64. */
    public static final int MACHINE_AMD64 = 0x8664;
    /** IMAGE_FILE_MACHINE_I386. */
    public static final int MACHINE_I386 = 0x14C;

    // Field offsets from the start of the COFF header, as in the spec table.
    public static final int OFFSET_NUMBER_OF_SECTIONS = 2;
    public static final int OFFSET_TIME_DATE_STAMP = 4;
    public static final int OFFSET_POINTER_TO_SYMBOL_TABLE = 8;
    public static final int OFFSET_NUMBER_OF_SYMBOLS = 12;
    public static final int OFFSET_SIZE_OF_OPTIONAL_HEADER = 16;
    public static final int OFFSET_CHARACTERISTICS = 18;
}
