package io.cvmboot.measure.snp;

import io.cvmboot.measure.MeasureException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The GUIDed table that OVMF places just before the reset vector at the end of its ROM
 * (edk2 OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm, "guidedStructureStart"). QEMU and the
 * measurement tools read the SEV entries from it.
 *
 * <p>Layout, counting back from the end of the image (N = image length): the last 32 bytes are
 * the reset vector area; before them the footer entry {@code u16 totalSize, GUID footer}; before
 * that the body, a run of entries each stored as {@code data, u16 size, GUID}, where {@code size}
 * includes the 18-byte trailer.
 */
public final class OvmfFooterTable {
    /** Footer entry GUID (edk2 OvmfPkg/ResetVector, "OVMF table footer"). */
    public static final EfiGuid FOOTER = EfiGuid.of("96b582de-1fb2-45f7-baea-a366c55a082d");
    /** SEV hash table location: data {@code u32 gpa, u32 size} (QEMU target/i386/sev.c). */
    public static final EfiGuid SEV_HASH_TABLE_RV = EfiGuid.of("7255371f-3a3b-4b04-927b-1da6efa8d454");
    /** SEV-ES AP reset block: data {@code u32 eip} of the APs' first instruction. */
    public static final EfiGuid SEV_ES_RESET_BLOCK = EfiGuid.of("00f771de-1a7e-4fcb-890e-68c77e2fb44e");
    /** OVMF SEV metadata pointer: data {@code u32} distance from the end of the image to the ASEV header. */
    public static final EfiGuid OVMF_SEV_METADATA = EfiGuid.of("dc886566-984a-4798-a75e-5585a7bf67cc");
    /** Coconut-SVSM info: data {@code u32} offset of the SVSM entry point in its image. */
    public static final EfiGuid SVSM_INFO = EfiGuid.of("a789a612-0597-4c4b-a49f-cbb1fe9d1ddd");

    /** Bytes after the table that belong to the reset vector and are never table data. */
    static final int RESET_VECTOR_AREA = 32;
    /** {@code u16 size} followed by the 16-byte GUID. */
    static final int ENTRY_TRAILER = 2 + EfiGuid.LENGTH;

    private final Map<EfiGuid, byte[]> entries;

    private OvmfFooterTable(Map<EfiGuid, byte[]> entries) {
        this.entries = entries;
    }

    /**
     * Parses the table of {@code image}.
     *
     * @throws MeasureException if the image has no footer table (too short, truncated, or not an
     *     OVMF-style ROM) or an entry is malformed; {@code source} names the image in the message
     */
    public static OvmfFooterTable parse(String source, byte[] image) throws MeasureException {
        int footerOffset = image.length - RESET_VECTOR_AREA - ENTRY_TRAILER;
        if (footerOffset < 0) {
            throw new MeasureException(source + ": expected an OVMF footer table " + (RESET_VECTOR_AREA + ENTRY_TRAILER)
                    + " bytes before the end, but the image has only " + image.length + " bytes");
        }
        EfiGuid footerGuid = EfiGuid.fromEfiBytes(image, footerOffset + 2);
        if (!footerGuid.equals(FOOTER)) {
            // The reference tool treats this as an empty table and only fails later (or never, in
            // sev and snp:ovmf-hash modes). A missing footer means a truncated or non-OVMF image, so
            // we fail closed here instead of hashing whatever bytes we were given.
            throw new MeasureException(source + ": no OVMF footer table: expected GUID " + FOOTER + " at offset 0x"
                    + Long.toHexString(footerOffset + 2) + ", found " + footerGuid
                    + " (truncated image, or not an OVMF build?)");
        }
        int bodyLength = LittleEndian.u16(image, footerOffset) - ENTRY_TRAILER;
        if (bodyLength < 0 || bodyLength > footerOffset) {
            throw new MeasureException(source + ": OVMF footer table size " + (bodyLength + ENTRY_TRAILER)
                    + " does not fit the image (0x" + Integer.toHexString(footerOffset) + " bytes before the footer)");
        }
        Map<EfiGuid, byte[]> entries = new LinkedHashMap<>();
        int end = footerOffset; // walk backwards from here to footerOffset - bodyLength
        int start = footerOffset - bodyLength;
        while (end - start >= ENTRY_TRAILER) {
            int trailer = end - ENTRY_TRAILER;
            int size = LittleEndian.u16(image, trailer);
            EfiGuid guid = EfiGuid.fromEfiBytes(image, trailer + 2);
            if (size < ENTRY_TRAILER || size > end - start) {
                throw new MeasureException(source + ": OVMF footer table entry " + guid + " has size " + size
                        + ", expected " + ENTRY_TRAILER + ".." + (end - start));
            }
            byte[] data = new byte[size - ENTRY_TRAILER];
            System.arraycopy(image, end - size, data, 0, data.length);
            // Walking backwards, a later put overwrites: the entry nearer the start of the table wins,
            // as in QEMU's and the reference tool's lookup.
            entries.put(guid, data);
            end -= size;
        }
        return new OvmfFooterTable(Collections.unmodifiableMap(entries));
    }

    /** Data of the entry with {@code guid}, if present. */
    public Optional<byte[]> entry(EfiGuid guid) {
        return Optional.ofNullable(entries.get(guid)).map(byte[]::clone);
    }

    /** The first four bytes of the entry's data as an unsigned little-endian value. */
    public Optional<Long> u32(String source, EfiGuid guid) throws MeasureException {
        byte[] data = entries.get(guid);
        if (data == null) {
            return Optional.empty();
        }
        if (data.length < 4) {
            throw new MeasureException(source + ": OVMF footer table entry " + guid + " has " + data.length
                    + " data bytes, expected at least 4");
        }
        return Optional.of(LittleEndian.u32(data, 0));
    }

    public boolean contains(EfiGuid guid) {
        return entries.containsKey(guid);
    }

    /** The GUIDs present, in the order met walking back from the footer. */
    public java.util.Set<EfiGuid> guids() {
        return entries.keySet();
    }
}
