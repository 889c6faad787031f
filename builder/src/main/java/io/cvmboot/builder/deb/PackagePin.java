package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.regex.Pattern;

/**
 * A Debian binary package pinned by the SHA-256 of its .deb file. The digest is what makes a build
 * reproducible and safe over plain HTTP: nothing else about the download is trusted.
 *
 * @param name binary package name (Debian Policy 5.6.1)
 * @param version exact version, with its epoch if it has one (Debian Policy 5.6.12)
 * @param arch architecture, e.g. amd64 or all
 * @param sha256 SHA-256 of the .deb file
 * @param location where to download it from
 */
public record PackagePin(String name, String version, String arch, Digest sha256, PackageLocation location) {

    /** Debian Policy 5.6.1: lower case letters, digits, '+', '-', '.'; at least two characters. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    /** Debian Policy 5.6.12: [epoch:]upstream_version[-debian_revision]; upstream starts with a digit. */
    static final Pattern VERSION = Pattern.compile("(?:[0-9]+:)?[0-9][A-Za-z0-9.+~-]*");
    static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public PackagePin {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("package name '" + name
                    + "' is not a Debian package name (Debian Policy 5.6.1: [a-z0-9][a-z0-9+.-]+)");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version '" + version + "' of package " + name
                    + " is not a Debian version (Debian Policy 5.6.12: [epoch:]upstream[-revision])");
        }
        if (arch == null || !ARCH.matcher(arch).matches()) {
            throw new IllegalArgumentException("architecture '" + arch + "' of package " + name
                    + " is not a Debian architecture name (amd64, all, ...)");
        }
        if (sha256 == null || sha256.algorithm() != HashAlgorithm.SHA256) {
            throw new IllegalArgumentException("package " + name + " must be pinned by a SHA-256 digest, got " + sha256);
        }
        if (location == null) {
            location = new PackageLocation.FromSource(Archive.DEBIAN, name);
        }
    }

    /** A pin from the hex digest as build specs and {@code sha256sum} write it. */
    public static PackagePin of(String name, String version, String arch, String sha256Hex, PackageLocation location) {
        Digest digest;
        try {
            digest = Digest.ofHex(HashAlgorithm.SHA256, sha256Hex == null ? "" : sha256Hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sha256 of package " + name + " must be 64 hex digits, got '"
                    + sha256Hex + "'", e);
        }
        return new PackagePin(name, version, arch, digest, location);
    }

    /** "busybox-static 1:1.35.0-4+deb12u1+b1 (amd64)": how messages and events name the package. */
    public String label() {
        return name + " " + version + " (" + arch + ")";
    }

    /** The name dak gives the file in the pool. */
    public String poolFileName() {
        return PoolPaths.poolFileName(name, version, arch);
    }
}
