package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The command line systemd-stub hands to the kernel as LoadOptions: from {@code .cmdline} (UTF-8 up
 * to the first NUL) or from the UKI's own LoadOptions, then mangled: code points outside the BMP
 * dropped, every character up to 0x1F turned into a space, trailing spaces stripped (leading ones
 * kept). Verified against a real boot with tab, newline and trailing spaces.
 */
public final class StubCmdline {
    private StubCmdline() {}

    /** The mangled command line from the bytes of a {@code .cmdline} section. */
    public static String fromSection(String inputName, byte[] section) throws MeasureException {
        int end = 0;
        while (end < section.length && section[end] != 0) {
            end++;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(section, 0, end))
                    .toString();
        } catch (CharacterCodingException e) {
            // The stub's UTF-8 decoder substitutes invalid sequences in a way not verified here.
            throw new MeasureException(inputName + ": .cmdline is not valid UTF-8; its measurement cannot be predicted", e);
        }
        return mangle(text);
    }

    /** Applies the stub's mangling to a command line given as text (section or LoadOptions). */
    public static String mangle(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp > 0xFFFF) {
                return; // does not fit one UTF-16 unit: the stub's UTF-8 to UTF-16 conversion drops it
            }
            out.append(cp <= 0x1F ? ' ' : (char) cp);
        });
        int len = out.length();
        while (len > 0 && out.charAt(len - 1) == ' ') {
            len--;
        }
        return out.substring(0, len);
    }

    /** LoadOptions as the kernel receives and measures them: UTF-16LE plus a 2-byte NUL. */
    public static byte[] loadOptions(String mangled) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(mangled.getBytes(StandardCharsets.UTF_16LE));
        b.write(0);
        b.write(0);
        return b.toByteArray();
    }
}
