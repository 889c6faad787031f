package io.cvmboot.stage1.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * tpm2-tools (5.x) against a {@link SwtpmTcp}, for provisioning NV indices the way a cloud
 * would and as an independent producer of templates and keys. Each call opens and closes its own
 * connection, so call it only while the test holds no connection of its own (swtpm serves one
 * client at a time).
 */
public final class Tpm2Tools {
    private final SwtpmTcp swtpm;
    private final Path workDir;

    private Tpm2Tools(SwtpmTcp swtpm, Path workDir) {
        this.swtpm = swtpm;
        this.workDir = workDir;
    }

    /** Skips the test when tpm2-tools are absent. */
    public static Tpm2Tools on(SwtpmTcp swtpm, Path workDir) {
        Assumptions.assumeTrue(onPath("tpm2_nvdefine") && onPath("tpm2_createprimary"),
                "tpm2-tools not on PATH (Debian: apt-get install tpm2-tools)");
        return new Tpm2Tools(swtpm, workDir);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs one tool; its stdout, or an exception with its output when it fails. */
    public String run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, "tpm2-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TPM2TOOLS_TCTI", "swtpm:host=127.0.0.1,port=" + swtpm.port());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
        }
        return output;
    }

    /**
     * Defines an NV index as the platform does for EK and cloud AK material (platform
     * authorisation, readable with the index's own or the owner's empty auth) and writes
     * {@code data} into it, zero-padded to {@code size}.
     */
    public void provision(int index, byte[] data, int size) throws IOException, InterruptedException {
        if (data.length > size) {
            throw new IllegalArgumentException("data larger than the index");
        }
        String handle = String.format(java.util.Locale.ROOT, "0x%08X", index);
        run("tpm2_nvdefine", handle, "-C", "p", "-s", Integer.toString(size),
                "-a", "ppwrite|ppread|ownerread|authread|no_da|platformcreate");
        byte[] padded = java.util.Arrays.copyOf(data, size);
        Path file = Files.createTempFile(workDir, "nv-", ".bin");
        Files.write(file, padded);
        run("tpm2_nvwrite", handle, "-C", "p", "-i", file.toString());
    }

    /**
     * Creates a primary key in the endorsement hierarchy with tpm2_createprimary's own template
     * marshalling, flushes it, and returns the TPMT_PUBLIC template it sent and the key (PEM
     * SubjectPublicKeyInfo) the TPM made from it.
     */
    public CreatedPrimary createEndorsementPrimary(String... algorithmAndAttributes)
            throws IOException, InterruptedException {
        Path template = Files.createTempFile(workDir, "template-", ".bin");
        Path pem = Files.createTempFile(workDir, "key-", ".pem");
        List<String> cmd = new ArrayList<>(List.of("tpm2_createprimary", "-C", "e", "-g", "sha256"));
        cmd.addAll(List.of(algorithmAndAttributes));
        cmd.addAll(List.of("-c", workDir.resolve("primary.ctx").toString(), "--template-data", template.toString(),
                "-f", "pem", "-o", pem.toString()));
        run(cmd.toArray(String[]::new));
        run("tpm2_flushcontext", "-t");
        return new CreatedPrimary(Files.readAllBytes(template), Files.readString(pem, StandardCharsets.US_ASCII));
    }

    /**
     * Creates a primary key in the endorsement hierarchy and persists it at {@code handle} with
     * owner authorisation, as a cloud host provisions its AK (Azure: 0x81000003); returns its
     * template and key like {@link #createEndorsementPrimary}.
     */
    public CreatedPrimary persistEndorsementPrimary(int handle, String... algorithmAndAttributes)
            throws IOException, InterruptedException {
        CreatedPrimary primary = createEndorsementPrimary(algorithmAndAttributes);
        // createEndorsementPrimary flushed its context; a primary is a function of template and seed, so
        // creating it again from the same template yields the same key, which evictcontrol then persists.
        Path ctx = workDir.resolve("persist.ctx");
        List<String> cmd = new ArrayList<>(List.of("tpm2_createprimary", "-C", "e", "-g", "sha256"));
        cmd.addAll(List.of(algorithmAndAttributes));
        cmd.addAll(List.of("-c", ctx.toString()));
        run(cmd.toArray(String[]::new));
        run("tpm2_evictcontrol", "-C", "o", "-c", ctx.toString(), String.format(java.util.Locale.ROOT, "0x%08X", handle));
        run("tpm2_flushcontext", "-t");
        return primary;
    }

    /** Handles of persistent objects (tpm2_getcap handles-persistent). */
    public String persistentHandles() throws IOException, InterruptedException {
        return run("tpm2_getcap", "handles-persistent").strip();
    }

    /** Handles of transient objects still loaded (tpm2_getcap handles-transient), e.g. a leaked AK. */
    public String transientHandles() throws IOException, InterruptedException {
        return run("tpm2_getcap", "handles-transient").strip();
    }

    /**
     * @param template the TPMT_PUBLIC tpm2_createprimary sent
     * @param publicKeyPem the created key as a PEM SubjectPublicKeyInfo
     */
    public record CreatedPrimary(byte[] template, String publicKeyPem) {
        public java.security.PublicKey publicKey() throws java.security.GeneralSecurityException {
            String b64 = publicKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der = java.util.Base64.getDecoder().decode(b64);
            var spec = new java.security.spec.X509EncodedKeySpec(der);
            try {
                return java.security.KeyFactory.getInstance("EC").generatePublic(spec);
            } catch (java.security.spec.InvalidKeySpecException notEc) {
                return java.security.KeyFactory.getInstance("RSA").generatePublic(spec);
            }
        }
    }
}
