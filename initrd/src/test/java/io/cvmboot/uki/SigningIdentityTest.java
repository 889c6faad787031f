package io.cvmboot.uki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.initrd.ArtefactInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningIdentityTest {
    @Test
    void fromPem_pkcs8KeyAndCertificate() throws Exception {
        SigningIdentity id = TestSigningKeys.rsa();
        SigningIdentity read = SigningIdentity.fromPem("key.pem", TestSigningKeys.privateKeyPem(id).getBytes(StandardCharsets.US_ASCII),
                "cert.pem", TestSigningKeys.certificatePem(id).getBytes(StandardCharsets.US_ASCII));
        assertEquals(id.signer(), read.signer());
        assertEquals(id.key(), read.key());
    }

    @Test
    void fromPem_certificateGivenAsKey_rejectedNamingFile() throws Exception {
        SigningIdentity id = TestSigningKeys.ecP256();
        byte[] cert = TestSigningKeys.certificatePem(id).getBytes(StandardCharsets.US_ASCII);
        ArtefactInputException e = assertThrows(ArtefactInputException.class,
                () -> SigningIdentity.fromPem("db.crt", cert, "db.crt", cert));
        assertTrue(e.getMessage().startsWith("db.crt: expected an unencrypted PEM private key"), e.getMessage());
    }

    @Test
    void fromPem_garbageCertificate_rejectedNamingFile() throws Exception {
        SigningIdentity id = TestSigningKeys.ecP256();
        ArtefactInputException e = assertThrows(ArtefactInputException.class,
                () -> SigningIdentity.fromPem("db.key", TestSigningKeys.privateKeyPem(id).getBytes(StandardCharsets.US_ASCII),
                        "db.crt", "not a certificate".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("db.crt: "), e.getMessage());
    }
}
