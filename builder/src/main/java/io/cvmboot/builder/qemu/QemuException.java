package io.cvmboot.builder.qemu;

/** QEMU or swtpm could not be started or failed outside the guest. */
public class QemuException extends Exception {
    public QemuException(String message) {
        super(message);
    }

    public QemuException(String message, Throwable cause) {
        super(message, cause);
    }
}
