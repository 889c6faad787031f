package io.cvmboot.builder.boot.stage1;

import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.InitrdBuilder;
import io.cvmboot.initrd.InitrdImage;
import io.cvmboot.stage1.packaging.Stage1Layout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * An initrd with nothing but stage1: the image Maven built, the glibc files the JVM loads (from
 * the host's Debian bookworm libc6 here; the builder takes them from the pinned .deb), the virtio
 * NIC modules of the test kernel and {@code /stage1/init.properties}. No shell, no busybox.
 */
public final class Stage1Initrd {
    /** virtio-net and what it needs, dependencies first (the modules' depends= fields; docs/qemu.md). */
    static final List<String> NIC_MODULES = List.of(
            "kernel/drivers/virtio/virtio_ring.ko",
            "kernel/drivers/virtio/virtio.ko",
            "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
            "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
            "kernel/drivers/virtio/virtio_pci.ko",
            "kernel/net/core/failover.ko",
            "kernel/drivers/net/net_failover.ko",
            "kernel/drivers/net/virtio_net.ko");

    private Stage1Initrd() {}

    /**
     * With {@code dhcp}, stage1 asks QEMU's DHCP server for its address; otherwise it sets the static
     * address of QemuSpec.Builder.metadataServer's network (docs/qemu.md): 169.254.0.15/16 via 169.254.0.2.
     */
    public static byte[] build(Path imageRoot, boolean dhcp) throws Exception {
        Stage1Image.check(imageRoot);
        InitrdBuilder b = new InitrdBuilder().addTree(imageRoot);
        for (String dir : List.of("/dev", "/proc", "/sys", "/tmp", "/etc", "/lib", "/lib64", "/lib/x86_64-linux-gnu")) {
            b.addDirectory(dir, 0755);
        }
        b.addCharDevice("/dev/console", 0600, 5, 1);
        for (String lib : Stage1Layout.GLIBC_LIBRARIES) {
            Path host = Path.of(lib);
            Assumptions.assumeTrue(Files.isRegularFile(host), "host glibc file " + lib + " absent (not Debian bookworm?)");
            b.addFile(lib, 0755, Files.readAllBytes(host.toRealPath()));
        }
        for (var link : Stage1Layout.SYMLINKS.entrySet()) {
            b.addSymlink(link.getKey(), link.getValue());
        }
        StringBuilder modules = new StringBuilder();
        for (String m : NIC_MODULES) {
            String inInitrd = "/lib/modules/" + TestKernel.RELEASE + "/" + m;
            addParents(b, inInitrd);
            b.addFile(inInitrd, 0644, Files.readAllBytes(TestKernel.module(m)));
            modules.append(modules.isEmpty() ? "" : ",").append(inInitrd);
        }
        String init = "modules=" + modules + (dhcp ? "\naddress=dhcp\n"
                : "\naddress=169.254.0.15/16\ngateway=169.254.0.2\ndns=169.254.0.3\n");
        b.addFile(Stage1Layout.INIT_CONFIG, 0644, init.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InitrdImage.of(b.build(), Compression.ZSTD).write(out);
        return out.toByteArray();
    }

    private static void addParents(InitrdBuilder b, String file) throws Exception {
        String[] parts = file.split("/");
        StringBuilder p = new StringBuilder();
        for (int i = 1; i < parts.length - 1; i++) {
            p.append('/').append(parts[i]);
            b.addDirectory(p.toString(), 0755);
        }
    }
}
