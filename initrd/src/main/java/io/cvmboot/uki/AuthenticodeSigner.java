package io.cvmboot.uki;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.measure.pe.DataDirectory;
import io.cvmboot.measure.pe.EmbeddedSignature;
import io.cvmboot.measure.pe.PeChecksum;
import io.cvmboot.measure.pe.PeImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Authenticode (UEFI Secure Boot) signing of a PE image, deterministic: the signed attributes are
 * contentType, SpcStatementType and messageDigest only (no signingTime), RSA uses PKCS#1 v1.5 and EC
 * uses deterministic ECDSA (RFC 6979), so the same image and key always give the same bytes.
 *
 * <p>Structures per "Windows Authenticode Portable Executable Signature Format": a CMS SignedData
 * (RFC 5652) version 1 whose encapsulated content is an SpcIndirectDataContent SEQUENCE (not an
 * OCTET STRING) holding the image's Authenticode digest; the signed messageDigest covers that
 * SEQUENCE's contents without its tag and length. The WIN_CERTIFICATE is appended after zero-padding
 * the file to 8 bytes, as sbsign does, and the PE CheckSum is recomputed.
 */
public final class AuthenticodeSigner {
    // Authenticode OIDs (Authenticode PE format spec, "Authenticode-Specific Structures").
    static final ASN1ObjectIdentifier SPC_INDIRECT_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.4");
    static final ASN1ObjectIdentifier SPC_PE_IMAGE_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.15");
    static final ASN1ObjectIdentifier SPC_STATEMENT_TYPE = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.11");
    static final ASN1ObjectIdentifier SPC_INDIVIDUAL_SP_KEY_PURPOSE = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.21");
    /** SpcPeImageData.file: the spec's fixed placeholder string. */
    static final String OBSOLETE = "<<<Obsolete>>>";
    /** Signers place the certificate table on a quadword boundary (Authenticode spec, "Attribute Certificate Table"). */
    private static final int CERT_ALIGNMENT = 8;
    private static final int WIN_CERTIFICATE_HEADER = EmbeddedSignature.WIN_CERTIFICATE_HEADER_SIZE;

    private AuthenticodeSigner() {}

    /** Signs {@code image} (which must not be signed yet) and returns the signed PE bytes. */
    public static byte[] sign(String inputName, byte[] image, SigningIdentity identity, HashAlgorithm algorithm)
            throws ArtefactInputException {
        if (algorithm != HashAlgorithm.SHA256 && algorithm != HashAlgorithm.SHA384 && algorithm != HashAlgorithm.SHA512) {
            throw new IllegalArgumentException("Authenticode signing supports SHA-256, SHA-384 and SHA-512, not " + algorithm);
        }
        byte[] padded = Arrays.copyOf(image, roundUp(image.length, CERT_ALIGNMENT));
        PeImage pe = parse(inputName, padded);
        if (pe.isSigned()) {
            throw new ArtefactInputException(inputName + ": expected an unsigned image, found a certificate table at 0x"
                    + Long.toHexString(pe.optionalHeader().certificateTable().virtualAddress()));
        }
        if (pe.optionalHeader().dataDirectories().size() <= DataDirectory.CERTIFICATE_TABLE) {
            throw new ArtefactInputException(inputName + ": optional header has only "
                    + pe.optionalHeader().dataDirectories().size() + " data directories, no certificate table entry");
        }
        Digest digest = authenticode(pe, algorithm);
        byte[] signedData = signedData(digest, identity);

        int certLength = WIN_CERTIFICATE_HEADER + signedData.length;
        int tableSize = roundUp(certLength, CERT_ALIGNMENT);
        byte[] out = Arrays.copyOf(padded, padded.length + tableSize);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        // WIN_CERTIFICATE { dwLength, wRevision, wCertificateType, bCertificate }; dwLength unpadded as sbsign writes it.
        b.putInt(padded.length, certLength);
        b.putShort(padded.length + 4, (short) EmbeddedSignature.WIN_CERT_REVISION_2_0);
        b.putShort(padded.length + 6, (short) EmbeddedSignature.WIN_CERT_TYPE_PKCS_SIGNED_DATA);
        System.arraycopy(signedData, 0, out, padded.length + WIN_CERTIFICATE_HEADER, signedData.length);
        int entry = pe.dataDirectoryOffset(DataDirectory.CERTIFICATE_TABLE);
        b.putInt(entry, padded.length); // a file offset, not an RVA
        b.putInt(entry + 4, tableSize);
        b.putInt(pe.checkSumOffset(), (int) PeChecksum.compute(out, pe.checkSumOffset()));
        return out;
    }

