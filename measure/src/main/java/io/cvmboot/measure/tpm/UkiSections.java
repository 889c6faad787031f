package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.pe.PeSection;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The well-known sections of a UKI as a given systemd-stub finds them, with their in-memory bytes
 * (SizeOfRawData bytes truncated or zero-extended to VirtualSize: what the stub measures and hands
 * on). Lookup follows the stub: 252/254 compare the first strlen(name) bytes of the header name and
 * let a later entry overwrite an earlier one; 257 compares the whole name, takes the first match,
 * and lets the default profile (the entries after the first {@code .profile}) override the base.
 */
public final class UkiSections {
    /** Larger sections would not fit a 32-bit cpio or a sane boot; refuse rather than allocate. */
    static final long MAX_SECTION_SIZE = 1L << 30;
    static final String PROFILE = ".profile";

    private final Map<String, byte[]> sections;

    private UkiSections(Map<String, byte[]> sections) {
        this.sections = sections;
    }

    public static UkiSections resolve(PeImage uki, StubGeneration stub) throws MeasureException {
        Map<String, PeSection> found = stub.exactSectionNames() ? resolveExact(uki, stub) : resolvePrefix(uki, stub);
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (String name : stub.knownSections()) {
            PeSection s = found.get(name);
            if (s == null || s.virtualSize() == 0) {
                continue; // the stub treats an empty section as absent
            }
            if (s.virtualSize() > MAX_SECTION_SIZE) {
                throw new MeasureException(uki.inputName() + ": section " + name + " has VirtualSize " + s.virtualSize()
                        + ", more than the " + MAX_SECTION_SIZE + " bytes this predictor accepts");
            }
            bytes.put(name, uki.sectionBytes(s));
        }
        return new UkiSections(bytes);
    }

    private static Map<String, PeSection> resolvePrefix(PeImage uki, StubGeneration stub) {
        Map<String, PeSection> found = new HashMap<>();
        for (PeSection s : uki.sections()) {
            byte[] header = uki.bytesAt(s.headerOffset(), PeSection.NAME_LENGTH);
            for (String name : stub.knownSections()) {
                byte[] n = name.getBytes(StandardCharsets.US_ASCII);
                if (Arrays.equals(header, 0, n.length, n, 0, n.length)) {
                    found.put(name, s);
                }
            }
        }
        return found;
    }

    private static Map<String, PeSection> resolveExact(PeImage uki, StubGeneration stub) {
        Map<String, PeSection> base = new HashMap<>();
        Map<String, PeSection> profile0 = new HashMap<>();
        int profile = -1; // -1: the base set before the first .profile
        for (PeSection s : uki.sections()) {
            if (s.name().equals(PROFILE)) {
                profile++;
                if (profile > 0) {
                    break; // only the default profile 0 is booted without "@N" load options
                }
            }
            if (!stub.knownSections().contains(s.name()) || s.virtualSize() == 0) {
                continue;
            }
            (profile < 0 ? base : profile0).putIfAbsent(s.name(), s);
        }
        base.putAll(profile0);
        return base;
    }

    /** The in-memory bytes of section {@code name}, when the stub finds a non-empty one. */
    public Optional<byte[]> get(String name) {
        byte[] b = sections.get(name);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    public boolean has(String name) {
        return sections.containsKey(name);
    }
}
