package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.pe.PeSection;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The systemd version of the stub inside a UKI, read from the stub's {@code .sdmagic} section
 * ("#### LoaderInfo: systemd-stub 254.26-1~bpo12+1 ####"), which every systemd-stub since 2018
 * carries and UKI builders keep.
 *
 * @param major the systemd major version (252, 254, ...)
 * @param text the full version string as the stub reports it in LoaderInfo
 */
public record SystemdStubVersion(int major, String text) {
    static final String SDMAGIC_SECTION = ".sdmagic";
    private static final Pattern LOADER_INFO = Pattern.compile("#### LoaderInfo: systemd-stub (([0-9]+)[^ #\\x00]*) ####");

    public SystemdStubVersion {
        if (major < 1) {
            throw new IllegalArgumentException("systemd major version must be positive: " + major);
        }
    }

    /** The version in the UKI's {@code .sdmagic} section, empty when there is none. */
    public static Optional<SystemdStubVersion> detect(PeImage uki) throws MeasureException {
        Optional<PeSection> magic = uki.sections().stream().filter(s -> s.name().equals(SDMAGIC_SECTION)).findFirst();
        if (magic.isEmpty()) {
            return Optional.empty();
        }
        String text = new String(uki.sectionBytes(magic.get()), StandardCharsets.ISO_8859_1);
        Matcher m = LOADER_INFO.matcher(text);
        if (!m.find()) {
            throw new MeasureException(uki.inputName() + ": .sdmagic section does not hold a systemd-stub LoaderInfo"
                    + " string (found \"" + text.replace("\0", "").strip() + "\"); is this a systemd-stub UKI?");
        }
        try {
            return Optional.of(new SystemdStubVersion(Integer.parseInt(m.group(2)), m.group(1)));
        } catch (NumberFormatException e) {
            throw new MeasureException(uki.inputName() + ": systemd-stub version '" + m.group(1) + "' is not a number", e);
        }
    }
}
