package io.cvmboot.builder.deb;

/**
 * A Debian package that cannot be used: a pin that does not match what was downloaded, a .deb that
 * is malformed or lacks a requested file, an archive signature that does not verify. The message
 * names the package and what was expected and found; it is bad input (exit code 2), not a failure
 * of the network.
 */
public class PackageException extends Exception {
    public PackageException(String message) {
        super(message);
    }

    public PackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
