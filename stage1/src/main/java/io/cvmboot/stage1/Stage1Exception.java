package io.cvmboot.stage1;

/**
 * stage1 cannot go on: a config, download, TPM answer or system call was not what it must be. The
 * message names the input, what was expected and what was found; causes are chained.
 */
public class Stage1Exception extends Exception {
    public Stage1Exception(String message) {
        super(message);
    }

    public Stage1Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
