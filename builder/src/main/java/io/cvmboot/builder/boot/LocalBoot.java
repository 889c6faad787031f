package io.cvmboot.builder.boot;

import io.cvmboot.builder.FileTrees;
import io.cvmboot.builder.build.OutputLayout;
import io.cvmboot.builder.cli.UserInputException;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.QemuException;
import io.cvmboot.builder.qemu.QemuSpec;
import io.cvmboot.builder.qemu.Swtpm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Boots a build's output directory the way a cloud would: OVMF loads uki.efi from an ESP, a swtpm
 * is the vTPM, and the metadata service hands stage1 its config and stage2.
 */
public final class LocalBoot {
    private final Path out;
    private final String accel;
    private final int memoryMiB;
    private final MetadataServer.Cloud cloud;

    public LocalBoot(Path out, String accel, int memoryMiB, MetadataServer.Cloud cloud) {
        this.out = out;
        this.accel = accel;
        this.memoryMiB = memoryMiB;
        this.cloud = cloud;
    }

    /** Boots, streaming serial lines to {@code onLine} and progress messages to {@code progress}. */
    public BootResult run(Duration timeout, Predicate<String> stopWhen, Consumer<String> onLine, Consumer<String> progress)
            throws IOException, InterruptedException, QemuException, UserInputException {
        Path uki = require(OutputLayout.UKI);
        Path firmware = require(OutputLayout.FIRMWARE);
        byte[] config = Files.readAllBytes(require(OutputLayout.STAGE1_CONFIG));
        Path stage2File = out.resolve(OutputLayout.STAGE2);
        byte[] stage2 = Files.isRegularFile(stage2File) ? Files.readAllBytes(stage2File) : null;

        Path work = Files.createTempDirectory("cvmboot-boot-");
        try (MetadataServer metadata = MetadataServer.start(cloud, config, stage2);
                Swtpm tpm = Swtpm.start(work.resolve("tpm"))) {
            Path esp = Files.createDirectories(work.resolve("esp/EFI/BOOT"));
            Files.copy(uki, esp.resolve("BOOTX64.EFI"));
            QemuSpec spec = QemuSpec.builder()
                    .bios(firmware)
                    .esp(work.resolve("esp"))
                    .tpm(tpm)
                    .metadataServer(metadata.port())
                    .accel(accel)
                    .memoryMiB(memoryMiB)
                    .build();
            progress.accept("boot: " + OutputLayout.UKI + " via " + OutputLayout.FIRMWARE + ", swtpm, "
                    + cloud + " metadata service on 127.0.0.1:" + metadata.port() + " (169.254.169.254 in the guest), accel "
                    + accel);
            BootResult r = Qemu.boot(spec, timeout, stopWhen, onLine);
            for (String request : metadata.requests()) {
                progress.accept("metadata service: " + request);
            }
            return r;
        } finally {
            FileTrees.delete(work);
        }
    }

    private Path require(String name) throws UserInputException {
        Path p = out.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new UserInputException(out + ": no " + name + " (is this a builder build output directory?)");
        }
        return p;
    }
}
