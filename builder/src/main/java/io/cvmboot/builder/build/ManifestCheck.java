package io.cvmboot.builder.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Checks an output directory against its manifest.json: every artefact present, same size and digest. */
public final class ManifestCheck {
    private ManifestCheck() {}

    /**
     * One finding.
     *
     * @param artefact file name
     * @param ok whether it matches
     * @param detail what was expected and found
     */
    public record Finding(String artefact, boolean ok, String detail) {}

    /** Compares {@code dir} with the manifest it holds. */
    public static List<Finding> check(Path dir) throws IOException, ManifestException {
        Path manifestFile = dir.resolve(ManifestJson.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new ManifestException(dir + ": no " + ManifestJson.FILE_NAME + " (not a cvmboot output directory?)");
        }
        JsonNode root;
        try {
            root = ManifestJson.MAPPER.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new ManifestException(manifestFile + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode artefacts = root.path("artefacts");
        if (!"cvmboot-manifest/1".equals(root.path("format").asText()) || !artefacts.isObject()) {
            throw new ManifestException(manifestFile + ": expected format cvmboot-manifest/1 with an 'artefacts' object");
        }
        List<Finding> findings = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (var it = artefacts.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            listed.add(name);
            if (name.contains("/") || name.startsWith(".")) {
                throw new ManifestException(manifestFile + ": artefact name '" + name + "' is not a plain file name");
            }
            long size = e.getValue().path("size").asLong(-1);
            String sha = e.getValue().path("sha256").asText("");
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                findings.add(new Finding(name, false, "missing"));
                continue;
            }
            Digest actual = sha256(file);
            long actualSize = Files.size(file);
            if (actualSize != size || !actual.hex().equals(sha)) {
                findings.add(new Finding(name, false, "expected size " + size + " sha256 " + sha
                        + ", found size " + actualSize + " sha256 " + actual.hex()));
            } else {
                findings.add(new Finding(name, true, "size " + size + " sha256 " + sha));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!listed.contains(name) && !name.equals(ManifestJson.FILE_NAME)) {
                    findings.add(new Finding(name, false, "not in the manifest"));
                }
            }
        }
        return List.copyOf(findings);
    }

    static Digest sha256(Path file) throws IOException {
        MessageDigest md = HashAlgorithm.SHA256.newMessageDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Digest.of(HashAlgorithm.SHA256, md.digest());
    }

    /** A manifest that cannot be read. */
    public static final class ManifestException extends Exception {
        public ManifestException(String message) {
            super(message);
        }

        public ManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
