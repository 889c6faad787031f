package io.cvmboot.measure.tpm;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release of an x86 bzImage, from its real-mode setup header (Linux Documentation
 * x86/boot.rst: "HdrS" at 0x202, kernel_version at 0x20E points to a NUL-terminated string at
 * that offset + 0x200). Decides which EFI-stub measurements (PCR 9) the kernel makes.
 */
public record LinuxKernelVersion(int major, int minor, String release) {
    static final int HDRS_OFFSET = 0x202;
    static final int KERNEL_VERSION_OFFSET = 0x20E;
    static final int SETUP_BASE = 0x200;
    private static final Pattern RELEASE = Pattern.compile("^([0-9]+)\\.([0-9]+)");

    /** The version, when the image has a setup header with a parsable version string. */
    public static Optional<LinuxKernelVersion> of(byte[] bzImage) {
        if (bzImage.length < KERNEL_VERSION_OFFSET + 2
                || !new String(bzImage, HDRS_OFFSET, 4, StandardCharsets.ISO_8859_1).equals("HdrS")) {
            return Optional.empty();
        }
        int pointer = (bzImage[KERNEL_VERSION_OFFSET] & 0xFF) | (bzImage[KERNEL_VERSION_OFFSET + 1] & 0xFF) << 8;
        int at = pointer + SETUP_BASE;
        if (pointer == 0 || at >= bzImage.length) {
            return Optional.empty();
        }
        int end = at;
        while (end < bzImage.length && bzImage[end] != 0 && end - at < 512) {
            end++;
        }
        String text = new String(bzImage, at, end - at, StandardCharsets.ISO_8859_1);
        String release = text.split(" ", 2)[0];
        Matcher m = RELEASE.matcher(release);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new LinuxKernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), release));
    }

    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }
}
