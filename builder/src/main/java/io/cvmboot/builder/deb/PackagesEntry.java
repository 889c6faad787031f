package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;

/**
 * One binary package of a Packages index (the fields the chain needs).
 *
 * @param name Package
 * @param version Version
 * @param arch Architecture
 * @param source Source without its version, or the package name when absent (Debian Policy 5.6.1)
 * @param filename Filename: the pool path below the mirror
 * @param size Size of the .deb
 * @param sha256 SHA256 of the .deb
 */
public record PackagesEntry(String name, String version, String arch, String source, String filename, long size,
        Digest sha256) {

    /** A pin for this package, downloaded from the pool path the index gives. */
    public PackagePin toPin(Archive archive) {
        return new PackagePin(name, version, arch, sha256, new PackageLocation.Pool(archive, filename));
    }
}
