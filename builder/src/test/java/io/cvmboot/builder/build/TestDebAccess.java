package io.cvmboot.builder.build;

import java.io.IOException;
import java.util.Map;

/** Lets tests in other packages build test .debs. */
public final class TestDebAccess {
    private TestDebAccess() {}

    public static byte[] deb(String name, String version, String arch, Map<String, byte[]> files) throws IOException {
        return TestDeb.deb(name, version, arch, files);
    }
}
