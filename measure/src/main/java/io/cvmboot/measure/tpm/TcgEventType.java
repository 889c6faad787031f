package io.cvmboot.measure.tpm;

/**
 * Event types of the TCG PC Client Platform Firmware Profile (version 1.05, section 10.4.1,
 * Table 9 "Events"), as found in the event logs of UEFI boots.
 */
public final class TcgEventType {
    public static final long EV_PREBOOT_CERT = 0x0;
    public static final long EV_POST_CODE = 0x1;
    public static final long EV_NO_ACTION = 0x3;
    public static final long EV_SEPARATOR = 0x4;
    public static final long EV_ACTION = 0x5;
    public static final long EV_EVENT_TAG = 0x6;
    public static final long EV_S_CRTM_CONTENTS = 0x7;
    public static final long EV_S_CRTM_VERSION = 0x8;
    public static final long EV_CPU_MICROCODE = 0x9;
    public static final long EV_PLATFORM_CONFIG_FLAGS = 0xA;
    public static final long EV_TABLE_OF_DEVICES = 0xB;
    public static final long EV_COMPACT_HASH = 0xC;
    public static final long EV_IPL = 0xD;
    public static final long EV_IPL_PARTITION_DATA = 0xE;
    public static final long EV_NONHOST_CODE = 0xF;
    public static final long EV_NONHOST_CONFIG = 0x10;
    public static final long EV_NONHOST_INFO = 0x11;
    public static final long EV_OMIT_BOOT_DEVICE_EVENTS = 0x12;
    public static final long EV_EFI_VARIABLE_DRIVER_CONFIG = 0x8000_0001L;
    public static final long EV_EFI_VARIABLE_BOOT = 0x8000_0002L;
    public static final long EV_EFI_BOOT_SERVICES_APPLICATION = 0x8000_0003L;
    public static final long EV_EFI_BOOT_SERVICES_DRIVER = 0x8000_0004L;
    public static final long EV_EFI_RUNTIME_SERVICES_DRIVER = 0x8000_0005L;
    public static final long EV_EFI_GPT_EVENT = 0x8000_0006L;
    public static final long EV_EFI_ACTION = 0x8000_0007L;
    public static final long EV_EFI_PLATFORM_FIRMWARE_BLOB = 0x8000_0008L;
    public static final long EV_EFI_HANDOFF_TABLES = 0x8000_0009L;
    public static final long EV_EFI_PLATFORM_FIRMWARE_BLOB2 = 0x8000_000AL;
    public static final long EV_EFI_HANDOFF_TABLES2 = 0x8000_000BL;
    public static final long EV_EFI_VARIABLE_BOOT2 = 0x8000_000CL;
    public static final long EV_EFI_HCRTM_EVENT = 0x8000_0010L;
    public static final long EV_EFI_VARIABLE_AUTHORITY = 0x8000_00E0L;
    public static final long EV_EFI_SPDM_FIRMWARE_BLOB = 0x8000_00E1L;
    public static final long EV_EFI_SPDM_FIRMWARE_CONFIG = 0x8000_00E2L;

    private TcgEventType() {}

    /** The spec name of {@code type}, or its hex value when the type is not in the table. */
    public static String name(long type) {
        return switch ((int) type) {
            case 0x0 -> "EV_PREBOOT_CERT";
            case 0x1 -> "EV_POST_CODE";
            case 0x3 -> "EV_NO_ACTION";
            case 0x4 -> "EV_SEPARATOR";
            case 0x5 -> "EV_ACTION";
            case 0x6 -> "EV_EVENT_TAG";
            case 0x7 -> "EV_S_CRTM_CONTENTS";
            case 0x8 -> "EV_S_CRTM_VERSION";
            case 0x9 -> "EV_CPU_MICROCODE";
            case 0xA -> "EV_PLATFORM_CONFIG_FLAGS";
            case 0xB -> "EV_TABLE_OF_DEVICES";
            case 0xC -> "EV_COMPACT_HASH";
            case 0xD -> "EV_IPL";
            case 0xE -> "EV_IPL_PARTITION_DATA";
            case 0xF -> "EV_NONHOST_CODE";
            case 0x10 -> "EV_NONHOST_CONFIG";
            case 0x11 -> "EV_NONHOST_INFO";
            case 0x12 -> "EV_OMIT_BOOT_DEVICE_EVENTS";
            case 0x8000_0001 -> "EV_EFI_VARIABLE_DRIVER_CONFIG";
            case 0x8000_0002 -> "EV_EFI_VARIABLE_BOOT";
            case 0x8000_0003 -> "EV_EFI_BOOT_SERVICES_APPLICATION";
            case 0x8000_0004 -> "EV_EFI_BOOT_SERVICES_DRIVER";
            case 0x8000_0005 -> "EV_EFI_RUNTIME_SERVICES_DRIVER";
            case 0x8000_0006 -> "EV_EFI_GPT_EVENT";
            case 0x8000_0007 -> "EV_EFI_ACTION";
            case 0x8000_0008 -> "EV_EFI_PLATFORM_FIRMWARE_BLOB";
            case 0x8000_0009 -> "EV_EFI_HANDOFF_TABLES";
            case 0x8000_000A -> "EV_EFI_PLATFORM_FIRMWARE_BLOB2";
            case 0x8000_000B -> "EV_EFI_HANDOFF_TABLES2";
            case 0x8000_000C -> "EV_EFI_VARIABLE_BOOT2";
            case 0x8000_0010 -> "EV_EFI_HCRTM_EVENT";
            case 0x8000_00E0 -> "EV_EFI_VARIABLE_AUTHORITY";
            case 0x8000_00E1 -> "EV_EFI_SPDM_FIRMWARE_BLOB";
            case 0x8000_00E2 -> "EV_EFI_SPDM_FIRMWARE_CONFIG";
            default -> String.format("0x%08x", type);
        };
    }
}
