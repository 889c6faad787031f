package io.cvmboot.builder.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The signed chain against real Debian files and gpgv's verdicts on them
 * (src/test/resources/deb/archive/README.md).
 */
class InReleaseVerifierTest {
    private static final String SECURITY = "bookworm-security_InRelease";
    /** Between the security InRelease's Date and Valid-Until. */
    private static final Instant WHILE_VALID = Instant.parse("2026-11-22T06:00:00Z");

    static byte[] resource(String name) throws IOException {
        try (InputStream in = InReleaseVerifierTest.class.getResourceAsStream("/deb/archive/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /deb/archive/" + name);
            }
            return in.readAllBytes();
        }
    }

    static ArchiveKeyring keyring(String name) throws Exception {
        return ArchiveKeyring.load(resource(name), name);
    }

    static VerifiedRelease securityRelease() throws Exception {
        return InReleaseVerifier.verify(resource(SECURITY), SECURITY, keyring("debian-archive-keyring.gpg"),
                ReleaseFreshness.at(WHILE_VALID));
    }

    @Test
    void securityInRelease_verifiesWithTheSameKeysAsGpgv() throws Exception {
        VerifiedRelease release = securityRelease();
        assertEquals(List.of("ED541312A33F1128F10B1C6C54404762BBB6E853", "B0CAB9266E8C3929798B3EEEBDE6D2B9216EC7A8"),
                release.signers());
        assertEquals("bookworm-security", release.fields().get("codename"));
        IndexFile packages = release.index("main/binary-amd64/Packages").orElseThrow();
        assertEquals("fadf41b0ef642d1c750f880f5844753ef5ab8d529ac4c190060d5f8bea63a801", packages.sha256().hex());
        assertEquals(2_515_915, packages.size());
    }

    @Test
    void ed25519StableReleaseKey_verifiesBookwormInRelease() throws Exception {
        VerifiedRelease release = InReleaseVerifier.verify(resource("bookworm_InRelease"), "bookworm_InRelease",
                keyring("debian-archive-bookworm-stable.gpg"), ReleaseFreshness.IGNORE_EXPIRY);
        assertEquals(List.of("4D64FEC119C2029067D6E791F8D2585B8783D481"), release.signers());
        assertEquals("bookworm", release.fields().get("Codename"));
    }

    @Test
    void tamperedByte_isABadSignature() throws Exception {
        byte[] tampered = replaceOnce(resource(SECURITY), " 2515915 main/binary-amd64/Packages\n",
                " 2515916 main/binary-amd64/Packages\n");
        var ex = assertThrows(PackageException.class, () -> InReleaseVerifier.verify(tampered, SECURITY,
                keyring("debian-archive-keyring.gpg"), ReleaseFreshness.at(WHILE_VALID)));
        assertEquals(SECURITY + ": BAD signature by key ED541312A33F1128F10B1C6C54404762BBB6E853 (keyring "
                + "debian-archive-keyring.gpg): the file was altered after signing", ex.getMessage());
    }

    @Test
    void trailingBlanksAndCrlf_areNotPartOfTheSignedText() throws Exception {
        // RFC 4880, 7.1: trailing spaces/tabs are dropped and line ends are CRLF before hashing.
        byte[] reformatted = replaceOnce(resource(SECURITY), "Codename: bookworm-security\n",
                "Codename: bookworm-security \t\r\n");
        assertEquals(2, InReleaseVerifier.verify(reformatted, SECURITY, keyring("debian-archive-keyring.gpg"),
                ReleaseFreshness.at(WHILE_VALID)).signers().size());
    }

    @Test
    void wrongKeyring_isNotSignedByAnyKeyInIt() throws Exception {
        var ex = assertThrows(PackageException.class, () -> InReleaseVerifier.verify(resource(SECURITY), SECURITY,
                keyring("debian-archive-trixie-security-automatic.gpg"), ReleaseFreshness.at(WHILE_VALID)));
        assertEquals(SECURITY + " is not signed by any key in keyring debian-archive-trixie-security-automatic.gpg"
                + " (signed by key IDs 54404762BBB6E853, BDE6D2B9216EC7A8)", ex.getMessage());
    }

    @Test
    void textAfterTheSignature_isRefused() throws Exception {
        byte[] extended = (new String(resource(SECURITY), StandardCharsets.ISO_8859_1) + "Suite: evil\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        var ex = assertThrows(PackageException.class, () -> InReleaseVerifier.verify(extended, SECURITY,
                keyring("debian-archive-keyring.gpg"), ReleaseFreshness.at(WHILE_VALID)));
        assertTrue(ex.getMessage().endsWith(": text after the signature"), ex.getMessage());
    }

    @Test
    void unsignedText_isRefused() throws Exception {
        byte[] unsigned = "Origin: Debian\nSHA256:\n".getBytes(StandardCharsets.US_ASCII);
        var ex = assertThrows(PackageException.class, () -> InReleaseVerifier.verify(unsigned, "Release",
                keyring("debian-archive-keyring.gpg"), ReleaseFreshness.IGNORE_EXPIRY));
        assertEquals("Release is not clear-signed: first line is not '-----BEGIN PGP SIGNED MESSAGE-----'", ex.getMessage());
    }

    @Test
    void expiredRelease_isRefusedUnlessExpiryIsIgnored() throws Exception {
        var ex = assertThrows(PackageException.class, () -> InReleaseVerifier.verify(resource(SECURITY), SECURITY,
                keyring("debian-archive-keyring.gpg"), ReleaseFreshness.at(Instant.parse("2026-11-27T00:12:42Z"))));
        assertEquals(SECURITY + " expired at Fri, 27 Nov 2026 00:12:41 UTC (checked at 2026-11-27T00:12:42Z);"
                + " re-check an archived snapshot with expiry ignored", ex.getMessage());
        var early = assertThrows(PackageException.class, () -> InReleaseVerifier.verify(resource(SECURITY), SECURITY,
                keyring("debian-archive-keyring.gpg"), ReleaseFreshness.at(Instant.parse("2026-11-20T00:12:40Z"))));
        assertTrue(early.getMessage().startsWith(SECURITY + " is dated Fri, 20 Nov 2026 00:12:41 UTC"), early.getMessage());
        assertEquals(2, InReleaseVerifier.verify(resource(SECURITY), SECURITY, keyring("debian-archive-keyring.gpg"),
                ReleaseFreshness.IGNORE_EXPIRY).signers().size());
    }

    @Test
    void notAKeyring_saysSo() {
        var ex = assertThrows(PackageException.class,
                () -> ArchiveKeyring.load("KBXf not a keyring".getBytes(StandardCharsets.US_ASCII), "pubring.kbx"));
        assertTrue(ex.getMessage().startsWith("keyring pubring.kbx "), ex.getMessage());
    }

    static byte[] replaceOnce(byte[] data, String from, String to) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("expected exactly one '" + from + "'");
        }
        return (text.substring(0, at) + to + text.substring(at + from.length())).getBytes(StandardCharsets.ISO_8859_1);
    }
}
