package io.cvmboot.builder.deb;

import java.net.URI;

/**
 * The mirrors of the two archives. HTTPS by default; plain HTTP mirrors are fine too, because every
 * .deb is checked against its pinned SHA-256 before it is used.
 *
 * <p>Debian removes superseded versions from deb.debian.org (security updates within weeks). To
 * rebuild an old pin use a snapshot, e.g. {@code https://snapshot.debian.org/archive/debian-security/20251120T000000Z}.
 */
public record MirrorSet(URI debian, URI security) {
    public static final URI DEFAULT_DEBIAN = URI.create("https://deb.debian.org/debian");
    public static final URI DEFAULT_SECURITY = URI.create("https://deb.debian.org/debian-security");
    public static final MirrorSet DEFAULT = new MirrorSet(DEFAULT_DEBIAN, DEFAULT_SECURITY);

    public MirrorSet {
        debian = checked(debian == null ? DEFAULT_DEBIAN : debian, "debian");
        security = checked(security == null ? DEFAULT_SECURITY : security, "security");
    }

    /** The URL of a pinned package. */
    public URI resolve(PackagePin pin) {
        return switch (pin.location()) {
            case PackageLocation.Url url -> url.url();
            case PackageLocation.Pool pool -> below(mirror(pool.archive()), pool.path());
            case PackageLocation.FromSource src -> below(mirror(src.archive()),
                    PoolPaths.derive(src.archive(), src.source(), pin.name(), pin.version(), pin.arch()));
        };
    }

    public URI mirror(Archive archive) {
        return archive == Archive.SECURITY ? security : debian;
    }

    private static URI below(URI mirror, String relativePath) {
        // Characters like '~' and '+' are legal in URI paths; ':' (epochs) never reaches a pool path.
        String base = mirror.toString();
        return URI.create(base.endsWith("/") ? base + relativePath : base + "/" + relativePath);
    }

    private static URI checked(URI mirror, String which) {
        String scheme = mirror.getScheme();
        if (!mirror.isAbsolute() || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("file"))) {
            throw new IllegalArgumentException(which + " mirror must be an absolute http, https or file URL, got " + mirror);
        }
        return mirror;
    }
}
