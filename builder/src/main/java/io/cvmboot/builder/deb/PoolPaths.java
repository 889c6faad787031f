package io.cvmboot.builder.deb;

/**
 * File names and pool paths of .deb files, as the Debian archive (dak) lays them out:
 * {@code pool/<component>/<prefix>/<source>/<name>_<version without epoch>_<arch>.deb}, where the
 * prefix is the source name's first letter, or its first four for names starting with "lib"
 * (Debian Policy 5.6.1 for the names; the layout is dak's and visible in every Packages index).
 */
public final class PoolPaths {
    private PoolPaths() {}

    /**
     * The file name in the pool. The epoch is dropped ("1:1.35.0-4" becomes "1.35.0-4"), because
     * dak never puts it in file names.
     */
    public static String poolFileName(String name, String version, String arch) {
        return name + "_" + withoutEpoch(version) + "_" + arch + ".deb";
    }

    /**
     * The file name {@code apt-get download} gives the package: the full version with its colon
     * written as {@code %3a} (apt's URI quoting), e.g. {@code busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb}.
     */
    public static String aptDownloadFileName(String name, String version, String arch) {
        return name + "_" + version.replace(":", "%3a") + "_" + arch + ".deb";
    }

    /** The pool path of a binary package of the {@code main} component built from {@code source}. */
    public static String derive(Archive archive, String source, String name, String version, String arch) {
        return archive.mainPoolPrefix() + prefixDirectory(source) + "/" + source + "/"
                + poolFileName(name, version, arch);
    }

    /** "busybox" → "b", "libxml2" → "libx", "lib" → "l". */
    static String prefixDirectory(String source) {
        if (source.startsWith("lib") && source.length() > 3) {
            return source.substring(0, 4);
        }
        return source.substring(0, 1);
    }

    static String withoutEpoch(String version) {
        int colon = version.indexOf(':');
        return colon < 0 ? version : version.substring(colon + 1);
    }
}
