package io.cvmboot.builder.build;

/** An input of a build that cannot be used: missing, wrong digest, not what it should be. */
public class BuildInputException extends Exception {
    public BuildInputException(String message) {
        super(message);
    }

    public BuildInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
