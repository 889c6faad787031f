package io.cvmboot.builder.deb;

/**
 * A .deb read into memory.
 *
 * @param control its control file
 * @param dataMember the ar member the files came from, e.g. data.tar.xz
 * @param files its files
 */
public record DebPackage(DebControl control, String dataMember, DebFileTree files) {}
