package io.cvmboot.builder.boot.stage1;

import io.cvmboot.builder.build.InitrdLayout;
import io.cvmboot.builder.build.ResolvedFile;
import io.cvmboot.builder.build.Stage1Runtime;
import io.cvmboot.builder.spec.BuildSpec;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.initrd.Compression;
import io.cvmboot.initrd.CpioArchive;
import io.cvmboot.initrd.InitrdImage;
import io.cvmboot.stage1.packaging.Stage1Layout;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * An initrd with nothing but stage1, laid out by the builder's {@link InitrdLayout}: the image Maven
 * built, the glibc files the JVM loads (from the host's Debian bookworm libc6 here; the builder takes
 * them from the pinned .deb), the virtio NIC modules of the test kernel and
 * {@code /stage1/init.properties}. No shell, no busybox.
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
        List<InitrdLayout.Library> libraries = new ArrayList<>();
        for (String lib : Stage1Layout.GLIBC_LIBRARIES) {
            Path host = Path.of(lib);
            Assumptions.assumeTrue(Files.isRegularFile(host), "host glibc file " + lib + " absent (not Debian bookworm?)");
            libraries.add(new InitrdLayout.Library(lib, new ResolvedFile("library", lib, Files.readAllBytes(host.toRealPath()))));
        }
        List<InitrdLayout.Module> modules = new ArrayList<>();
        for (String m : NIC_MODULES) {
            modules.add(new InitrdLayout.Module(new ResolvedFile("module", m, Files.readAllBytes(TestKernel.module(m))), false));
        }
        BuildSpec.Network network = dhcp ? BuildSpec.Network.DEFAULT
                : new BuildSpec.Network(null, "169.254.0.15/16", "169.254.0.2", List.of("169.254.0.3"));
        // The builder's own layout, with the AOT cache that this test's command line names.
        CpioArchive archive = InitrdLayout.archive(new InitrdLayout.Inputs(new Stage1Runtime(imageRoot, true), libraries,
                modules, network, List.of(), null, List.of(), List.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InitrdImage.of(archive, Compression.ZSTD).write(out);
        return out.toByteArray();
    }
}
