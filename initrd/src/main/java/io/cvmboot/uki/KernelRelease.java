package io.cvmboot.uki;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code uname -r} string of an x86 bzImage for the .uname section, as ukify's
 * {@code Uname.scrape_x86} does: the real-mode setup header (Linux Documentation/arch/x86/boot.rst,
 * "The Real-Mode Kernel Header") has the magic "HdrS" at 0x202 and at 0x20E a pointer, relative to
 * 0x200, to the NUL-terminated version string "6.1.0-56-cloud-amd64 (builder@host) #1 SMP ...".
 */
public final class KernelRelease {
    /** Offset of the setup header magic "HdrS". */
    static final int OFFSET_HEADER_MAGIC = 0x202;
    /** Offset of kernel_version, a u16 pointer to the version string minus 0x200. */
    static final int OFFSET_KERNEL_VERSION = 0x20E;
    private static final int VERSION_BASE = 0x200;
    /** ukify reads at most 128 bytes of the version string. */
    private static final int MAX_VERSION_LENGTH = 128;
    /** ukify's VERSION_PATTERN: the release, then the build host in parentheses, then "#...". */
    private static final Pattern VERSION = Pattern.compile("([a-z0-9._-]+) \\([^ )]+\\) (?:#.*)");

    private KernelRelease() {}

    /** The kernel release of {@code bzImage}, or empty when it has no parsable version string. */
    public static Optional<String> of(byte[] bzImage) {
        if (bzImage.length < OFFSET_KERNEL_VERSION + 2
                || bzImage[OFFSET_HEADER_MAGIC] != 'H' || bzImage[OFFSET_HEADER_MAGIC + 1] != 'd'
                || bzImage[OFFSET_HEADER_MAGIC + 2] != 'r' || bzImage[OFFSET_HEADER_MAGIC + 3] != 'S') {
            return Optional.empty();
        }
        int pointer = (bzImage[OFFSET_KERNEL_VERSION] & 0xFF) | ((bzImage[OFFSET_KERNEL_VERSION + 1] & 0xFF) << 8);
        int start = VERSION_BASE + pointer;
        if (pointer == 0 || start >= bzImage.length) {
            return Optional.empty();
        }
        int end = start;
        int limit = Math.min(bzImage.length, start + MAX_VERSION_LENGTH);
        while (end < limit && bzImage[end] != 0) {
            end++;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bzImage, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(text);
        return m.lookingAt() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
