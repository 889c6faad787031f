package io.cvmboot.builder.deb;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads a suite's InRelease and Packages index from a mirror and checks pins against them: the
 * optional signed chain InRelease → Packages → .deb on top of the SHA-256 pins. The index is
 * fetched by its hash ({@code by-hash/SHA256/...}, when the Release says {@code Acquire-By-Hash: yes})
 * so a mirror update between the two downloads cannot mix two versions of the archive.
 */
public final class ArchiveChain {
    /** InRelease files are tens of kB; the largest Packages.xz (bookworm main) about 9 MB. */
    static final long MAX_RELEASE_BYTES = 4L * 1024 * 1024;
    static final long MAX_INDEX_BYTES = 128L * 1024 * 1024;

    private final MirrorSet mirrors;
    private final ArchiveKeyring keyring;
    private final ReleaseFreshness freshness;
    private final MirrorConnection connection;

    public ArchiveChain(MirrorSet mirrors, ArchiveKeyring keyring, ReleaseFreshness freshness) {
        this(mirrors, keyring, freshness, PackageFetcher.DEFAULT_CONNECT_TIMEOUT, PackageFetcher.DEFAULT_READ_TIMEOUT);
    }

    public ArchiveChain(MirrorSet mirrors, ArchiveKeyring keyring, ReleaseFreshness freshness, Duration connectTimeout,
            Duration readTimeout) {
        this.mirrors = mirrors;
        this.keyring = keyring;
        this.freshness = freshness;
        this.connection = new MirrorConnection(connectTimeout, readTimeout);
    }

    /**
     * Downloads and verifies the suite's InRelease.
     *
     * @param suite e.g. bookworm, bookworm-updates (archive DEBIAN) or bookworm-security (SECURITY)
     */
    public VerifiedRelease release(Archive archive, String suite) throws PackageException, IOException {
        requireName(suite, "suite");
        URI url = below(mirrors.mirror(archive), "dists/" + suite + "/InRelease");
        byte[] inRelease = connection.get(url, "InRelease of " + suite, MAX_RELEASE_BYTES);
        return InReleaseVerifier.verify(inRelease, url.toString(), keyring, freshness);
    }

    /** Downloads the {@code main} Packages index of {@code arch} that the verified release lists, and checks it. */
    public PackagesIndex packages(Archive archive, String suite, VerifiedRelease release, String arch)
            throws PackageException, IOException {
        requireName(arch, "architecture");
        String path = "main/binary-" + arch + "/Packages.xz";
        IndexFile listed = release.index(path).orElseThrow(() -> new PackageException(release.name()
                + " lists no " + path));
        boolean byHash = "yes".equalsIgnoreCase(release.fields().get("Acquire-By-Hash"));
        String relative = byHash ? "main/binary-" + arch + "/by-hash/SHA256/" + listed.sha256().hex() : path;
        URI url = below(mirrors.mirror(archive), "dists/" + suite + "/" + relative);
        byte[] data = connection.get(url, path + " of " + suite, MAX_INDEX_BYTES);
        return release.packagesIndex(path, data);
    }

    /**
     * Checks every pin against the signed index of one suite: same SHA-256 and, for pool pins, same
     * path. Architecture "all" packages are listed in every architecture's index.
     *
     * @param indexArch the index to read, e.g. amd64
     * @return the index entries, in the order of the pins
     */
    public List<PackagesEntry> verify(Archive archive, String suite, String indexArch, List<PackagePin> pins)
            throws PackageException, IOException {
        VerifiedRelease release = release(archive, suite);
        PackagesIndex index = packages(archive, suite, release, indexArch);
        List<PackagesEntry> entries = new ArrayList<>();
        for (PackagePin pin : pins) {
            entries.add(index.requireMatch(pin));
        }
        return List.copyOf(entries);
    }

    private static void requireName(String value, String what) {
        if (value == null || !value.matches("[a-z0-9][a-z0-9.+-]*")) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a Debian " + what + " name");
        }
    }

    private static URI below(URI mirror, String relative) {
        String base = mirror.toString();
        return URI.create(base.endsWith("/") ? base + relative : base + "/" + relative);
    }
}
