package io.cvmboot.stage1.net;

import java.io.IOException;

/** A response body was (or announced to be) larger than the caller's limit. */
public final class BodyTooLargeException extends IOException {
    public BodyTooLargeException(String what, long limit, String found) {
        super(what + ": expected at most " + limit + " bytes, got " + found);
    }
}
