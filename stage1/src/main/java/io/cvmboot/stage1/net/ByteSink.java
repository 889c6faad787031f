package io.cvmboot.stage1.net;

import java.io.IOException;

/** Where downloaded bytes go (a sealed-to-be memfd, a file, nowhere). */
@FunctionalInterface
public interface ByteSink {
    void write(byte[] buffer, int offset, int length) throws IOException;

    ByteSink DISCARD = (b, o, n) -> {};
}
