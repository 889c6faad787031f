package io.cvmboot.builder.deb;

/**
 * The two Debian archives a pinned package can come from. They have separate mirrors and the
 * security archive keeps its pool under {@code pool/updates/} (see any bookworm-security
 * {@code Packages} index: {@code Filename: pool/updates/main/...}).
 */
public enum Archive {
    /** The main archive, e.g. https://deb.debian.org/debian (bookworm, bookworm-updates). */
    DEBIAN("pool/main/"),
    /** The security archive, e.g. https://deb.debian.org/debian-security (bookworm-security). */
    SECURITY("pool/updates/main/");

    private final String mainPoolPrefix;

    Archive(String mainPoolPrefix) {
        this.mainPoolPrefix = mainPoolPrefix;
    }

    /** Where the {@code main} component's pool starts, ending with a slash. */
    public String mainPoolPrefix() {
        return mainPoolPrefix;
    }

    /** Parses the spelling used in build specs: "debian" (or null) and "security". */
    public static Archive fromLabel(String label) {
        if (label == null || label.equals("debian")) {
            return DEBIAN;
        }
        if (label.equals("security")) {
            return SECURITY;
        }
        throw new IllegalArgumentException("unknown archive '" + label + "' (expected debian or security)");
    }
}
