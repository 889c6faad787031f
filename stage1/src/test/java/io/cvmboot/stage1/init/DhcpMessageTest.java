package io.cvmboot.stage1.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DhcpMessageTest {
    static final byte[] MAC = {2, 0, 0, 0, 0, 1};

    @Test
    void discover_layoutPerRfc2131() {
        ByteBuffer b = ByteBuffer.wrap(DhcpMessage.discover(0x01020304, MAC));
        assertEquals(1, b.get(0)); // BOOTREQUEST
        assertEquals(0x01020304, b.getInt(4));
        assertEquals((short) 0x8000, b.getShort(10));
        assertEquals(0x63825363, b.getInt(236));
        assertEquals(53, b.get(240));
        assertEquals(DhcpMessage.DISCOVER, b.get(242));
        assertEquals(300, b.capacity());
    }

    @Test
    void parse_otherTransactionIgnored_truncatedOptionRejected() throws IOException {
        byte[] reply = DhcpMessage.discover(7, MAC);
        reply[0] = 2;
        reply[242] = DhcpMessage.OFFER;
        assertEquals(DhcpMessage.OFFER, DhcpMessage.parse(reply, 7, MAC).type());
        assertNull(DhcpMessage.parse(reply, 8, MAC), "another xid is not ours");
        byte[] truncated = java.util.Arrays.copyOf(reply, 250);
        truncated[243] = 50;
        truncated[244] = 40; // claims 40 bytes, 5 left
        assertThrows(IOException.class, () -> DhcpMessage.parse(truncated, 7, MAC));
    }

    @Test
    void prefixLength_contiguousOnly() throws IOException {
        assertEquals(24, DhcpMessage.prefixLength(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}));
        assertEquals(16, DhcpMessage.prefixLength(new byte[] {(byte) 255, (byte) 255, 0, 0}));
        assertThrows(IOException.class, () -> DhcpMessage.prefixLength(new byte[] {(byte) 255, 0, (byte) 255, 0}));
    }
}
