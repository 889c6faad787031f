package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * UEFI_VARIABLE_DATA, the event data of EV_EFI_VARIABLE_* events (TCG PC Client Platform Firmware
 * Profile 1.05, 10.4.7, Table 25): VariableName GUID, UnicodeNameLength u64 (characters, no NUL),
 * VariableDataLength u64, UnicodeName (UTF-16LE), VariableData.
 */
public record UefiVariableData(EfiGuid vendor, String name, byte[] data) {
    static final int FIXED_SIZE = 16 + 8 + 8;

    public UefiVariableData {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(name, "name");
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The serialized structure: what EV_EFI_VARIABLE_DRIVER_CONFIG and _AUTHORITY digests cover. */
    public byte[] encode() {
        byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = ByteBuffer.allocate(FIXED_SIZE + utf16.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(vendor.toBytes());
        b.putLong(name.length());
        b.putLong(data.length);
        b.put(utf16);
        b.put(data);
        return b.array();
    }

    /** Decodes event data of an EV_EFI_VARIABLE_* event. */
    public static UefiVariableData decode(String inputName, byte[] eventData) throws MeasureException {
        LogReader r = new LogReader(inputName, eventData, 0);
        byte[] guid = r.bytes(16, "UEFI_VARIABLE_DATA VariableName");
        long nameLength = r.u64("UnicodeNameLength");
        long dataLength = r.u64("VariableDataLength");
        if (nameLength > Integer.MAX_VALUE / 2) {
            throw new MeasureException(inputName + ": UnicodeNameLength " + nameLength + " is not plausible");
        }
        byte[] name = r.bytes(nameLength * 2, "UnicodeName");
        byte[] data = r.bytes(dataLength, "VariableData");
        if (!r.atEnd()) {
            throw new MeasureException(inputName + ": UEFI_VARIABLE_DATA has " + r.remaining()
                    + " bytes after VariableData (expected none)");
        }
        return new UefiVariableData(EfiGuid.fromBytes(guid, 0), new String(name, StandardCharsets.UTF_16LE), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UefiVariableData v && v.vendor.equals(vendor) && v.name.equals(name) && Arrays.equals(v.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vendor, name, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return vendor + ":" + name + " (" + data.length + " bytes)";
    }
}
