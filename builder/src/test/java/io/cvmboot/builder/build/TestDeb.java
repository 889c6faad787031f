package io.cvmboot.builder.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small .deb files (deb(5): ar of debian-binary, control.tar, data.tar) for tests. */
final class TestDeb {
    private TestDeb() {}

    static byte[] deb(String name, String version, String arch, Map<String, byte[]> files) throws IOException {
        String control = "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch
                + "\nMaintainer: test <t@example.org>\nDescription: test package\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar", tar(Map.of("./control", control.getBytes(StandardCharsets.UTF_8))));
            Map<String, byte[]> data = new TreeMap<>();
            files.forEach((path, bytes) -> data.put("./" + path, bytes));
            member(ar, "data.tar", tar(data));
        }
        return out.toByteArray();
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] data) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, data.length, 0, 0, 0100644, 0));
        ar.write(data);
        ar.closeArchiveEntry();
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                entry.setMode(0100644);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
