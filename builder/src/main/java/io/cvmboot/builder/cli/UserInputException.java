package io.cvmboot.builder.cli;

/** Unusable input given to a command (exit code 2). The message names the input. */
public class UserInputException extends Exception {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
