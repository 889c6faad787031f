package io.cvmboot.builder.build;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.initrd.CpioArchive;
import io.cvmboot.initrd.InitrdBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes into the initrd and where: /init and its udhcpc hook, busybox, the NIC modules, the
 * glibc libraries and CA bundle of the stage1 runtime, the runtime itself, and the spec's extras.
 * Every entry's mode is explicit; owners are 0:0 and times SOURCE_DATE_EPOCH (set by the writer).
 */
public final class InitrdLayout {
    static final String LIB_DIR = "/lib/x86_64-linux-gnu";
    static final String LOADER_LINK = "/lib64/ld-linux-x86-64.so.2";
    static final String CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    private InitrdLayout() {}

    /**
     * The initrd's inputs.
     *
     * @param busybox the static busybox for /init
     * @param modules NIC driver modules in load order
     * @param libraries shared libraries for the stage1 runtime
     * @param caCertificates PEM certificates, concatenated in order into the CA bundle
     * @param stage1 the stage1 runtime tree and command, or null for an initrd without stage1
     * @param extraFiles further files from the spec (path in the initrd, octal mode, contents)
     * @param specFiles gen_init_cpio spec files from the spec
     */
    public record Inputs(ResolvedFile busybox, List<ResolvedFile> modules, List<ResolvedFile> libraries,
            List<ResolvedFile> caCertificates, Stage1Runtime stage1, List<ExtraEntry> extraFiles, List<Path> specFiles) {
        public Inputs {
            modules = List.copyOf(modules);
            libraries = List.copyOf(libraries);
            caCertificates = List.copyOf(caCertificates);
            extraFiles = List.copyOf(extraFiles);
            specFiles = List.copyOf(specFiles);
        }
    }

    /** A file the spec adds. */
    public record ExtraEntry(String path, int mode, byte[] bytes) {}

    public static CpioArchive archive(Inputs in) throws ArtefactInputException, IOException {
        InitrdBuilder b = new InitrdBuilder();
        for (String dir : List.of("/bin", "/dev", "/etc", "/lib", "/proc", "/run", "/sys", "/tmp")) {
            b.addDirectory(dir, dir.equals("/tmp") ? 01777 : 0755);
        }
        // The kernel opens /dev/console for init's stdio before /init can mount devtmpfs.
        b.addCharDevice("/dev/console", 0600, 5, 1);
        b.addCharDevice("/dev/null", 0666, 1, 3);
        b.addFile("/bin/busybox", 0755, in.busybox().bytes());
        b.addSymlink("/bin/sh", "busybox");

        List<String> moduleNames = new ArrayList<>();
        for (ResolvedFile m : in.modules()) {
            moduleNames.add(m.fileName());
            b.addFile(InitScript.MODULE_DIR + "/" + m.fileName(), 0644, m.bytes());
        }
        for (ResolvedFile lib : in.libraries()) {
            b.addFile(LIB_DIR + "/" + lib.fileName(), 0755, lib.bytes());
            if (lib.fileName().equals("ld-linux-x86-64.so.2")) {
                b.addSymlink(LOADER_LINK, LIB_DIR + "/ld-linux-x86-64.so.2");
            }
        }
        if (!in.caCertificates().isEmpty()) {
            b.addFile(CA_BUNDLE, 0644, concatenate(in.caCertificates()));
        }
        List<String> command = List.of("/bin/busybox", "sh", "-c", "echo 'cvmboot-init: no stage1 in this initrd'; exec /bin/busybox sh");
        if (in.stage1() != null) {
            b.addTree(in.stage1().directory(), in.stage1().prefix());
            command = in.stage1().command();
        }
        b.addFile("/init", 0755, InitScript.init(moduleNames, command).getBytes(StandardCharsets.UTF_8));
        b.addFile(InitScript.UDHCPC_SCRIPT, 0755, InitScript.udhcpcScript().getBytes(StandardCharsets.UTF_8));
        for (ExtraEntry x : in.extraFiles()) {
            b.addFile(x.path(), x.mode(), x.bytes());
        }
        for (Path spec : in.specFiles()) {
            b.addSpec(spec);
        }
        return b.build();
    }

    /** PEM files joined as update-ca-certificates does, each ending in a newline. */
    static byte[] concatenate(List<ResolvedFile> pems) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ResolvedFile f : pems) {
            byte[] b = f.bytes();
            out.writeBytes(b);
            if (b.length > 0 && b[b.length - 1] != '\n') {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }
}
