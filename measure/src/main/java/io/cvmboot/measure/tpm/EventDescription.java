package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A one-line, human-readable rendering of an event's data for the event types seen in UEFI boots
 * (the layouts are in TCG PC Client FP Profile 1.05, 10.4). Only for display: it never affects
 * replay or prediction.
 */
public final class EventDescription {
    static final int MAX_SHOWN = 96;

    private EventDescription() {}

    public static String of(TcgEvent e) {
        byte[] d = e.data();
        long t = e.eventType();
        try {
            if (t == TcgEventType.EV_EFI_VARIABLE_DRIVER_CONFIG || t == TcgEventType.EV_EFI_VARIABLE_BOOT
                    || t == TcgEventType.EV_EFI_VARIABLE_BOOT2 || t == TcgEventType.EV_EFI_VARIABLE_AUTHORITY) {
                UefiVariableData v = UefiVariableData.decode("event", d);
                return v.name() + " {" + v.vendor() + "} " + v.data().length + " bytes";
            }
            if (t == TcgEventType.EV_EVENT_TAG && d.length >= 8) {
                ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
                long id = b.getInt(0) & 0xFFFF_FFFFL;
                long size = b.getInt(4) & 0xFFFF_FFFFL;
                if (size == d.length - 8) {
                    byte[] label = java.util.Arrays.copyOfRange(d, 8, d.length);
                    return String.format("tag 0x%08x %s", id, text(label));
                }
            }
            if (t == TcgEventType.EV_EFI_BOOT_SERVICES_APPLICATION && d.length >= 32) {
                ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
                return "image at 0x" + Long.toHexString(b.getLong(0)) + ", " + b.getLong(8) + " bytes in memory";
            }
            if (t == TcgEventType.EV_NO_ACTION && EventLogReplay.startupLocality(e).isPresent()) {
                return "StartupLocality " + EventLogReplay.startupLocality(e).get();
            }
        } catch (MeasureException | RuntimeException malformed) {
            return "malformed data (" + d.length + " bytes): " + hex(d);
        }
        if (d.length == 0) {
            return "";
        }
        return text(d);
    }

    /** The data as text when it is printable ASCII or UTF-16LE (NUL-terminated or not), else hex. */
    static String text(byte[] d) {
        String ascii = printable(new String(d, StandardCharsets.ISO_8859_1));
        if (ascii != null) {
            return "\"" + ascii + "\"";
        }
        if (d.length % 2 == 0) {
            String utf16 = printable(new String(d, StandardCharsets.UTF_16LE));
            if (utf16 != null) {
                return "\"" + utf16 + "\" (UTF-16)";
            }
        }
        return hex(d);
    }

    private static String printable(String s) {
        String trimmed = s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
        if (trimmed.isEmpty() || !trimmed.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            return null;
        }
        return trimmed.length() > MAX_SHOWN ? trimmed.substring(0, MAX_SHOWN) + "..." : trimmed;
    }

    private static String hex(byte[] d) {
        int n = Math.min(d.length, MAX_SHOWN / 2);
        return HexFormat.of().formatHex(d, 0, n) + (d.length > n ? "..." : "");
    }
}
