package io.cvmboot.measure;

/**
 * Bad input to a measurement: a firmware, PE image, event log or report that cannot be used. The
 * message names the input, what was expected and what was found.
 */
public class MeasureException extends Exception {
    public MeasureException(String message) {
        super(message);
    }

    public MeasureException(String message, Throwable cause) {
        super(message, cause);
    }
}
