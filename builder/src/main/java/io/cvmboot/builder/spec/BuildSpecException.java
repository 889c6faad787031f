package io.cvmboot.builder.spec;

/** A build spec that cannot be used; the message names the spec and the field. */
public class BuildSpecException extends Exception {
    public BuildSpecException(String message) {
        super(message);
    }

    public BuildSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
