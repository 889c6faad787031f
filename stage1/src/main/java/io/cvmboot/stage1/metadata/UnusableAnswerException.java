package io.cvmboot.stage1.metadata;

import java.io.IOException;

/** The service answered 200 with a body that cannot be what was asked for; asking again will not help. */
public final class UnusableAnswerException extends IOException {
    public UnusableAnswerException(String message) {
        super(message);
    }

    public UnusableAnswerException(String message, Throwable cause) {
        super(message, cause);
    }
}
