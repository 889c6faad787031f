package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Files next to the UKI on the ESP that systemd-stub picks up: the UKI's drop-in directory
 * ({@code <UKI path>.extra.d/}: {@code *.cred} credentials, {@code *.raw} sysexts) and the global
 * credentials in {@code \loader\credentials\}. The stub packs them into cpio archives it measures
 * (PCR 12, 13) and appends to the initrd (PCR 9). Names are as the firmware lists them.
 */
public record EspExtras(SortedMap<String, byte[]> ukiExtraDir, SortedMap<String, byte[]> globalCredentials) {
    /** Linux's maximum file name length; the stub skips longer names. */
    static final int MAX_NAME = 255;

    public static final EspExtras NONE = new EspExtras(new TreeMap<>(), new TreeMap<>());

    public EspExtras {
        ukiExtraDir = copy(ukiExtraDir);
        globalCredentials = copy(globalCredentials);
    }

    public boolean isEmpty() {
        return ukiExtraDir.isEmpty() && globalCredentials.isEmpty();
    }

    /** {@code .extra.d/*.cred}, as the stub selects them. */
    public SortedMap<String, byte[]> credentials() {
        return select(ukiExtraDir, ".cred", null);
    }

    /** {@code \loader\credentials\*.cred}. */
    public SortedMap<String, byte[]> globals() {
        return select(globalCredentials, ".cred", null);
    }

    /** {@code .extra.d/*.raw}; 257 leaves {@code *.confext.raw} to the confext archive. */
    public SortedMap<String, byte[]> sysexts(StubGeneration stub) {
        return select(ukiExtraDir, ".raw", stub == StubGeneration.V257 ? ".confext.raw" : null);
    }

    /** Refuses drop-ins whose measurement is not modelled: 257 confexts, 254+ PE addons. */
    void requireModelled(StubGeneration stub) throws MeasureException {
        for (String name : ukiExtraDir.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (stub == StubGeneration.V257 && lower.endsWith(".confext.raw")) {
                throw new MeasureException("ESP drop-in " + name + ": confext measurement (PCR 12) is not modelled");
            }
            if (stub != StubGeneration.V252 && lower.endsWith(".addon.efi")) {
                throw new MeasureException("ESP drop-in " + name + ": PE addons (PCR 4, 7, 12) are not modelled");
            }
        }
    }

    /** The stub's filter: no dot-files, the suffix case-insensitively, ASCII names of at most 255 characters. */
    private static SortedMap<String, byte[]> select(SortedMap<String, byte[]> files, String suffix, String exclude) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        files.forEach((name, data) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!name.startsWith(".") && lower.endsWith(suffix) && (exclude == null || !lower.endsWith(exclude))
                    && name.chars().allMatch(c -> c < 0x80) && name.length() <= MAX_NAME) {
                out.put(name, data);
            }
        });
        return Collections.unmodifiableSortedMap(out);
    }

    private static SortedMap<String, byte[]> copy(Map<String, byte[]> m) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableSortedMap(out);
    }
}
