package io.cvmboot.builder.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.qemu.Tools;
import io.cvmboot.builder.verify.AkTestCa;
import io.cvmboot.stage1.tpm.CreatedKey;
import io.cvmboot.stage1.tpm.TcpTransport;
import io.cvmboot.stage1.tpm.Tpm;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * tpm2-tools against a TCP {@link Swtpm}, to provision what a cloud provisions before a VM boots
 * (AK templates, certificates, persistent keys). Each call opens its own connection: call it only
 * while the test holds none (swtpm serves one client at a time).
 */
public final class Tpm2Cli {
    private final Swtpm swtpm;
    private final Path workDir;

    private Tpm2Cli(Swtpm swtpm, Path workDir) {
        this.swtpm = swtpm;
        this.workDir = workDir;
    }

    /** Skips the test when tpm2-tools are absent. */
    public static Tpm2Cli on(Swtpm swtpm, Path workDir) {
        Assumptions.assumeTrue(Tools.onPath("tpm2_nvdefine") && Tools.onPath("tpm2_evictcontrol"),
                "tpm2-tools not on PATH (Debian: apt-get install tpm2-tools)");
        return new Tpm2Cli(swtpm, workDir);
    }

    /** Runs one tool and fails the test, with the tool's output, when it exits non-zero. */
    public void run(String... command) throws Exception {
        Path log = Files.createTempFile(workDir, "tpm2-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TPM2TOOLS_TCTI", "swtpm:host=127.0.0.1,port=" + swtpm.port());
        Process p = pb.start();
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + Files.readString(log));
    }

    /**
     * Creates an RSA-2048 restricted signing key (RSASSA/SHA-256) in the endorsement hierarchy and
     * persists it at {@code handle} with owner authorisation, as Azure's host provisions its AK at
     * 0x81000003; returns its public key as tpm2_createprimary wrote it.
     */
    public PublicKey persistRsaSigningKey(int handle) throws Exception {
        Path ctx = Files.createTempFile(workDir, "key-", ".ctx");
        Path pem = Files.createTempFile(workDir, "key-", ".pem");
        run("tpm2_createprimary", "-C", "e", "-g", "sha256", "-G", "rsa2048:rsassa-sha256:null",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign",
                "-c", ctx.toString(), "-f", "pem", "-o", pem.toString());
        run("tpm2_evictcontrol", "-C", "o", "-c", ctx.toString(), String.format(Locale.ROOT, "0x%08X", handle));
        run("tpm2_flushcontext", "-t");
        String b64 = Files.readString(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    /**
     * Defines an NV index as a platform does for EK and cloud AK material (platform authorisation,
     * readable with the owner's or the index's empty auth) and writes {@code data}, zero-padded to
     * {@code size}.
     */
    public void nvWrite(int index, byte[] data, int size) throws Exception {
        String handle = String.format(Locale.ROOT, "0x%08X", index);
        Path file = Files.createTempFile(workDir, "nv-", ".bin");
        Files.write(file, Arrays.copyOf(data, size));
        run("tpm2_nvdefine", handle, "-C", "p", "-s", Integer.toString(size),
                "-a", "ppwrite|ppread|ownerread|authread|no_da|platformcreate");
        run("tpm2_nvwrite", handle, "-C", "p", "-i", file.toString());
    }

    /**
     * Provisions an AK the way GCE does: its template into NV {@code templateIndex}, and a
     * certificate from {@code ca} for the key that template yields into {@code certificateIndex},
     * an index {@code spare} bytes larger than the DER (GCE's are; readers must trim). A primary key
     * is a function of template and endorsement seed, so the guest's TPM2_CreatePrimary yields the
     * certified key.
     */
    public X509Certificate provisionNvAk(int templateIndex, byte[] template, int certificateIndex, int spare,
            AkTestCa ca, String commonName) throws Exception {
        nvWrite(templateIndex, template, template.length);
        PublicKey akKey;
        try (Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
            CreatedKey probe = tpm.createPrimary(Tpm.TPM_RH_ENDORSEMENT, template);
            tpm.flush(probe.handle());
            akKey = TpmPublicKey.toJca(probe.publicArea());
        }
        X509Certificate certificate = ca.issue(commonName, akKey);
        byte[] der = certificate.getEncoded();
        nvWrite(certificateIndex, der, der.length + spare);
        return certificate;
    }
}
