package io.cvmboot.stage1.init;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DHCP messages (RFC 2131, 2: the BOOTP layout; RFC 2132: options) as stage1 sends and reads them:
 * DISCOVER and REQUEST out, OFFER/ACK/NAK in.
 */
final class DhcpMessage {
    // RFC 2132, 9.6 (message types) and the option codes used.
    static final int DISCOVER = 1;
    static final int OFFER = 2;
    static final int REQUEST = 3;
    static final int ACK = 5;
    static final int NAK = 6;
    static final int OPT_SUBNET = 1;
    static final int OPT_ROUTER = 3;
    static final int OPT_DNS = 6;
    static final int OPT_REQUESTED_IP = 50;
    static final int OPT_MESSAGE_TYPE = 53;
    static final int OPT_SERVER_ID = 54;
    static final int OPT_PARAMETERS = 55;
    static final int OPT_END = 255;
    /** RFC 2131, 3: options start with the magic cookie 99.130.83.99. */
    static final int MAGIC_COOKIE = 0x63825363;
    /** Fixed BOOTP part up to the options (RFC 2131, Figure 1). */
    static final int FIXED = 236;
    /** RFC 2131, 2: the BROADCAST flag asks the server to broadcast replies (we have no address yet). */
    static final short FLAG_BROADCAST = (short) 0x8000;

    private DhcpMessage() {}

    static byte[] discover(int xid, byte[] mac) {
        return build(xid, mac, DISCOVER, null, null);
    }

    static byte[] request(int xid, byte[] mac, Inet4Address requested, Inet4Address server) {
        return build(xid, mac, REQUEST, requested, server);
    }

    private static byte[] build(int xid, byte[] mac, int type, Inet4Address requested, Inet4Address server) {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0); // op BOOTREQUEST, htype Ethernet, hlen 6, hops
        b.putInt(xid).putShort((short) 0).putShort(FLAG_BROADCAST);
        b.position(28);
        b.put(mac);
        b.position(FIXED);
        b.putInt(MAGIC_COOKIE);
        b.put((byte) OPT_MESSAGE_TYPE).put((byte) 1).put((byte) type);
        if (requested != null) {
            b.put((byte) OPT_REQUESTED_IP).put((byte) 4).put(requested.getAddress());
        }
        if (server != null) {
            b.put((byte) OPT_SERVER_ID).put((byte) 4).put(server.getAddress());
        }
        b.put((byte) OPT_PARAMETERS).put((byte) 3).put((byte) OPT_SUBNET).put((byte) OPT_ROUTER).put((byte) OPT_DNS);
        b.put((byte) OPT_END);
        return b.array(); // zero-padded to 300 bytes: BOOTP's minimum message size
    }

    /** A reply to our transaction: type, offered address and options; null when it is not for us. */
    record Reply(int type, Inet4Address yiaddr, Map<Integer, byte[]> options) {}

    static Reply parse(byte[] packet, int xid, byte[] mac) throws IOException {
        if (packet.length < FIXED + 4) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(packet);
        if (b.get(0) != 2 || b.getInt(4) != xid || b.getInt(FIXED) != MAGIC_COOKIE) {
            return null; // not a BOOTREPLY to this transaction
        }
        for (int i = 0; i < mac.length; i++) {
            if (packet[28 + i] != mac[i]) {
                return null;
            }
        }
        byte[] yi = new byte[4];
        b.position(16);
        b.get(yi);
        Map<Integer, byte[]> options = new HashMap<>();
        int pos = FIXED + 4;
        while (pos < packet.length) {
            int code = packet[pos] & 0xFF;
            if (code == OPT_END) {
                break;
            }
            if (code == 0) { // pad
                pos++;
                continue;
            }
            if (pos + 1 >= packet.length || pos + 2 + (packet[pos + 1] & 0xFF) > packet.length) {
                throw new IOException("DHCP reply: option " + code + " runs past the end of the packet");
            }
            int len = packet[pos + 1] & 0xFF;
            byte[] v = new byte[len];
            System.arraycopy(packet, pos + 2, v, 0, len);
            options.put(code, v);
            pos += 2 + len;
        }
        byte[] type = options.get(OPT_MESSAGE_TYPE);
        if (type == null || type.length != 1) {
            throw new IOException("DHCP reply without a message type option");
        }
        return new Reply(type[0], (Inet4Address) InetAddress.getByAddress(yi), options);
    }

    static List<Inet4Address> addresses(byte[] option) throws IOException {
        List<Inet4Address> out = new ArrayList<>();
        if (option == null) {
            return out;
        }
        if (option.length % 4 != 0) {
            throw new IOException("DHCP address option of " + option.length + " bytes, expected a multiple of 4");
        }
        for (int i = 0; i < option.length; i += 4) {
            out.add((Inet4Address) InetAddress.getByAddress(java.util.Arrays.copyOfRange(option, i, i + 4)));
        }
        return out;
    }

    static int prefixLength(byte[] mask) throws IOException {
        if (mask == null || mask.length != 4) {
            throw new IOException("DHCP reply without a subnet mask (option 1)");
        }
        int m = ByteBuffer.wrap(mask).getInt();
        int prefix = Integer.bitCount(m);
        if (m != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
            throw new IOException(String.format(java.util.Locale.ROOT, "DHCP subnet mask 0x%08x is not contiguous", m));
        }
        return prefix;
    }
}
