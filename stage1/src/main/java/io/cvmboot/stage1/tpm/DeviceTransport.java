package io.cvmboot.stage1.tpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The kernel's TPM character device. {@code /dev/tpmrm0} (the in-kernel resource manager) is used,
 * not {@code /dev/tpm0}: transient objects are then private to this open file and flushed by the
 * kernel when it closes, even if stage1 fails half-way.
 */
public final class DeviceTransport implements TpmTransport {
    public static final Path RESOURCE_MANAGER = Path.of("/dev/tpmrm0");
    /** TPM_PT_MAX_RESPONSE_SIZE is 4096 on PC Client TPMs; the kernel buffer is 4096 too. */
    private static final int MAX_RESPONSE = 4096;

    private final FileChannel channel;
    private final Path path;

    private DeviceTransport(FileChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    public static DeviceTransport open(Path device) throws IOException {
        return new DeviceTransport(FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE), device);
    }

    @Override
    public byte[] transmit(byte[] command) throws IOException {
        // The driver takes one command per write() and hands back the whole response in one read();
        // kernels before 5.0 cannot continue a partial read.
        int written = channel.write(ByteBuffer.wrap(command));
        if (written != command.length) {
            throw new IOException(path + ": short write of a TPM command (" + written + " of " + command.length + ")");
        }
        ByteBuffer response = ByteBuffer.allocate(MAX_RESPONSE);
        int n = channel.read(response);
        if (n < 10) {
            throw new IOException(path + ": expected a TPM response of at least 10 bytes, got " + n);
        }
        return Arrays.copyOf(response.array(), n);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
