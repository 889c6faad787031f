package io.cvmboot.stage1.tpm;

import java.io.IOException;

/** Sends one marshalled TPM 2.0 command and returns the whole response. */
public interface TpmTransport extends AutoCloseable {
    byte[] transmit(byte[] command) throws IOException;

    @Override
    void close() throws IOException;
}
