package io.cvmboot.stage1.tpm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Raw TPM commands over TCP, as swtpm's {@code --server type=tcp} accepts them (no simulator
 * framing). For tests and for running stage1 against a software TPM on a host.
 */
public final class TcpTransport implements TpmTransport {
    private static final int MAX_RESPONSE = 1 << 16;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private TcpTransport(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static TcpTransport connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(30_000);
        s.setTcpNoDelay(true);
        return new TcpTransport(s);
    }

    @Override
    public byte[] transmit(byte[] command) throws IOException {
        out.write(command);
        out.flush();
        byte[] header = new byte[10];
        in.readFully(header);
        int size = ByteBuffer.wrap(header, 2, 4).getInt();
        if (size < 10 || size > MAX_RESPONSE) {
            throw new IOException("TPM over TCP: response size field " + size + " out of range 10.." + MAX_RESPONSE);
        }
        byte[] response = new byte[size];
        System.arraycopy(header, 0, response, 0, 10);
        in.readFully(response, 10, size - 10);
        return response;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
