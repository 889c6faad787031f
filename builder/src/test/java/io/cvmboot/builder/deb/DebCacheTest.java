package io.cvmboot.builder.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebCacheTest {

    @Test
    void defaultDirectory_usesXdgCacheHome() {
        assertEquals(Path.of("/var/cache/me/cvmboot/debs"),
                DebCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/me"), "/home/u"));
    }

    @Test
    void defaultDirectory_fallsBackToHomeDotCache() {
        assertEquals(Path.of("/home/u/.cache/cvmboot/debs"), DebCache.defaultDirectory(Map.of(), "/home/u"));
    }

    @Test
    void defaultDirectory_ignoresEmptyOrRelativeXdgCacheHome() {
        // XDG Base Directory Specification: relative paths in these variables are invalid.
        assertEquals(Path.of("/home/u/.cache/cvmboot/debs"),
                DebCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "cache"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/cvmboot/debs"),
                DebCache.defaultDirectory(Map.of("XDG_CACHE_HOME", ""), "/home/u"));
    }

    @Test
    void entryFor_isContentAddressed() {
        var pin = PackagePin.of("busybox-static", "1:1.35.0-4+deb12u1+b1", "amd64",
                "3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744", null);
        assertEquals(Path.of("/c/3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744/"
                + "busybox-static_1.35.0-4+deb12u1+b1_amd64.deb"), new DebCache(Path.of("/c")).entryFor(pin));
    }
}
