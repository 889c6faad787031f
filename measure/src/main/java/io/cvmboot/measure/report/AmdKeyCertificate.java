package io.cvmboot.measure.report;

import io.cvmboot.measure.MeasureException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * A VCEK or VLEK certificate with its AMD extensions decoded (AMD "Versioned Chip Endorsement Key
 * (VCEK) Certificate and KDS Interface Specification" 57230, Table "VCEK Certificate
 * Extensions"; OID arc 1.3.6.1.4.1.3704.1). Real KDS certificates store hwID as raw bytes without
 * a DER tag; an OCTET STRING wrapper (seen in test certificates and accepted by go-sev-guest and
 * trustee) is accepted too.
 */
public final class AmdKeyCertificate {
    private static final String ARC = "1.3.6.1.4.1.3704.1.";
    static final String OID_STRUCT_VERSION = ARC + "1";
    static final String OID_PRODUCT_NAME = ARC + "2";
    static final String OID_BL_SPL = ARC + "3.1";
    static final String OID_TEE_SPL = ARC + "3.2";
    static final String OID_SNP_SPL = ARC + "3.3";
    static final String OID_UCODE_SPL = ARC + "3.8";
    /** Turin only (VCEK spec 57230 rev. 1.1+). */
    static final String OID_FMC_SPL = ARC + "3.9";
    static final String OID_HW_ID = ARC + "4";
    /** VLEK only: the cloud provider the VLEK was issued to. */
    static final String OID_CSP_ID = ARC + "5";

    /** CHIP_ID is 64 bytes; Turin's hwID holds only its first 8 (VCEK spec 57230, hwID). */
    static final int HW_ID_LENGTH = 64;
    static final int TURIN_HW_ID_LENGTH = 8;

    private final X509Certificate certificate;
    private final SigningKey kind;
    private final int structVersion;
    private final Optional<String> productName;
    private final TcbVersion tcb;
    private final Optional<byte[]> hwId;
    private final Optional<String> cspId;

    private AmdKeyCertificate(X509Certificate certificate, SigningKey kind, int structVersion,
            Optional<String> productName, TcbVersion tcb, Optional<byte[]> hwId, Optional<String> cspId) {
        this.certificate = certificate;
        this.kind = kind;
        this.structVersion = structVersion;
        this.productName = productName;
        this.tcb = tcb;
        this.hwId = hwId;
        this.cspId = cspId;
    }

    /** Parses DER bytes of a VCEK or VLEK certificate. */
    public static AmdKeyCertificate parse(String inputName, byte[] der) throws MeasureException {
        return of(inputName, X509Certificates.parse(inputName, der));
    }

    /** Decodes the AMD extensions of {@code cert}. */
    public static AmdKeyCertificate of(String inputName, X509Certificate cert) throws MeasureException {
        String cn = CertificateNames.subjectCn(cert);
        SigningKey kind = switch (cn) {
            case "SEV-VCEK" -> SigningKey.VCEK;
            case "SEV-VLEK" -> SigningKey.VLEK;
            default -> throw new MeasureException(inputName + ": expected a VCEK or VLEK certificate (CN=SEV-VCEK or "
                    + "CN=SEV-VLEK), found CN=" + cn);
        };
        Optional<Integer> structVersion = integer(inputName, cert, OID_STRUCT_VERSION, "structVersion");
        Optional<String> productName = ia5(inputName, cert, OID_PRODUCT_NAME, "productName");
        int fmc = integer(inputName, cert, OID_FMC_SPL, "fmcSPL").orElse(0);
        TcbVersion tcb = new TcbVersion(fmc,
                required(inputName, integer(inputName, cert, OID_BL_SPL, "blSPL"), "blSPL", OID_BL_SPL),
                required(inputName, integer(inputName, cert, OID_TEE_SPL, "teeSPL"), "teeSPL", OID_TEE_SPL),
                required(inputName, integer(inputName, cert, OID_SNP_SPL, "snpSPL"), "snpSPL", OID_SNP_SPL),
                required(inputName, integer(inputName, cert, OID_UCODE_SPL, "ucodeSPL"), "ucodeSPL", OID_UCODE_SPL));
        Optional<byte[]> hwId = hwId(inputName, cert);
        Optional<String> cspId = ia5(inputName, cert, OID_CSP_ID, "CSP_ID");
        return new AmdKeyCertificate(cert, kind, structVersion.orElse(0), productName, tcb, hwId, cspId);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** VCEK or VLEK, from the subject CN. */
    public SigningKey kind() {
        return kind;
    }

    public int structVersion() {
        return structVersion;
    }

    public Optional<String> productName() {
        return productName;
    }

    /** The SPLs the key was derived for; FMC is 0 when the certificate has no fmcSPL. */
    public TcbVersion tcb() {
        return tcb;
    }

    public boolean hasFmcSpl() {
        return certificate.getExtensionValue(OID_FMC_SPL) != null;
    }

    public Optional<byte[]> hwId() {
        return hwId.map(byte[]::clone);
    }

    public Optional<String> cspId() {
        return cspId;
    }

    private static int required(String inputName, Optional<Integer> value, String name, String oid)
            throws MeasureException {
        if (value.isEmpty()) {
            throw new MeasureException(inputName + ": expected the " + name + " extension (" + oid
                    + ") in the AMD key certificate, found none");
        }
        return value.get();
    }

    private static Optional<byte[]> extnValue(String inputName, X509Certificate cert, String oid, String name)
            throws MeasureException {
        byte[] wrapped = cert.getExtensionValue(oid);
        if (wrapped == null) {
            return Optional.empty();
        }
        // getExtensionValue returns the extnValue OCTET STRING itself (RFC 5280, 4.1); its content is the value.
        DerReader.Element e = DerReader.single(inputName + " extension " + name, wrapped);
        if (e.tag() != DerReader.TAG_OCTET_STRING) {
            throw new MeasureException(inputName + ": extension " + name + " is not an OCTET STRING");
        }
        return Optional.of(e.content());
    }

    private static Optional<Integer> integer(String inputName, X509Certificate cert, String oid, String name)
            throws MeasureException {
        Optional<byte[]> v = extnValue(inputName, cert, oid, name);
        return v.isEmpty() ? Optional.empty()
                : Optional.of(DerReader.nonNegativeInteger(inputName + " extension " + name, v.get()));
    }

    private static Optional<String> ia5(String inputName, X509Certificate cert, String oid, String name)
            throws MeasureException {
        Optional<byte[]> v = extnValue(inputName, cert, oid, name);
        return v.isEmpty() ? Optional.empty() : Optional.of(DerReader.ia5String(inputName + " extension " + name, v.get()));
    }

    private static Optional<byte[]> hwId(String inputName, X509Certificate cert) throws MeasureException {
        Optional<byte[]> v = extnValue(inputName, cert, OID_HW_ID, "hwID");
        if (v.isEmpty()) {
            return v;
        }
        byte[] raw = v.get();
        if (raw.length == HW_ID_LENGTH || raw.length == TURIN_HW_ID_LENGTH) {
            return Optional.of(raw);
        }
        // A DER OCTET STRING wrapper is 2 bytes longer than either raw size: tag 0x04, length.
        if (raw.length == HW_ID_LENGTH + 2 || raw.length == TURIN_HW_ID_LENGTH + 2) {
            DerReader.Element e = DerReader.single(inputName + " extension hwID", raw);
            if (e.tag() == DerReader.TAG_OCTET_STRING) {
                return Optional.of(e.content());
            }
        }
        throw new MeasureException(inputName + ": extension hwID: expected " + HW_ID_LENGTH + " or "
                + TURIN_HW_ID_LENGTH + " bytes, found " + raw.length + " bytes");
    }

    @Override
    public String toString() {
        return kind + "[" + productName.orElse("?") + ", " + tcb + ", hwID "
                + hwId.map(h -> java.util.HexFormat.of().formatHex(Arrays.copyOf(h, Math.min(8, h.length))) + "…")
                        .orElse("none") + "]";
    }
}
