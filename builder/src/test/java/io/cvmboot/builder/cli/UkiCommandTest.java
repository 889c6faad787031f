package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.builder.Main;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.pe.PeSection;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builder uki} and {@code builder uki inspect} through {@link Main#run}. The stub is Debian's
 * installed systemd-stub 252 (package systemd-boot-efi); it also serves as a small PE "kernel".
 */
class UkiCommandTest {
    static final Path STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");

    @TempDir
    Path dir;

    Path osRelease;
    Path initrd;

    record Run(int exit, String out, String err) {}

    static Run builder(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void inputs() throws Exception {
        assumeTrue(Files.isRegularFile(STUB), "systemd-stub absent at " + STUB + " (Debian: apt-get install systemd-boot-efi)");
        osRelease = Files.writeString(dir.resolve("os-release"), "ID=cvmboot-test\n", StandardCharsets.UTF_8);
        initrd = Files.write(dir.resolve("initrd.img"), "070701 not really an initrd".getBytes(StandardCharsets.US_ASCII));
    }

    private List<String> ukiArgs(Path stub, Path linux, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("uki", "--stub", stub.toString(), "--linux", linux.toString(),
                "--initrd", initrd.toString(), "--cmdline", "console=ttyS0  quiet", "--os-release", osRelease.toString(),
                "-o", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    @Test
    void uki_writesUki_printsSha256AndPath() throws Exception {
        Path out = dir.resolve("uki.efi");
        Run r = builder(ukiArgs(STUB, STUB, out, "--uname", "6.1.0-test").toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        byte[] bytes = Files.readAllBytes(out);
        assertEquals(Digest.compute(HashAlgorithm.SHA256, bytes).hex() + "  " + out + "\n", r.out());
        assertTrue(r.err().contains("sections .text .reloc .data .dynamic .rela .dynsym .sbat .sdmagic .osrel .cmdline .uname .initrd .linux"),
                r.err());
        PeImage pe = PeImage.parse("uki", bytes);
        assertEquals("console=ttyS0 quiet", text(pe, ".cmdline"));
        assertEquals("6.1.0-test", text(pe, ".uname"));
        assertArrayEquals(Files.readAllBytes(initrd), pe.sectionBytes(pe.section(".initrd").orElseThrow()));
    }

    @Test
    void uki_cmdlineFromFile_keptVerbatim() throws Exception {
        Path cmdline = Files.writeString(dir.resolve("cmdline"), "a  b\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("uki.efi");
        List<String> args = ukiArgs(STUB, STUB, out);
        int at = args.indexOf("--cmdline");
        args.remove(at + 1);
        // The issue's form: "--cmdline @FILE" as two arguments (Main turns off picocli's @-files).
        args.add(at + 1, "@" + cmdline);
        Run r = builder(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertEquals("a  b\n", text(PeImage.parse("uki", Files.readAllBytes(out)), ".cmdline"));

        Path joined = dir.resolve("joined.efi");
        List<String> oneArgument = ukiArgs(STUB, STUB, joined);
        oneArgument.remove(at + 1);
        oneArgument.set(at, "--cmdline=@" + cmdline);
        assertEquals(0, builder(oneArgument.toArray(String[]::new)).exit());
        assertEquals("a  b\n", text(PeImage.parse("uki", Files.readAllBytes(joined)), ".cmdline"));
    }

    @Test
    void inspect_printsSectionsDigestsAndAuthenticode() throws Exception {
        Path out = dir.resolve("uki.efi");
        assertEquals(0, builder(ukiArgs(STUB, STUB, out).toArray(String[]::new)).exit());
        byte[] bytes = Files.readAllBytes(out);
        Run r = builder("uki", "inspect", out.toString());
        assertEquals(0, r.exit(), r.err());
        PeImage pe = PeImage.parse("uki", bytes);
        assertTrue(r.out().contains("authenticode-sha256: " + Authenticode.digest(pe, HashAlgorithm.SHA256).hex()), r.out());
        assertTrue(r.out().contains("authenticode-sha384: " + Authenticode.digest(pe, HashAlgorithm.SHA384).hex()), r.out());
        assertTrue(r.out().contains("sha256: " + Digest.compute(HashAlgorithm.SHA256, bytes).hex()), r.out());
        assertTrue(r.out().contains("signatures: none"), r.out());
        for (PeSection s : pe.sections()) {
            String row = String.format("  %-8s 0x%08x 0x%08x 0x%08x 0x%08x %s", s.name(), s.virtualAddress(), s.virtualSize(),
                    s.pointerToRawData(), s.sizeOfRawData(), Digest.compute(HashAlgorithm.SHA256, pe.sectionBytes(s)).hex());
            assertTrue(r.out().contains(row), "missing row " + row + " in\n" + r.out());
        }
        assertTrue(r.out().contains(".cmdline:\n    console=ttyS0 quiet\n"), r.out());
    }

    @Test
    void uki_signed_verifiedBySbverify_andInspectShowsMatchingSignature() throws Exception {
        assumeTrue(onPath("openssl") && onPath("sbverify"), "needs openssl and sbverify (Debian: openssl, sbsigntool)");
        Path key = dir.resolve("db.key");
        Path cert = dir.resolve("db.crt");
        Run gen = exec(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "3650", "-subj", "/CN=cvmboot uki test");
        assertEquals(0, gen.exit(), gen.out());
        Path out = dir.resolve("signed.efi");
        Run r = builder(ukiArgs(STUB, STUB, out, "--sign-key", key.toString(), "--sign-cert", cert.toString()).toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("signed by CN=cvmboot uki test"), r.err());
        Run verify = exec(dir, "sbverify", "--cert", cert.toString(), out.toString());
        assertEquals(0, verify.exit(), verify.out());
        assertTrue(verify.out().contains("Signature verification OK"), verify.out());
        Run inspect = builder("uki", "inspect", out.toString());
        assertTrue(inspect.out().contains("(matches the image)"), inspect.out());
    }

    // ---- bad input: exit 2, one line naming the input, no output or partial file left behind ----

    @Test
    void uki_nonPeStub_exit2_namesStub_noOutput() throws Exception {
        Path out = dir.resolve("uki.efi");
        Run r = builder(ukiArgs(osRelease, STUB, out).toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("builder uki: stub: not a PE image"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertNoOutput(out);
    }

    @Test
    void uki_nonPeKernel_exit2_namesLinux() throws Exception {
        Path out = dir.resolve("uki.efi");
        Run r = builder(ukiArgs(STUB, initrd, out).toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("builder uki: linux: not a PE image"), r.err());
        assertNoOutput(out);
    }

    @Test
    void uki_stubWithoutHeaderRoom_exit2() throws Exception {
        Path out = dir.resolve("uki.efi");
        Path blob = Files.write(dir.resolve("blob"), new byte[] {1, 2, 3});
        // .osrel .cmdline .initrd .linux + .dtb .splash .pcrpkey .uname = 8 > 7 free header slots.
        Run r = builder(ukiArgs(STUB, STUB, out, "--dtb", blob.toString(), "--splash", blob.toString(),
                "--pcrpkey", blob.toString(), "--uname", "1.0").toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("builder uki: stub: not enough header space to add section"), r.err());
        assertNoOutput(out);
    }

    @Test
    void uki_signedStub_exit2() throws Exception {
        assumeTrue(onPath("openssl") && onPath("sbsign"), "needs openssl and sbsign (Debian: openssl, sbsigntool)");
        Path key = dir.resolve("k.pem");
        Path cert = dir.resolve("c.pem");
        assertEquals(0, exec(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "1", "-subj", "/CN=x").exit());
        Path signedStub = dir.resolve("stub.signed");
        assertEquals(0, exec(dir, "sbsign", "--key", key.toString(), "--cert", cert.toString(), "--output",
                signedStub.toString(), STUB.toString()).exit());
        Path out = dir.resolve("uki.efi");
        Run r = builder(ukiArgs(signedStub, STUB, out).toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("stub: expected an unsigned systemd-stub, found a signed image"), r.err());
        assertNoOutput(out);
    }

    @Test
    void uki_missingInputFile_exit2() throws Exception {
        Path out = dir.resolve("uki.efi");
        Run r = builder(ukiArgs(STUB, dir.resolve("no-such-kernel"), out).toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no such file: " + dir.resolve("no-such-kernel")), r.err());
        assertNoOutput(out);
    }

    @Test
    void uki_missingOptions_exit2_listsThem() {
        Run r = builder("uki", "--stub", STUB.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("missing --linux FILE, --initrd FILE, --cmdline TEXT|@FILE, --os-release FILE, -o OUT"), r.err());
    }

    @Test
    void uki_signKeyWithoutCert_exit2() {
        Run r = builder(ukiArgs(STUB, STUB, dir.resolve("o.efi"), "--sign-key", "k.pem").toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--sign-key and --sign-cert go together"), r.err());
    }

    @Test
    void inspect_nonPe_exit2() {
        Run r = builder("uki", "inspect", osRelease.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("builder uki inspect: " + osRelease + ": not a PE image"), r.err());
    }

    private void assertNoOutput(Path out) throws Exception {
        assertFalse(Files.exists(out), "no output file after a failure");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".partial")), "no partial file left");
        }
    }

    private static String text(PeImage pe, String section) {
        return new String(pe.sectionBytes(pe.section(section).orElseThrow()), StandardCharsets.UTF_8);
    }

    static Run exec(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + String.join(" ", command));
        return new Run(p.exitValue(), out, "");
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
