package io.cvmboot.uki;

import io.cvmboot.initrd.ArtefactInputException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SBAT (UEFI shim "Secure Boot Advanced Targeting", SBAT.md) metadata: CSV lines, the first being
 * the {@code sbat,1,...} format header. A UKI's .sbat merges the stub's, the kernel's and the
 * user's entries the way ukify's {@code merge_sbat} does: every part's header line is dropped, one
 * header goes first, lines are joined with '\n' and the text ends with "\n\0".
 */
public final class Sbat {
    /** The header line ukify writes (shim's SBAT.md, "sbat" generation 1). */
    public static final String HEADER = "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md";
    /** ukify's default user entry when no --sbat is given. */
    public static final String DEFAULT_UKI_ENTRY =
            HEADER + "\nuki,1,UKI,uki,1,https://uapi-group.org/specifications/specs/unified_kernel_image/\n";

    private Sbat() {}

    /**
     * The entry lines (header dropped) of a PE's .sbat section data, or an empty list when the data
     * does not start with an "sbat," header (ukify skips such sections).
     */
    static List<String> entriesOfSection(String inputName, byte[] sectionData) throws ArtefactInputException {
        int end = sectionData.length;
        while (end > 0 && sectionData[end - 1] == 0) {
            end--;
        }
        String text = decode(inputName + " .sbat section", sectionData, end);
        List<String> lines = splitLines(text);
        if (lines.isEmpty() || !lines.getFirst().startsWith("sbat,")) {
            return List.of();
        }
        return lines.subList(1, lines.size());
    }

    /** The entry lines of user-supplied SBAT text, which must start with the "sbat," header line. */
    static List<String> entriesOfText(String inputName, byte[] text) throws ArtefactInputException {
        List<String> lines = splitLines(decode(inputName, text, text.length));
        if (lines.isEmpty() || !lines.getFirst().startsWith("sbat,")) {
            throw new ArtefactInputException(inputName + ": expected SBAT CSV starting with an \"sbat,1,...\" header line, found "
                    + (lines.isEmpty() ? "no lines" : "\"" + abbreviate(lines.getFirst()) + "\""));
        }
        return lines.subList(1, lines.size());
    }

    /** The merged section data: header, the entries joined with '\n', then "\n\0". */
    static byte[] merge(List<List<String>> parts) {
        List<String> all = new ArrayList<>();
        parts.forEach(all::addAll);
        String text = HEADER + "\n" + String.join("\n", all) + "\n\0";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Splits on \n, \r\n and \r like Python's str.splitlines for these, with no trailing empty line. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
            i++;
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static String decode(String inputName, byte[] bytes, int length) throws ArtefactInputException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ArtefactInputException(inputName + ": expected UTF-8 SBAT text, found invalid bytes", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
