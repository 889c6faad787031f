package io.cvmboot.builder.deb;

import java.net.URI;
import java.util.Locale;

/**
 * Where a pinned .deb is downloaded from. The default build spec pins exact pool paths; deriving
 * the path from the source package name is a convenience for hand-written specs (binary packages
 * whose source has another name, like linux-image-* from linux-signed-amd64, need the source).
 */
public sealed interface PackageLocation {

    /** An exact path below the archive's mirror, e.g. {@code pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_amd64.deb}. */
    record Pool(Archive archive, String path) implements PackageLocation {
        public Pool {
            if (archive == null) {
                throw new IllegalArgumentException("pool location needs an archive");
            }
            requireRelativePoolPath(path);
        }
    }

    /** The path derived by {@link PoolPaths#derive} from the source package's name. */
    record FromSource(Archive archive, String source) implements PackageLocation {
        public FromSource {
            if (archive == null) {
                throw new IllegalArgumentException("source location needs an archive");
            }
            if (source == null || !PackagePin.NAME.matcher(source).matches()) {
                throw new IllegalArgumentException("source package name '" + source
                        + "' is not a Debian package name (Debian Policy 5.6.1: [a-z0-9][a-z0-9+.-]+)");
            }
        }
    }

    /** A full URL, for packages outside a Debian mirror layout (http, https or file). */
    record Url(URI url) implements PackageLocation {
        public Url {
            if (url == null || !url.isAbsolute()) {
                throw new IllegalArgumentException("package URL must be absolute, got " + url);
            }
            String scheme = url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
                throw new IllegalArgumentException("package URL must be http, https or file, got " + url);
            }
        }
    }

    private static void requireRelativePoolPath(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("pool path is empty");
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException("pool path must be relative to the mirror, got '" + path + "'");
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("pool path '" + path + "' has an empty, '.' or '..' component");
            }
        }
        if (!path.endsWith(".deb")) {
            throw new IllegalArgumentException("pool path '" + path + "' does not name a .deb file");
        }
    }
}
