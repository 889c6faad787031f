package io.cvmboot.measure.pe;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the image digests that a signer embedded in a signed PE: for each WIN_CERTIFICATE of type
 * PKCS_SIGNED_DATA in the certificate table, the DigestInfo of its SpcIndirectDataContent
 * ("Windows Authenticode Portable Executable Signature Format", "Authenticode-Specific Structures").
 * This does NOT verify any signature; it reports what the signer claims the image hash is, which
 * callers compare with {@link Authenticode#digest}.
 */
public final class EmbeddedSignature {
    /** WIN_CERTIFICATE.wRevision WIN_CERT_REVISION_2_0. */
    public static final int WIN_CERT_REVISION_2_0 = 0x0200;
    /** WIN_CERTIFICATE.wCertificateType WIN_CERT_TYPE_PKCS_SIGNED_DATA. */
    public static final int WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002;
    /** WIN_CERTIFICATE header: u32 dwLength, u16 wRevision, u16 wCertificateType. */
    public static final int WIN_CERTIFICATE_HEADER_SIZE = 8;

    static final String OID_SIGNED_DATA = "1.2.840.113549.1.7.2"; // RFC 5652, 5.1
    static final String OID_SPC_INDIRECT_DATA = "1.3.6.1.4.1.311.2.1.4"; // Authenticode spec

    private EmbeddedSignature() {}

    /** The image digest claimed by each signature in {@code image}, in table order; empty when unsigned. */
    public static List<Digest> claimedDigests(PeImage image) throws MeasureException {
        DataDirectory table = image.optionalHeader().certificateTable();
        if (!table.isPresent()) {
            return List.of();
        }
        if (table.virtualAddress() + table.size() > image.length()) {
            throw new MeasureException(image.inputName() + ": certificate table [0x" + Long.toHexString(table.virtualAddress())
                    + ", +0x" + Long.toHexString(table.size()) + ") runs past the end of the file (0x"
                    + Integer.toHexString(image.length()) + " bytes)");
        }
        byte[] certs = image.bytesAt(table.virtualAddress(), table.size());
        ByteBuffer b = ByteBuffer.wrap(certs).order(ByteOrder.LITTLE_ENDIAN);
        List<Digest> out = new ArrayList<>();
        int at = 0;
        while (at + WIN_CERTIFICATE_HEADER_SIZE <= certs.length) {
            long length = b.getInt(at) & 0xFFFF_FFFFL;
            int revision = b.getShort(at + 4) & 0xFFFF;
            int type = b.getShort(at + 6) & 0xFFFF;
            if (length < WIN_CERTIFICATE_HEADER_SIZE || at + length > certs.length) {
                throw new MeasureException(image.inputName() + ": WIN_CERTIFICATE at table offset " + at
                        + " has dwLength " + length + ", outside the " + certs.length + "-byte table");
            }
            if (revision == WIN_CERT_REVISION_2_0 && type == WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
                byte[] der = Arrays.copyOfRange(certs, at + WIN_CERTIFICATE_HEADER_SIZE, (int) (at + length));
                out.add(digestInfo(image.inputName(), der));
            }
            // Entries are 8-byte aligned (quadword), per the Authenticode spec.
            at += (int) ((length + 7) & ~7L);
        }
        return List.copyOf(out);
    }

    private static Digest digestInfo(String inputName, byte[] der) throws MeasureException {
        try {
            DerReader.Element contentInfo = DerReader.read(der, 0, der.length);
            String type = DerReader.oid(der, DerReader.child(der, contentInfo, 0, DerReader.OID));
            if (!type.equals(OID_SIGNED_DATA)) {
                throw new MeasureException(inputName + ": signature ContentInfo type: expected " + OID_SIGNED_DATA
                        + " (signedData), found " + type);
            }
            DerReader.Element explicit = DerReader.child(der, contentInfo, 1, DerReader.CONTEXT_0);
            DerReader.Element signedData = DerReader.child(der, explicit, 0, DerReader.SEQUENCE);
            // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, ... } (RFC 5652, 5.1)
            DerReader.Element encap = DerReader.child(der, signedData, 2, DerReader.SEQUENCE);
            String eType = DerReader.oid(der, DerReader.child(der, encap, 0, DerReader.OID));
            if (!eType.equals(OID_SPC_INDIRECT_DATA)) {
                throw new MeasureException(inputName + ": signed content type: expected " + OID_SPC_INDIRECT_DATA
                        + " (SpcIndirectDataContent), found " + eType);
            }
            DerReader.Element eContent = DerReader.child(der, encap, 1, DerReader.CONTEXT_0);
            DerReader.Element indirect = DerReader.child(der, eContent, 0, DerReader.SEQUENCE);
            // SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }
            DerReader.Element digestInfo = DerReader.child(der, indirect, 1, DerReader.SEQUENCE);
            DerReader.Element algId = DerReader.child(der, digestInfo, 0, DerReader.SEQUENCE);
            String alg = DerReader.oid(der, DerReader.child(der, algId, 0, DerReader.OID));
            DerReader.Element value = DerReader.child(der, digestInfo, 1, DerReader.OCTET_STRING);
            HashAlgorithm algorithm = algorithmOf(inputName, alg);
            byte[] digest = Arrays.copyOfRange(der, value.contentStart(), value.end());
            if (digest.length != algorithm.length()) {
                throw new MeasureException(inputName + ": embedded " + algorithm.label() + " digest has "
                        + digest.length + " bytes, expected " + algorithm.length());
            }
            return Digest.of(algorithm, digest);
        } catch (IllegalArgumentException e) {
            throw new MeasureException(inputName + ": malformed Authenticode SignedData: " + e.getMessage(), e);
        }
    }

    private static HashAlgorithm algorithmOf(String inputName, String oid) throws MeasureException {
        // NIST CSOR hash algorithm OIDs (2.16.840.1.101.3.4.2.x) and SHA-1 (OIW 1.3.14.3.2.26).
        return switch (oid) {
            case "1.3.14.3.2.26" -> HashAlgorithm.SHA1;
            case "2.16.840.1.101.3.4.2.1" -> HashAlgorithm.SHA256;
            case "2.16.840.1.101.3.4.2.2" -> HashAlgorithm.SHA384;
            case "2.16.840.1.101.3.4.2.3" -> HashAlgorithm.SHA512;
            default -> throw new MeasureException(inputName + ": embedded digest algorithm " + oid
                    + " is not one of SHA-1, SHA-256, SHA-384, SHA-512");
        };
    }
}