    private static byte[] signedData(Digest digest, SigningIdentity identity) throws ArtefactInputException {
        try {
            AlgorithmIdentifier digestAlgorithm = new AlgorithmIdentifier(digestOid(digest.algorithm()), DERNull.INSTANCE);
            ASN1Sequence indirectData = spcIndirectDataContent(digestAlgorithm, digest);
            // messageDigest covers the content octets of the SEQUENCE, without its tag and length.
            byte[] encoded = indirectData.getEncoded(ASN1Encoding.DER);
            byte[] contentOctets = contentOctets(encoded);
            byte[] messageDigest = digest.algorithm().newMessageDigest().digest(contentOctets);

            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(CMSAttributes.contentType, new DERSet(SPC_INDIRECT_DATA)));
            attributes.add(new Attribute(SPC_STATEMENT_TYPE, new DERSet(new DERSequence(SPC_INDIVIDUAL_SP_KEY_PURPOSE))));
            attributes.add(new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(messageDigest))));
            DERSet signedAttributes = new DERSet(attributes); // DER sorts the SET OF
            byte[] toSign = signedAttributes.getEncoded(ASN1Encoding.DER);

            X509Certificate signer = identity.signer();
            boolean ec = identity.key() instanceof ECPrivateKey;
            Signature signature = ec
                    ? Signature.getInstance(jcaHash(digest.algorithm()) + "withECDDSA", new BouncyCastleProvider())
                    : Signature.getInstance(jcaHash(digest.algorithm()) + "withRSA");
            signature.initSign(identity.key());
            signature.update(toSign);
            byte[] signatureValue = signature.sign();
            // Fail closed: a key that does not belong to the certificate would give a UKI no firmware accepts.
            Signature check = Signature.getInstance(ec ? jcaHash(digest.algorithm()) + "withECDSA" : jcaHash(digest.algorithm()) + "withRSA");
            check.initVerify(signer.getPublicKey());
            check.update(toSign);
            if (!check.verify(signatureValue)) {
                throw new ArtefactInputException("sign-key: the private key does not match the certificate of "
                        + signer.getSubjectX500Principal().getName());
            }
            AlgorithmIdentifier signatureAlgorithm = ec
                    ? new AlgorithmIdentifier(ecdsaOid(digest.algorithm()))
                    : new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);

            Certificate signerCert = Certificate.getInstance(signer.getEncoded());
            ASN1EncodableVector signerInfo = new ASN1EncodableVector();
            signerInfo.add(new ASN1Integer(1)); // version 1: issuerAndSerialNumber (RFC 5652, 5.3)
            signerInfo.add(new IssuerAndSerialNumber(signerCert.getIssuer(), signerCert.getSerialNumber().getValue()));
            signerInfo.add(digestAlgorithm);
            signerInfo.add(new DERTaggedObject(false, 0, signedAttributes));
            signerInfo.add(signatureAlgorithm);
            signerInfo.add(new DEROctetString(signatureValue));

            ASN1EncodableVector certificates = new ASN1EncodableVector();
            for (X509Certificate c : identity.chain()) {
                certificates.add(Certificate.getInstance(c.getEncoded()));
            }
            ASN1EncodableVector signed = new ASN1EncodableVector();
            signed.add(new ASN1Integer(1)); // Authenticode requires SignedData version 1
            signed.add(new DERSet(digestAlgorithm));
            signed.add(new DERSequence(new ASN1Encodable[] {SPC_INDIRECT_DATA, new DERTaggedObject(true, 0, indirectData)}));
            signed.add(new DERTaggedObject(false, 0, new DERSet(certificates)));
            signed.add(new DERSet(new DERSequence(signerInfo)));
            DERSequence contentInfo = new DERSequence(new ASN1Encodable[] {
                CMSObjectIdentifiers.signedData, new DERTaggedObject(true, 0, new DERSequence(signed))});
            return contentInfo.getEncoded(ASN1Encoding.DER);
        } catch (CertificateEncodingException e) {
            throw new ArtefactInputException("sign-cert: cannot encode certificate: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ArtefactInputException("sign-key: cannot sign with " + identity.key().getAlgorithm() + " key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory cannot fail", e);
        }
    }

    /** SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }. */
    static ASN1Sequence spcIndirectDataContent(AlgorithmIdentifier digestAlgorithm, Digest digest) {
        // SpcPeImageData ::= SEQUENCE { flags BIT STRING (empty), file [0] EXPLICIT SpcLink };
        // SpcLink.file [2] EXPLICIT SpcString; SpcString.unicode [0] IMPLICIT BMPString.
        ASN1Primitive file = new DERTaggedObject(true, 0,
                new DERTaggedObject(true, 2, new DERTaggedObject(false, 0, new DERBMPString(OBSOLETE))));
        DERSequence peImageData = new DERSequence(new ASN1Encodable[] {new DERBitString(new byte[0]), file});
        DERSequence data = new DERSequence(new ASN1Encodable[] {SPC_PE_IMAGE_DATA, peImageData});
        DERSequence digestInfo = new DERSequence(new ASN1Encodable[] {digestAlgorithm, new DEROctetString(digest.bytes())});
        return new DERSequence(new ASN1Encodable[] {data, digestInfo});
    }

    /** The contents of a DER element (its bytes after the identifier and length octets). */
    static byte[] contentOctets(byte[] der) {
        int first = der[1] & 0xFF;
        int header = first < 0x80 ? 2 : 2 + (first & 0x7F);
        return Arrays.copyOfRange(der, header, der.length);
    }

    private static Digest authenticode(PeImage pe, HashAlgorithm algorithm) throws ArtefactInputException {
        try {
            return Authenticode.digest(pe, algorithm);
        } catch (MeasureException e) {
            throw new ArtefactInputException(e.getMessage(), e);
        }
    }

    private static PeImage parse(String inputName, byte[] bytes) throws ArtefactInputException {
        try {
            return PeImage.parse(inputName, bytes);
        } catch (MeasureException e) {
            throw new ArtefactInputException(e.getMessage(), e);
        }
    }

    private static ASN1ObjectIdentifier digestOid(HashAlgorithm a) {
        return switch (a) {
            case SHA256 -> NISTObjectIdentifiers.id_sha256;
            case SHA384 -> NISTObjectIdentifiers.id_sha384;
            case SHA512 -> NISTObjectIdentifiers.id_sha512;
            case SHA1 -> throw new IllegalArgumentException("SHA-1 signing not supported");
        };
    }

    private static ASN1ObjectIdentifier ecdsaOid(HashAlgorithm a) {
        return switch (a) {
            case SHA256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
            case SHA384 -> X9ObjectIdentifiers.ecdsa_with_SHA384;
            case SHA512 -> X9ObjectIdentifiers.ecdsa_with_SHA512;
            case SHA1 -> throw new IllegalArgumentException("SHA-1 signing not supported");
        };
    }

    private static String jcaHash(HashAlgorithm a) {
        return a.jcaName().replace("-", "");
    }

    private static int roundUp(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
