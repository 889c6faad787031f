package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies a Debian {@code InRelease} file against a keyring, the first link of the chain
 * InRelease → Packages → .deb. Throws unless at least one signature is by a key in the keyring and
 * verifies; any signature by a keyring key that does not verify fails the whole file (as gpgv
 * does). Signatures by keys outside the keyring are skipped: Debian signs with several keys.
 */
public final class InReleaseVerifier {
    /** Digests too weak to trust for a signature (apt has refused SHA-1 since 2.x). */
    private static final Set<Integer> WEAK_HASHES =
            Set.of(HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1, HashAlgorithmTags.RIPEMD160);

    /** "Fri, 20 Nov 2026 00:12:41 UTC", the format dak writes (RFC 2822 with a zone name). */
    private static final DateTimeFormatter RELEASE_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss z", Locale.ENGLISH);

    private InReleaseVerifier() {}

    /**
     * @param inRelease the InRelease file's bytes
     * @param name how errors name it, e.g. its URL
     * @param keyring the trusted keys
     * @param freshness whether and when to check Date / Valid-Until
     */
    public static VerifiedRelease verify(byte[] inRelease, String name, ArchiveKeyring keyring, ReleaseFreshness freshness)
            throws PackageException {
        ClearSignedMessage message = ClearSignedMessage.parse(inRelease, name);
        List<String> signers = checkSignatures(message, name, keyring);
        var paragraphs = Deb822.parse(message.text(), name);
        if (paragraphs.size() != 1) {
            throw new PackageException(name + ": expected one paragraph of Release fields, found " + paragraphs.size());
        }
        Map<String, String> fields = paragraphs.getFirst();
        checkFreshness(fields, name, freshness);
        return new VerifiedRelease(name, fields, sha256Index(fields, name), signers);
    }

    private static List<String> checkSignatures(ClearSignedMessage message, String name, ArchiveKeyring keyring)
            throws PackageException {
        List<String> good = new ArrayList<>();
        for (PGPSignature signature : message.signatures()) {
            PGPPublicKey key = keyring.find(signature.getKeyID());
            if (key == null) {
                continue;
            }
            String who = "key " + ArchiveKeyring.fingerprint(key);
            if (WEAK_HASHES.contains(signature.getHashAlgorithm())) {
                throw new PackageException(name + ": signature by " + who + " uses a weak hash (OpenPGP hash algorithm "
                        + signature.getHashAlgorithm() + ")");
            }
            if (signature.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT
                    && signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
                throw new PackageException(name + ": signature by " + who + " has type 0x"
                        + Integer.toHexString(signature.getSignatureType()) + ", not a document signature");
            }
            if (key.hasRevocation()) {
                throw new PackageException(name + ": signed by revoked " + who);
            }
            long validSeconds = key.getValidSeconds();
            if (validSeconds > 0 && signature.getCreationTime().getTime()
                    > key.getCreationTime().getTime() + validSeconds * 1000) {
                throw new PackageException(name + ": signed by " + who + " after the key expired");
            }
            boolean verified;
            try {
                signature.init(new BcPGPContentVerifierBuilderProvider(), key);
                signature.update(message.signedText());
                verified = signature.verify();
            } catch (PGPException e) {
                throw new PackageException(name + ": cannot check the signature by " + who + ": " + e.getMessage(), e);
            }
            if (!verified) {
                throw new PackageException(name + ": BAD signature by " + who + " (keyring " + keyring.name()
                        + "): the file was altered after signing");
            }
            good.add(ArchiveKeyring.fingerprint(key));
        }
        if (good.isEmpty()) {
            List<String> ids = message.signatures().stream()
                    .map(s -> String.format(Locale.ROOT, "%016X", s.getKeyID())).toList();
            throw new PackageException(name + " is not signed by any key in keyring " + keyring.name()
                    + " (signed by key IDs " + String.join(", ", ids) + ")");
        }
        return List.copyOf(good);
    }

    private static void checkFreshness(Map<String, String> fields, String name, ReleaseFreshness freshness)
            throws PackageException {
        if (freshness.ignoresExpiry()) {
            return;
        }
        Instant now = freshness.now();
        String date = fields.get("Date");
        if (date != null && parseDate(date, "Date", name).isAfter(now)) {
            throw new PackageException(name + " is dated " + date + ", after the time checked against (" + now + ")");
        }
        String validUntil = fields.get("Valid-Until");
        if (validUntil != null && parseDate(validUntil, "Valid-Until", name).isBefore(now)) {
            throw new PackageException(name + " expired at " + validUntil + " (checked at " + now
                    + "); re-check an archived snapshot with expiry ignored");
        }
    }

    static Instant parseDate(String value, String field, String name) throws PackageException {
        try {
            return ZonedDateTime.parse(value, RELEASE_DATE).toInstant();
        } catch (DateTimeParseException e) {
            throw new PackageException(name + ": field " + field + " is not a date like 'Fri, 20 Nov 2026 00:12:41 UTC': '"
                    + value + "'", e);
        }
    }

    private static Map<String, IndexFile> sha256Index(Map<String, String> fields, String name) throws PackageException {
        String value = fields.get("SHA256");
        if (value == null) {
            throw new PackageException(name + " has no SHA256 field");
        }
        Map<String, IndexFile> index = new LinkedHashMap<>();
        for (String line : value.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            try {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("expected 'sha256 size path'");
                }
                Digest digest = Digest.ofHex(HashAlgorithm.SHA256, parts[0]);
                index.put(parts[2], new IndexFile(parts[2], digest, Long.parseLong(parts[1])));
            } catch (IllegalArgumentException e) {
                throw new PackageException(name + ": SHA256 line '" + line.strip() + "' is malformed: " + e.getMessage(), e);
            }
        }
        return index;
    }
}
