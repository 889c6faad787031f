package io.cvmboot.builder.build;

/** File names in a build's output directory. */
public final class OutputLayout {
    public static final String KERNEL = "vmlinuz";
    public static final String INITRD = "initrd.img";
    public static final String UKI = "uki.efi";
    public static final String FIRMWARE = "ovmf.fd";
    public static final String MANIFEST = ManifestJson.FILE_NAME;
    public static final String EXPECTED = "expected-measurement.json";
    /** The stage1 config exactly as the VM must receive it as user data (its digest is PCR 15's). */
    public static final String STAGE1_CONFIG = "stage1-config.json";
    /** The demo stage2, when the spec has one; served by builder boot. */
    public static final String STAGE2 = "stage2";

    private OutputLayout() {}
}
