package io.cvmboot.builder.deb;

import java.io.IOException;

/**
 * A mirror that could not deliver a package: unreachable, an HTTP error status, or a body that broke
 * off. The message names the package and the URL. Nothing is left in the cache.
 */
public class MirrorException extends IOException {
    public MirrorException(String message) {
        super(message);
    }

    public MirrorException(String message, Throwable cause) {
        super(message, cause);
    }
}
