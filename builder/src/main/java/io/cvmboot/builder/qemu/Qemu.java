package io.cvmboot.builder.qemu;

import io.cvmboot.builder.FileTrees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Runs {@code qemu-system-x86_64} on a {@link QemuSpec} and collects the guest's serial console. */
public final class Qemu {
    public static final String BINARY = "qemu-system-x86_64";

    private Qemu() {}

    /** True when qemu-system-x86_64 is on the PATH. */
    public static boolean available() {
        return Tools.onPath(BINARY);
    }

    /** Boots until a serial line matches {@code stopWhen}, QEMU exits, or {@code timeout} elapses. */
    public static BootResult boot(QemuSpec spec, Duration timeout, Predicate<String> stopWhen)
            throws QemuException, IOException, InterruptedException {
        return boot(spec, timeout, stopWhen, line -> {});
    }

    /** As {@link #boot(QemuSpec, Duration, Predicate)}, also handing each serial line to {@code onLine}. */
    public static BootResult boot(QemuSpec spec, Duration timeout, Predicate<String> stopWhen, Consumer<String> onLine)
            throws QemuException, IOException, InterruptedException {
        if (!available()) {
            throw new QemuException(BINARY + " not found on the PATH (Debian: apt-get install qemu-system-x86)");
        }
        Path work = Files.createTempDirectory("cvmboot-qemu-");
        try {
            List<String> command = command(spec, work);
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            process.getOutputStream().close();
            StringBuilder serial = new StringBuilder();
            CountDownLatch done = new CountDownLatch(1);
            AtomicBoolean stopped = new AtomicBoolean();
            Thread reader = Thread.ofPlatform().daemon().name("qemu-serial").start(() -> {
                readLines(process.getInputStream(), line -> {
                    synchronized (serial) {
                        serial.append(line).append('\n');
                    }
                    onLine.accept(line);
                    if (!stopped.get() && stopWhen.test(line)) {
                        stopped.set(true);
                        done.countDown();
                    }
                });
                done.countDown();
            });
            StringBuilder errors = new StringBuilder();
            Thread errReader = Thread.ofPlatform().daemon().name("qemu-stderr").start(
                    () -> readLines(process.getErrorStream(), line -> {
                        synchronized (errors) {
                            errors.append(line).append('\n');
                        }
                    }));
            boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (finished && !stopped.get()) {
                // The console closed: QEMU is exiting (guest powered off or -no-reboot); let it finish.
                process.waitFor(10, TimeUnit.SECONDS);
            }
            int exit = -1;
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } else {
                exit = process.exitValue();
            }
            reader.join(2000);
            errReader.join(2000);
            String serialText;
            synchronized (serial) {
                serialText = serial.toString();
            }
            String errorText;
            synchronized (errors) {
                errorText = errors.toString();
            }
            return new BootResult(serialText, stopped.get(), !finished, exit, errorText, command);
        } finally {
            FileTrees.delete(work);
        }
    }

    /** The QEMU command line for {@code spec}; writable copies (OVMF vars) go into {@code work}. */
    static List<String> command(QemuSpec spec, Path work) throws IOException {
        List<String> c = new ArrayList<>(List.of(BINARY,
                "-machine", "q35" + (spec.secureBoot() ? ",smm=on" : ""),
                "-accel", spec.accel(),
                "-m", Integer.toString(spec.memoryMiB()),
                "-smp", Integer.toString(spec.cpus()),
                "-nodefaults", "-display", "none", "-no-reboot",
                "-serial", "stdio", "-monitor", "none"));
        if (spec.ovmfCode() != null) {
            if (spec.secureBoot()) {
                // Secure Boot builds of OVMF keep their variables in SMM-protected flash.
                c.addAll(List.of("-global", "driver=cfi.pflash01,property=secure,value=on"));
            }
            c.addAll(List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + spec.ovmfCode()));
            if (spec.ovmfVarsTemplate() != null) {
                Path vars = work.resolve("OVMF_VARS.fd");
                Files.copy(spec.ovmfVarsTemplate(), vars);
                c.addAll(List.of("-drive", "if=pflash,format=raw,unit=1,file=" + vars));
            }
        }
        if (spec.bios() != null) {
            c.addAll(List.of("-bios", spec.bios().toString()));
        }
        if (spec.esp() != null) {
            // vvfat exposes the directory as a read-only FAT disk; nothing is written back.
            c.addAll(List.of("-drive", "if=none,id=esp,format=raw,readonly=on,file=fat:" + spec.esp(),
                    "-device", "virtio-blk-pci,drive=esp,bootindex=1"));
        }
        if (spec.kernel() != null) {
            c.addAll(List.of("-kernel", spec.kernel().toString()));
            if (spec.initrd() != null) {
                c.addAll(List.of("-initrd", spec.initrd().toString()));
            }
            if (spec.append() != null) {
                c.addAll(List.of("-append", spec.append()));
            }
        }
        if (spec.tpmSocket() != null) {
            c.addAll(List.of("-chardev", "socket,id=chrtpm,path=" + spec.tpmSocket(),
                    "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                    "-device", "tpm-crb,tpmdev=tpm0"));
        }
        if (spec.network()) {
            StringBuilder netdev = new StringBuilder("user,id=net0");
            for (String rule : spec.netRules()) {
                netdev.append(',').append(rule);
            }
            // romfile= keeps the NIC's iPXE option ROM out: it would add a PXE boot option and events.
            c.addAll(List.of("-netdev", netdev.toString(), "-device", "virtio-net-pci,netdev=net0,romfile="));
        }
        c.addAll(spec.extraArgs());
        return List.copyOf(c);
    }

    private static void readLines(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(stripControl(line));
            }
        } catch (IOException e) {
            // The process went away; what was read is kept.
        }
    }

    /** Serial consoles end lines with CR LF and firmware emits terminal escapes; keep the text. */
    static String stripControl(String line) {
        String s = line.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        return s.substring(0, end).replace("\r", "");
    }
}
