package io.cvmboot.builder.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader on the real pinned packages of the default build, cross-checked with dpkg-deb (an
 * independent reader): the full listing (type, mode, path, link) and the bytes of the members the
 * default spec uses. Needs the packages in the download cache ({@code builder build} or
 * {@code apt-get download} + copy, see docs/packages.md; override with CVMBOOT_DEB_CACHE) and
 * dpkg-deb; skips otherwise.
 */
class RealPackagesTest {

    static Stream<Arguments> pinnedPackages() {
        return Stream.of(
                Arguments.of(pin("linux-image-6.1.0-56-cloud-amd64", "6.1.192-2", "amd64",
                        "e7d02b943971edcb8790e256c02cfab3bca6c3d37c1bf25392a57c71300615ee"),
                        List.of("boot/vmlinuz-6.1.0-56-cloud-amd64",
                                "lib/modules/6.1.0-56-cloud-amd64/kernel/drivers/net/virtio_net.ko")),
                Arguments.of(pin("busybox-static", "1:1.35.0-4+deb12u1+b1", "amd64",
                        "3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744"), List.of("bin/busybox")),
                Arguments.of(pin("ovmf", "2022.11-6+deb12u2", "all",
                        "e73d3d1a8799f7f6fc16b73501d913edcdd86237556fbff30693e747e6dc262e"), List.of("usr/share/ovmf/OVMF.fd")),
                Arguments.of(pin("libc6", "2.36-9+deb12u14", "amd64",
                        "ba4f88f73dbc3ae9055f3c20f4523bfdbaf1ad13ff95e258924f77d20b4fbedf"),
                        List.of("lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")),
                Arguments.of(pin("systemd-boot-efi", "252.39-1~deb12u2", "amd64",
                        "8f2b81bdcfafc466882a0cae460272dbf10d8d97c6a3c1c6ea33038c155a2f5e"),
                        List.of("usr/lib/systemd/boot/efi/linuxx64.efi.stub")),
                Arguments.of(pin("ca-certificates", "20250419~deb12u2", "all",
                        "b9f76b5271a7ac373fd5e7e1b5b826a71ddd702b42a0d104955ecb1acfffc94b"),
                        List.of("usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt")));
    }

    private static PackagePin pin(String name, String version, String arch, String sha256) {
        return PackagePin.of(name, version, arch, sha256, null);
    }

    @ParameterizedTest
    @MethodSource("pinnedPackages")
    void listingAndMembers_matchDpkgDeb(PackagePin pin, List<String> members) throws Exception {
        String override = System.getenv("CVMBOOT_DEB_CACHE");
        DebCache cache = override != null ? new DebCache(Path.of(override)) : DebCache.ofUser();
        Path file = cache.entryFor(pin);
        assumeTrue(Files.isRegularFile(file), "pinned package not in the download cache: " + file
                + " (run `bin/builder build` once, or see docs/packages.md)");
        assumeTrue(dpkgDebAvailable(), "dpkg-deb not installed: no independent reader to compare with");
        assertEquals(pin.sha256(), DebCache.sha256(file), "cache entry " + file);

        DebPackage deb = DebArchive.read(new FetchedPackage(pin, file, Files.size(file), true), DebArchive.paths(members));
        List<String> ours = deb.files().entries().stream().map(RealPackagesTest::describe).toList();
        assertEquals(dpkgListing(file), ours);
        for (String member : members) {
            byte[] expected = run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - \"./$1\"",
                    file.toString(), deb.files().resolve(member).path()));
            assertEquals(Digest.compute(HashAlgorithm.SHA256, expected).hex(),
                    Digest.compute(HashAlgorithm.SHA256, deb.files().read(member)).hex(), member);
        }
    }

    /** "l 777 usr/lib/x -> target" */
    private static String describe(DebEntry e) {
        char type = switch (e.type()) {
            case FILE -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case HARD_LINK -> 'h';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case FIFO -> 'p';
        };
        String link = e.linkTarget() == null ? "" : (e.type() == DebEntryType.SYMLINK ? " -> " : " link to ") + e.linkTarget();
        return type + " " + Integer.toOctalString(e.permissions()) + " " + e.path() + link;
    }

    /** `dpkg-deb -c` in the same form, sorted like {@link DebFileTree#entries()}. */
    private static List<String> dpkgListing(Path deb) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : new String(run(List.of("dpkg-deb", "-c", deb.toString())), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // drwxr-xr-x root/root         0 2025-05-01 12:00 ./usr/
            String[] f = line.split("\\s+", 6);
            String name = f[5];
            String link = "";
            int arrow = name.indexOf(" -> ");
            int hard = name.indexOf(" link to ");
            if (arrow >= 0) {
                link = name.substring(arrow);
                name = name.substring(0, arrow);
            } else if (hard >= 0) {
                link = " link to " + DebFileTree.normalise(name.substring(hard + 9));
                name = name.substring(0, hard);
            }
            name = DebFileTree.normalise(name);
            if (!name.isEmpty()) {
                out.add(f[0].charAt(0) + " " + Integer.toOctalString(mode(f[0])) + " " + name + link);
            }
        }
        out.sort((a, b) -> DebFileTree.UTF8_ORDER.compare(a.split(" ", 3)[2].split(" (->|link to) ")[0],
                b.split(" ", 3)[2].split(" (->|link to) ")[0]));
        return out;
    }

    /** "-rwsr-xr-x" → 04755 */
    private static int mode(String perms) {
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            char c = perms.charAt(1 + i);
            if (c != '-' && c != 'S' && c != 'T') {
                mode |= 1 << (8 - i);
            }
        }
        if ("sS".indexOf(perms.charAt(3)) >= 0) {
            mode |= 04000;
        }
        if ("sS".indexOf(perms.charAt(6)) >= 0) {
            mode |= 02000;
        }
        if ("tT".indexOf(perms.charAt(9)) >= 0) {
            mode |= 01000;
        }
        return mode;
    }

    private static boolean dpkgDebAvailable() {
        try {
            run(List.of("dpkg-deb", "--version"));
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static byte[] run(List<String> command) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("LC_ALL", "C.UTF-8", "TZ", "UTC"));
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (p.waitFor() != 0) {
            throw new IOException(command + " exited with " + p.exitValue());
        }
        return out;
    }
}
