package io.cvmboot.measure.tpm;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An EFI_GUID. In memory (and in event logs and variable stores) the first three fields are
 * little-endian and the last eight bytes are stored as written (UEFI 2.10, Appendix A "GUID and
 * Time Formats"), hence "mixed-endian".
 *
 * @param text the canonical lower-case form, e.g. {@code 8be4df61-93ca-11d2-aa0d-00e098032b8c}
 */
public record EfiGuid(String text) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** EFI_GLOBAL_VARIABLE: SecureBoot, PK, KEK, Boot#### (UEFI 2.10, 3.3). */
    public static final EfiGuid GLOBAL_VARIABLE = new EfiGuid("8be4df61-93ca-11d2-aa0d-00e098032b8c");
    /** EFI_IMAGE_SECURITY_DATABASE_GUID: db, dbx (UEFI 2.10, 32.6.1). */
    public static final EfiGuid IMAGE_SECURITY_DATABASE = new EfiGuid("d719b2cb-3d3a-4596-a3bc-dad00e67656f");
    /** EFI_CERT_X509_GUID: an EFI_SIGNATURE_LIST of DER certificates (UEFI 2.10, 32.4.1). */
    public static final EfiGuid CERT_X509 = new EfiGuid("a5c059a1-94e4-4aa7-87b5-ab155c2bf072");
    /** EFI_CERT_SHA256_GUID: an EFI_SIGNATURE_LIST of image SHA-256 digests (UEFI 2.10, 32.4.1). */
    public static final EfiGuid CERT_SHA256 = new EfiGuid("c1c41626-504c-4092-aca9-41f936934328");
    /** edk2 EFI_SECURE_BOOT_ENABLE_DISABLE: the "SecureBootEnable" variable (SecureBootConfigDxe). */
    public static final EfiGuid SECURE_BOOT_ENABLE_DISABLE = new EfiGuid("f0a30bc7-af08-4556-99c4-001009c93a44");

    public EfiGuid {
        text = text.toLowerCase(Locale.ROOT);
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("not a GUID: '" + text + "'");
        }
    }

    /** Decodes the 16-byte in-memory form at {@code offset}. */
    public static EfiGuid fromBytes(byte[] b, int offset) {
        if (offset < 0 || offset + 16 > b.length) {
            throw new IndexOutOfBoundsException("GUID at " + offset + " of " + b.length + " bytes");
        }
        HexFormat hex = HexFormat.of();
        String s = hex.toHexDigits(b[offset + 3]) + hex.toHexDigits(b[offset + 2]) + hex.toHexDigits(b[offset + 1])
                + hex.toHexDigits(b[offset]) + "-" + hex.toHexDigits(b[offset + 5]) + hex.toHexDigits(b[offset + 4])
                + "-" + hex.toHexDigits(b[offset + 7]) + hex.toHexDigits(b[offset + 6]) + "-"
                + hex.formatHex(b, offset + 8, offset + 10) + "-" + hex.formatHex(b, offset + 10, offset + 16);
        return new EfiGuid(s);
    }

    /** The 16-byte in-memory form. */
    public byte[] toBytes() {
        byte[] p = HexFormat.of().parseHex(text.replace("-", ""));
        byte[] out = p.clone();
        out[0] = p[3];
        out[1] = p[2];
        out[2] = p[1];
        out[3] = p[0];
        out[4] = p[5];
        out[5] = p[4];
        out[6] = p[7];
        out[7] = p[6];
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
