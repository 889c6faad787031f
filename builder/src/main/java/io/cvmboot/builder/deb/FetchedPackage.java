package io.cvmboot.builder.deb;

import java.nio.file.Path;

/**
 * A pinned .deb on disk, verified against its pin.
 *
 * @param pin the pin it matched
 * @param file the cache entry
 * @param size its size in bytes
 * @param fromCache true when no download was needed
 */
public record FetchedPackage(PackagePin pin, Path file, long size, boolean fromCache) {}
