package io.cvmboot.builder.qemu;

import java.util.List;

/**
 * The outcome of a QEMU run.
 *
 * @param serial everything the guest wrote to its serial console, lines joined with '\n'
 * @param stopped the stop condition matched a serial line (QEMU was then terminated)
 * @param timedOut the timeout elapsed first (QEMU was then killed)
 * @param exitCode QEMU's exit code, or -1 when it was terminated by us
 * @param qemuErrors what QEMU itself printed on stderr
 * @param command the QEMU command line, for error messages
 */
public record BootResult(
        String serial, boolean stopped, boolean timedOut, int exitCode, String qemuErrors, List<String> command) {

    public BootResult {
        command = List.copyOf(command);
    }

    public List<String> serialLines() {
        return serial.lines().toList();
    }
}
