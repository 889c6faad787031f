package io.cvmboot.initrd;

/**
 * Bad input to an artefact build (initrd or UKI): a spec line, a source file, a PE image. The
 * message names the input, what was expected and what was found.
 */
public class ArtefactInputException extends Exception {
    public ArtefactInputException(String message) {
        super(message);
    }

    public ArtefactInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
