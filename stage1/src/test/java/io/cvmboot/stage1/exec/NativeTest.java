package io.cvmboot.stage1.exec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.stage1.Stage1Exception;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PID-1 calls cannot do their real work on a test host, but their bindings (argument types,
 * errno capture) are exercised through calls the kernel refuses without side effects.
 */
class NativeTest {

    @Test
    void mount_unknownFileSystem_failsWithErrno(@TempDir Path dir) {
        Stage1Exception e = assertThrows(Stage1Exception.class,
                () -> Native.mount("none", dir.toString(), "cvmboot-no-such-fs", Native.MS_NOSUID, null));
        assertTrue(e.getMessage().contains("mount(cvmboot-no-such-fs on " + dir + ") failed: errno"), e.getMessage());
        assertThrows(Stage1Exception.class,
                () -> Native.mount("none", dir.toString(), "cvmboot-no-such-fs", 0, "mode=0700"));
    }

    @Test
    void finitModule_notAModule_failsWithErrno(@TempDir Path dir) throws Exception {
        Path notKo = java.nio.file.Files.writeString(dir.resolve("x.ko"), "not an ELF module");
        Stage1Exception e = assertThrows(Stage1Exception.class, () -> Native.finitModule(notKo.toString()));
        assertTrue(e.getMessage().startsWith("finit_module(" + notKo + ") failed: errno"), e.getMessage());
        e = assertThrows(Stage1Exception.class, () -> Native.finitModule(dir.resolve("absent.ko").toString()));
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
    }

    @Test
    void finitModule_refusal_carriesTheErrno_butAnUnopenableFileDoesNot(@TempDir Path dir) throws Exception {
        Path notKo = java.nio.file.Files.writeString(dir.resolve("x.ko"), "not an ELF module");
        // ENOEXEC where the kernel parses the file, EPERM without CAP_SYS_MODULE, ENOSYS in a sandbox
        // that filters the call: whichever, the exception carries the kernel's answer.
        Native.FinitModuleException refused = assertThrows(Native.FinitModuleException.class,
                () -> Native.finitModule(notKo.toString()));
        assertTrue(refused.errno() > 0, "errno " + refused.errno());
        assertTrue(refused.getMessage().contains("failed: errno " + refused.errno() + " "), refused.getMessage());
        assertTrue(refused.path().equals(notKo.toString()), refused.path());
        // A missing file is a broken initrd, not a refusal the caller may tolerate.
        Stage1Exception missing = assertThrows(Stage1Exception.class, () -> Native.finitModule(dir.resolve("absent.ko").toString()));
        assertTrue(!(missing instanceof Native.FinitModuleException), missing.getMessage());
    }

    @Test
    void ioctl_unknownInterface_failsWithErrno() throws Exception {
        Stage1Exception e = assertThrows(Stage1Exception.class, () -> io.cvmboot.stage1.init.InterfaceSetupAccess.up("cvmboot-none"));
        assertTrue(e.getMessage().contains("SIOCGIFFLAGS(cvmboot-none) failed: errno 19"), e.getMessage());
    }

    @Test
    void execveat_notExecutable_returnsTheFailure() throws Exception {
        try (SealedExecutable exe = SealedExecutable.create("not-elf")) {
            byte[] junk = "not an executable".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            exe.sink().write(junk, 0, junk.length);
            exe.seal();
            // execveat on a non-executable format fails and returns; the test JVM keeps running.
            Stage1Exception e = Native.execveat(exe.fd(), java.util.List.of("x"), java.util.List.of());
            assertTrue(e.getMessage().contains("ENOEXEC"), e.getMessage());
        }
    }
}
