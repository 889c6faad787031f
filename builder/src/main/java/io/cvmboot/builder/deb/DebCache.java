package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The download cache: {@code <dir>/<sha256>/<pool file name>}. Content-addressed, so two pins of the
 * same file share an entry and a pin can never be served another file; the file name keeps
 * entries readable. Only files that matched their pin are ever renamed into place.
 */
public final class DebCache {
    private final Path directory;

    public DebCache(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("cache directory is null");
        }
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** {@code ${XDG_CACHE_HOME:-~/.cache}/cvmboot/debs} for the given environment. */
    public static Path defaultDirectory(Map<String, String> environment, String userHome) {
        // XDG Base Directory Specification: a relative or empty XDG_CACHE_HOME is invalid and ignored.
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(userHome, ".cache");
        return base.resolve("cvmboot").resolve("debs");
    }

    /** The cache of the current user, as {@link #defaultDirectory} describes. */
    public static DebCache ofUser() {
        return new DebCache(defaultDirectory(System.getenv(), System.getProperty("user.home")));
    }

    public Path directory() {
        return directory;
    }

    /** Where the pinned file lives once downloaded. */
    public Path entryFor(PackagePin pin) {
        return directory.resolve(pin.sha256().hex()).resolve(pin.poolFileName());
    }

    /**
     * The cached file if present and still matching its pin. A mismatching entry is deleted and
     * reported to the listener, so the caller downloads it again.
     */
    Optional<Path> lookup(PackagePin pin, FetchListener listener) throws IOException {
        Path file = entryFor(pin);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Digest found = sha256(file);
        if (found.equals(pin.sha256())) {
            listener.on(new FetchEvent.CacheHit(pin, file, Files.size(file)));
            return Optional.of(file);
        }
        Files.delete(file);
        listener.on(new FetchEvent.CacheEntryDiscarded(pin, file, found));
        return Optional.empty();
    }

    static Digest sha256(Path file) throws IOException {
        MessageDigest md = HashAlgorithm.SHA256.newMessageDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return Digest.of(HashAlgorithm.SHA256, md.digest());
    }
}
