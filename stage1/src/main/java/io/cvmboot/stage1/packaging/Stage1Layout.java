package io.cvmboot.stage1.packaging;

import java.nio.file.Path;
import java.util.List;

/**
 * Where stage1 lives in the initrd and how the kernel starts it, for the builder that assembles
 * the initrd. Maven's {@code package} phase of this module produces {@link #IMAGE_DIRECTORY} under
 * the module's build directory; its tree is copied into the initrd as is under {@code /}.
 *
 * <pre>
 * /stage1/runtime/       jlink'd java.base runtime (bin/java, lib/, lib/server/libjvm.so, lib/modules)
 * /stage1/lib/stage1.jar + measure.jar + jackson-core.jar (Class-Path in stage1.jar's manifest)
 * /stage1/stage1.aot     AOT cache from a training run with the same runtime and flags
 * </pre>
 *
 * <p>The JVM needs glibc: the files of {@link #GLIBC_LIBRARIES}, taken from the pinned Debian
 * {@code libc6} .deb (bookworm 2.36-9+deb12u*), at the same paths in the initrd, plus the symlink
 * the {@link #SYMLINKS} (ELF interpreter, libjli.so). Also wanted: {@code /etc/ssl/certs/ca-certificates.crt}
 * (Debian {@code ca-certificates}) for https stage2 URLs, and {@code /stage1/init.properties} naming
 * the NIC modules and the address.
 */
public final class Stage1Layout {
    /** Relative to the stage1 module's build directory (target or target-NAME). */
    public static final String IMAGE_DIRECTORY = "image";
    public static final String RUNTIME = "/stage1/runtime";
    public static final String JAVA = RUNTIME + "/bin/java";
    public static final String JAR = "/stage1/lib/stage1.jar";
    public static final String AOT_CACHE = "/stage1/stage1.aot";
    /** JIT commands (src/image/compile-commands): the SHA intrinsics' callers compiled at first use. */
    public static final String COMPILE_COMMANDS = "/stage1/compile-commands";
    public static final String INIT_CONFIG = "/stage1/init.properties";

    /**
     * JVM flags of every start. The AOT cache is only used by a JVM with the same GC and module
     * options as its training run (SerialGC: smallest footprint). The heap stays small whatever the
     * VM's memory: stage1 holds at most a 1 MiB config and four 1 MiB download buffers, and a
     * bounded heap keeps peak RSS under 64 MiB while streaming a 1 GiB stage2 (stage1/bench). The
     * JIT compiles late except for hashing ({@link #COMPILE_COMMANDS}, which says why).
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx48m",
            "-XX:CompileThresholdScaling=10", "-XX:CompileCommandFile=" + COMPILE_COMMANDS, "-XX:AOTCache=" + AOT_CACHE);

    /** glibc files bin/java and libjvm.so load (ldd), as paths inside Debian bookworm's libc6 package. */
    public static final List<String> GLIBC_LIBRARIES = List.of(
            "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/lib/x86_64-linux-gnu/libdl.so.2",
            "/lib/x86_64-linux-gnu/libm.so.6",
            "/lib/x86_64-linux-gnu/libpthread.so.0",
            "/lib/x86_64-linux-gnu/librt.so.1");
    /** The ELF interpreter path; a symlink to the libc6 file above. */
    public static final String ELF_INTERPRETER = "/lib64/ld-linux-x86-64.so.2";

    /**
     * Symlinks the initrd needs (path → target). bin/java finds libjli.so through its RUNPATH
     * {@code $ORIGIN/../lib}, and ld.so resolves $ORIGIN by reading /proc/self/exe, which is not
     * mounted when the kernel starts init; a link in ld.so's built-in search directory finds it
     * without /proc. (The launcher then locates the runtime from argv[0], which is absolute.)
     */
    public static final java.util.Map<String, String> SYMLINKS = java.util.Map.of(
            ELF_INTERPRETER, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            "/lib/x86_64-linux-gnu/libjli.so", RUNTIME + "/lib/libjli.so");

    private Stage1Layout() {}

    /** The image directory Maven built, given the stage1 module's build directory. */
    public static Path imageDirectory(Path stage1BuildDirectory) {
        return stage1BuildDirectory.resolve(IMAGE_DIRECTORY);
    }

    /**
     * The kernel command-line fragment that makes the JVM PID 1 with stage1 as its program. The
     * kernel passes everything after {@code --} to init as arguments (Documentation/admin-guide/
     * kernel-parameters.rst); no shell and no launcher binary are needed.
     */
    public static String kernelCommandLine() {
        return "rdinit=" + JAVA + " -- " + String.join(" ", JVM_FLAGS) + " -jar " + JAR;
    }
}
