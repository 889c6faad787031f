package io.cvmboot.stage1.net;

import java.io.IOException;

/** The server answered, but not with 200. */
public final class HttpStatusException extends IOException {
    private final int status;

    public HttpStatusException(String what, int status) {
        super(what + ": expected HTTP 200, got " + status);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Server-side trouble (5xx, 429) may pass; other statuses are answers and will not change. */
    public boolean transientFailure() {
        return status >= 500 || status == 429;
    }
}
