package io.cvmboot.uki;

import java.util.List;
import java.util.Optional;

/**
 * An assembled (and possibly signed) UKI.
 *
 * @param uname the .uname text written, empty when none was given and none could be detected
 * @param sections names of the sections in table order, for progress output
 */
public record Uki(Bytes image, Optional<String> uname, List<String> sections) {
    public Uki {
        sections = List.copyOf(sections);
    }

    /** A copy of the PE file bytes. */
    public byte[] bytes() {
        return image.toArray();
    }
}
