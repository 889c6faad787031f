package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * A Release file whose signature verified ({@link InReleaseVerifier}): its fields, the SHA-256 of
 * every index file it lists, and who signed it. The next link of the chain is
 * {@link #packagesIndex}.
 *
 * @param name the InRelease file, as errors name it
 * @param fields the Release fields (Suite, Codename, Date, ...), case-insensitive
 * @param sha256 the SHA256 field by path
 * @param signers fingerprints of the keys whose signatures verified
 */
public record VerifiedRelease(String name, Map<String, String> fields, Map<String, IndexFile> sha256, List<String> signers) {
    /** A Packages index larger than this once decompressed is refused (bookworm main: 50 MB). */
    public static final long MAX_INDEX_BYTES = 512L * 1024 * 1024;

    public VerifiedRelease {
        var copy = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(fields);
        fields = Collections.unmodifiableMap(copy);
        sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
        signers = List.copyOf(signers);
    }

    public Optional<IndexFile> index(String path) {
        return Optional.ofNullable(sha256.get(path));
    }

    /**
     * Checks a Packages index against this Release and parses it.
     *
     * @param path the index's path below the suite, e.g. {@code main/binary-amd64/Packages.xz};
     *     .xz, .gz, .zst and .lz4 (apt's own recompression in /var/lib/apt/lists) are decompressed
     * @param data the file's bytes
     * @throws PackageException the Release lists neither the file nor its uncompressed form, or a
     *     digest or size differs
     */
    public PackagesIndex packagesIndex(String path, byte[] data) throws PackageException {
        String compression = compressionOf(path);
        String plainPath = path.substring(0, path.length() - compression.length());
        boolean checked = false;
        if (!compression.isEmpty() && sha256.containsKey(path)) {
            check(sha256.get(path), data);
            checked = true;
        }
        byte[] plain = compression.isEmpty() ? data : decompress(path, compression, data);
        if (sha256.containsKey(plainPath)) {
            check(sha256.get(plainPath), plain);
            checked = true;
        }
        if (!checked) {
            throw new PackageException(name + " lists neither " + path + " nor " + plainPath
                    + "; the index cannot be verified");
        }
        return PackagesIndex.parse(plain, plainPath + " of " + name);
    }

    private void check(IndexFile expected, byte[] data) throws PackageException {
        Digest actual = Digest.compute(HashAlgorithm.SHA256, data);
        if (data.length != expected.size() || !actual.equals(expected.sha256())) {
            throw new PackageException(expected.path() + " does not match " + name + ": expected sha256 "
                    + expected.sha256().hex() + " and " + expected.size() + " bytes, got " + actual.hex() + " and "
                    + data.length + " bytes");
        }
    }

    private static String compressionOf(String path) {
        for (String suffix : List.of(".xz", ".gz", ".zst", ".lz4")) {
            if (path.endsWith(suffix)) {
                return suffix;
            }
        }
        return "";
    }

    private static byte[] decompress(String path, String compression, byte[] data) throws PackageException {
        try (InputStream in = switch (compression) {
                    case ".xz" -> new XZCompressorInputStream(new ByteArrayInputStream(data));
                    case ".gz" -> new GzipCompressorInputStream(new ByteArrayInputStream(data));
                    case ".zst" -> new ZstdCompressorInputStream(new ByteArrayInputStream(data));
                    case ".lz4" -> new FramedLZ4CompressorInputStream(new ByteArrayInputStream(data));
                    default -> throw new IllegalStateException(compression);
                }) {
            byte[] plain = in.readNBytes((int) Math.min(MAX_INDEX_BYTES + 1, Integer.MAX_VALUE - 8));
            if (plain.length > MAX_INDEX_BYTES) {
                throw new PackageException(path + " decompresses to more than " + MAX_INDEX_BYTES + " bytes");
            }
            return plain;
        } catch (IOException e) {
            throw new PackageException(path + " is not valid " + compression.substring(1) + " data: " + e.getMessage(), e);
        }
    }
}
