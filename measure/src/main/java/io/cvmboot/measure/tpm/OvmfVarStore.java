package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The non-volatile UEFI variables in an OVMF VARS image (edk2's variable firmware volume): an
 * EFI_FIRMWARE_VOLUME_HEADER (PI 1.7 Vol. 3, 3.2.1), a VARIABLE_STORE_HEADER
 * (MdeModulePkg/Include/Guid/VariableFormat.h) and then 4-aligned variable records, each starting
 * with StartId 0x55AA. Only records in state VAR_ADDED are live; deleted ones stay in the flash until
 * reclaim, so they must be skipped.
 */
public final class OvmfVarStore {
    /** "_FVH" at offset 0x28 of the firmware volume header. */
    static final int FV_SIGNATURE = 0x4856_465F;
    static final int FV_SIGNATURE_OFFSET = 0x28;
    static final int FV_HEADER_LENGTH_OFFSET = 0x30;
    /** gEfiAuthenticatedVariableGuid: records carry the 60-byte AUTHENTICATED_VARIABLE_HEADER. */
    static final EfiGuid AUTHENTICATED_VARIABLE_STORE = new EfiGuid("aaf32c78-947b-439a-a180-2e144ec37792");
    /** gEfiVariableGuid: records carry the 32-byte VARIABLE_HEADER. */
    static final EfiGuid VARIABLE_STORE = new EfiGuid("ddcf3616-3275-4164-98b6-fe85707ffe7d");
    static final int STORE_HEADER_SIZE = 16 + 4 + 1 + 1 + 2 + 4;
    static final int START_ID = 0x55AA;
    /** VAR_ADDED with no other state bit cleared; 0x3E is VAR_ADDED during a delete transition. */
    static final int VAR_ADDED = 0x3F;
    static final int VAR_ADDED_IN_DELETE_TRANSITION = 0x3E;
    static final int AUTHENTICATED_HEADER_SIZE = 60;
    static final int PLAIN_HEADER_SIZE = 32;

    private final Map<String, byte[]> variables;

    private OvmfVarStore(Map<String, byte[]> variables) {
        this.variables = variables;
    }

    /**
     * Parses an OVMF VARS image.
     *
     * @throws MeasureException when the image is not an edk2 variable store or a record runs past it
     */
    public static OvmfVarStore parse(String inputName, byte[] image) throws MeasureException {
        LogReader header = new LogReader(inputName, image, 0);
        header.bytes(FV_SIGNATURE_OFFSET, "firmware volume header");
        long signature = header.u32("firmware volume signature");
        if (signature != FV_SIGNATURE) {
            throw new MeasureException(inputName + ": not an OVMF VARS image: expected \"_FVH\" at offset 0x28, found 0x"
                    + Long.toHexString(signature));
        }
        header.u32("firmware volume attributes");
        int fvHeaderLength = header.u16("firmware volume HeaderLength");
        LogReader store = new LogReader(inputName, image, 0);
        store.bytes(fvHeaderLength, "firmware volume header");
        EfiGuid format = EfiGuid.fromBytes(store.bytes(16, "variable store Signature"), 0);
        int recordHeader;
        if (format.equals(AUTHENTICATED_VARIABLE_STORE)) {
            recordHeader = AUTHENTICATED_HEADER_SIZE;
        } else if (format.equals(VARIABLE_STORE)) {
            recordHeader = PLAIN_HEADER_SIZE;
        } else {
            throw new MeasureException(inputName + ": variable store signature " + format + " at offset " + fvHeaderLength
                    + " is neither the authenticated (" + AUTHENTICATED_VARIABLE_STORE + ") nor the plain ("
                    + VARIABLE_STORE + ") store");
        }
        long storeSize = store.u32("variable store Size");
        long storeEnd = Math.min((long) fvHeaderLength + storeSize, image.length);
        store.bytes(STORE_HEADER_SIZE - 20, "variable store header");
        Map<String, byte[]> live = new LinkedHashMap<>();
        Map<String, byte[]> inTransition = new LinkedHashMap<>();
        int at = align4(store.position());
        while (at + recordHeader <= storeEnd) {
            LogReader r = new LogReader(inputName, image, at);
            if (r.u16("variable StartId") != START_ID) {
                break; // erased flash (0xFFFF) ends the list
            }
            int state = r.u8("variable State");
            r.u8("variable Reserved");
            r.u32("variable Attributes");
            if (recordHeader == AUTHENTICATED_HEADER_SIZE) {
                r.bytes(8 + 16 + 4, "MonotonicCount, TimeStamp, PubKeyIndex");
            }
            long nameSize = r.u32("variable NameSize");
            long dataSize = r.u32("variable DataSize");
            EfiGuid vendor = EfiGuid.fromBytes(r.bytes(16, "variable VendorGuid"), 0);
            byte[] name = r.bytes(nameSize, "variable name at offset " + at);
            byte[] data = r.bytes(dataSize, "variable data at offset " + at);
            String key = key(vendor, utf16z(name));
            if (state == VAR_ADDED) {
                live.put(key, data);
            } else if (state == VAR_ADDED_IN_DELETE_TRANSITION) {
                inTransition.put(key, data);
            }
            at = align4(r.position());
        }
        // A record caught in a delete transition is still the current one unless its replacement landed.
        inTransition.forEach(live::putIfAbsent);
        return new OvmfVarStore(live);
    }

    /** The data of a live variable, if present. */
    public Optional<byte[]> get(EfiGuid vendor, String name) {
        byte[] d = variables.get(key(vendor, name));
        return d == null ? Optional.empty() : Optional.of(d.clone());
    }

    /** Names of all live variables as {@code guid:name}, in store order. */
    public java.util.List<String> names() {
        return java.util.List.copyOf(variables.keySet());
    }

    /**
     * Whether edk2 will boot with Secure Boot on: a Platform Key is enrolled and SecureBootEnable is
     * not set to 0 (edk2 AuthVariableLib creates SecureBootEnable=1 when PK exists and it is absent).
     */
    public boolean secureBootEnabled() {
        boolean pk = get(EfiGuid.GLOBAL_VARIABLE, "PK").map(d -> d.length > 0).orElse(false);
        boolean enable = get(EfiGuid.SECURE_BOOT_ENABLE_DISABLE, "SecureBootEnable")
                .map(d -> d.length > 0 && d[0] == 1).orElse(true);
        return pk && enable;
    }

    private static String key(EfiGuid vendor, String name) {
        return vendor + ":" + name;
    }

    private static String utf16z(byte[] name) {
        int len = 0;
        while (len + 1 < name.length && (name[len] != 0 || name[len + 1] != 0)) {
            len += 2;
        }
        return new String(name, 0, len, StandardCharsets.UTF_16LE);
    }

    private static int align4(int v) {
        return (v + 3) & ~3;
    }
}
