package io.cvmboot.builder.build;

import io.cvmboot.builder.spec.BuildSpec;
import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.initrd.CpioArchive;
import io.cvmboot.initrd.EntryPath;
import io.cvmboot.initrd.InitrdBuilder;
import io.cvmboot.initrd.InitrdEntry;
import io.cvmboot.initrd.TreeReader;
import io.cvmboot.stage1.init.ModuleEntry;
import io.cvmboot.stage1.packaging.Stage1Layout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes into the initrd and where: the stage1 image (its JVM is PID 1, started by the kernel's
 * rdinit=, so there is no shell in the boot path), the glibc it runs on, the NIC modules and
 * /stage1/init.properties that tells stage1 to load them and how to set up the network, the CA
 * bundle, optionally busybox, and the spec's extras. Every mode is explicit; owners are 0:0 and
 * times SOURCE_DATE_EPOCH (set by the writer).
 */
public final class InitrdLayout {
    static final String MODULE_DIR = "/lib/modules/cvmboot";
    static final String CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    private InitrdLayout() {}

    /**
     * The initrd's inputs.
     *
     * @param stage1 the stage1 image
     * @param libraries shared libraries for the stage1 runtime, placed at their path in the package
     * @param modules NIC driver modules in load order
     * @param network the static network stage1 sets up
     * @param caCertificates PEM certificates, concatenated in order into the CA bundle
     * @param busybox a static busybox for /bin/busybox, or null
     * @param extraFiles further files from the spec
     * @param specFiles gen_init_cpio spec files from the spec
     */
    public record Inputs(Stage1Runtime stage1, List<Library> libraries, List<Module> modules,
            BuildSpec.Network network, List<ResolvedFile> caCertificates, ResolvedFile busybox,
            List<ExtraEntry> extraFiles, List<Path> specFiles) {
        public Inputs {
            libraries = List.copyOf(libraries);
            modules = List.copyOf(modules);
            caCertificates = List.copyOf(caCertificates);
            extraFiles = List.copyOf(extraFiles);
            specFiles = List.copyOf(specFiles);
        }
    }

    /**
     * A kernel module and whether stage1 may go on without it when its hardware is absent
     * (init.properties marks it {@code optional:}; stage1's ModuleFailurePolicy says which failures).
     */
    public record Module(ResolvedFile file, boolean optional) {}

    /** A shared library and its absolute path in the initrd. */
    public record Library(String path, ResolvedFile file) {}

    /** A file the spec adds. */
    public record ExtraEntry(String path, int mode, byte[] bytes) {}

    public static CpioArchive archive(Inputs in) throws ArtefactInputException, IOException {
        InitrdBuilder b = new InitrdBuilder();
        for (String dir : List.of("/dev", "/etc", "/proc", "/sys", "/tmp")) {
            b.addDirectory(dir, 0755);
        }
        // The kernel opens /dev/console for PID 1's stdio before anything can mount devtmpfs.
        b.addCharDevice("/dev/console", 0600, 5, 1);
        b.addCharDevice("/dev/null", 0666, 1, 3);
        for (InitrdEntry e : TreeReader.read(in.stage1().directory(), EntryPath.ROOT, false)) {
            if (in.stage1().ships("/" + e.path().value())) {
                b.add(e);
            }
        }
        for (Library lib : in.libraries()) {
            b.addFile(lib.path(), 0755, lib.file().bytes());
        }
        // The ELF interpreter, and libjli.so where ld.so finds it before /proc exists (Stage1Layout).
        for (var link : Stage1Layout.SYMLINKS.entrySet()) {
            b.addSymlink(link.getKey(), link.getValue());
        }
        List<ModuleEntry> moduleEntries = new ArrayList<>();
        for (Module m : in.modules()) {
            String path = MODULE_DIR + "/" + m.file().fileName();
            moduleEntries.add(new ModuleEntry(path, m.optional()));
            b.addFile(path, 0644, m.file().bytes());
        }
        b.addFile(Stage1Layout.INIT_CONFIG, 0644, initProperties(moduleEntries, in.network()).getBytes(StandardCharsets.UTF_8));
        if (!in.caCertificates().isEmpty()) {
            b.addFile(CA_BUNDLE, 0644, concatenate(in.caCertificates()));
        }
        if (in.busybox() != null) {
            b.addFile("/bin/busybox", 0755, in.busybox().bytes());
        }
        for (ExtraEntry x : in.extraFiles()) {
            b.addFile(x.path(), x.mode(), x.bytes());
        }
        for (Path spec : in.specFiles()) {
            b.addSpec(spec);
        }
        return b.build();
    }

    /**
     * /stage1/init.properties (stage1's NetworkConfig): modules in load order, each written as stage1's
     * {@link ModuleEntry} reads it ({@code PATH} or {@code optional:PATH}), then the network.
     */
    static String initProperties(List<ModuleEntry> modules, BuildSpec.Network net) {
        StringBuilder s = new StringBuilder("# generated by cvmboot builder from the build spec\n");
        if (!modules.isEmpty()) {
            s.append("modules=").append(String.join(",", modules.stream().map(ModuleEntry::toProperty).toList())).append('\n');
        }
        if (net.interfaceName() != null) {
            s.append("interface=").append(net.interfaceName()).append('\n');
        }
        s.append("address=").append(net.address()).append('\n');
        if (net.gateway() != null) {
            s.append("gateway=").append(net.gateway()).append('\n');
        }
        if (!net.dns().isEmpty()) {
            s.append("dns=").append(String.join(",", net.dns())).append('\n');
        }
        return s.toString();
    }

    /** PEM files joined as update-ca-certificates does, each ending in a newline. */
    static byte[] concatenate(List<ResolvedFile> pems) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ResolvedFile f : pems) {
            byte[] bytes = f.bytes();
            out.writeBytes(bytes);
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }
}
