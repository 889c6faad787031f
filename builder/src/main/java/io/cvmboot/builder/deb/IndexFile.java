package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;

/**
 * One line of a Release file's SHA256 field: an index file below the suite's directory.
 *
 * @param path e.g. main/binary-amd64/Packages.xz
 * @param sha256 its digest
 * @param size its size in bytes
 */
public record IndexFile(String path, Digest sha256, long size) {}
