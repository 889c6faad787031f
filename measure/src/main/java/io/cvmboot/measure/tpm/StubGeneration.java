package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.util.List;

/**
 * The measurement behaviours of systemd-stub versions, each checked against a real boot
 * (docs/pcr.md; /work/shared/docs/pcr-prediction.md §4, §6, §8). Other versions are refused
 * rather than guessed: the section list, the lookup rule and the initrd composition all changed
 * between releases.
 */
public enum StubGeneration {
    /** systemd 252: prefix match, last entry wins; initrd = .initrd + generated cpios (if any). */
    V252(252, List.of(".linux", ".osrel", ".cmdline", ".initrd", ".splash", ".dtb", ".pcrpkey"), false, false),
    /** systemd 254: as 252, plus .uname and .sbat measured. */
    V254(254, List.of(".linux", ".osrel", ".cmdline", ".initrd", ".splash", ".dtb", ".uname", ".sbat", ".pcrpkey"),
            false, false),
    /**
     * systemd 257: exact names, first match, multi-profile UKIs (profile 0 by default); every initrd
     * part is padded to 4 and .osrel/.profile are also passed on as cpio archives.
     */
    V257(257, List.of(".linux", ".osrel", ".cmdline", ".initrd", ".ucode", ".splash", ".dtb", ".uname", ".sbat",
            ".pcrpkey", ".profile", ".dtbauto", ".hwids"), true, true);

    /** Never measured into PCR 11 (it holds signatures over PCR 11 itself); passed on as a cpio. */
    public static final String PCRSIG = ".pcrsig";

    private final int major;
    private final List<String> measuredSections;
    private final boolean exactSectionNames;
    private final boolean padsEveryInitrd;

    StubGeneration(int major, List<String> measuredSections, boolean exactSectionNames, boolean padsEveryInitrd) {
        this.major = major;
        this.measuredSections = measuredSections;
        this.exactSectionNames = exactSectionNames;
        this.padsEveryInitrd = padsEveryInitrd;
    }

    public int major() {
        return major;
    }

    /** PCR 11 measurement order (the stub's enum order, not file order). */
    public List<String> measuredSections() {
        return measuredSections;
    }

    /** 256+: a section matches only on its exact 8-byte name and the first match wins. */
    public boolean exactSectionNames() {
        return exactSectionNames;
    }

    public boolean padsEveryInitrd() {
        return padsEveryInitrd;
    }

    /** The sections whose bytes the stub reads: the measured ones plus .pcrsig. */
    public List<String> knownSections() {
        var all = new java.util.ArrayList<>(measuredSections);
        all.add(PCRSIG);
        return List.copyOf(all);
    }

    /** The behaviour of systemd {@code major}, or an error naming the supported versions. */
    public static StubGeneration forMajor(int major, String source) throws MeasureException {
        for (StubGeneration g : values()) {
            if (g.major == major) {
                return g;
            }
        }
        throw new MeasureException(source + ": systemd-stub " + major + " has no verified PCR model (supported: 252, 254,"
                + " 257); pass --systemd-version with the nearest verified version only if you have checked it measures"
                + " the same way");
    }
}
