package io.cvmboot.stage1.config;

import java.util.Locale;
import java.util.Optional;

/** The CPU architectures a config can name, by their config key ({@code uname -m} spelling). */
public enum Architecture {
    X86_64("x86_64"),
    AARCH64("aarch64");

    private final String key;

    Architecture(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<Architecture> fromKey(String key) {
        for (Architecture a : values()) {
            if (a.key.equals(key)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The architecture this JVM runs on; Java spells x86_64 "amd64". */
    public static Architecture running() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new IllegalStateException("stage1 supports x86_64 and aarch64, not " + arch);
        };
    }
}
