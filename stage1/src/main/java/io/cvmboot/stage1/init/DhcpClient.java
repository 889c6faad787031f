package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.exec.Native;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal DHCPv4 client (RFC 2131, 3.1: DISCOVER → OFFER → REQUEST → ACK) for clouds, where the
 * address is not known in advance. It takes the lease once, at boot; stage1 execs stage2 long before
 * any lease expires, and renewing is then stage2's business.
 */
public final class DhcpClient {
    static final int CLIENT_PORT = 68;
    static final int SERVER_PORT = 67;
    static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};
    /** Per-attempt wait for an answer; attempts are bounded. */
    static final int RECEIVE_TIMEOUT_MILLIS = 2000;
    static final int ATTEMPTS = 4;

    private final Log log;

    public DhcpClient(Log log) {
        this.log = log;
    }

    /** Obtains a lease on {@code iface} (which must be up, with no address). */
    public DhcpLease lease(String iface) throws Stage1Exception {
        byte[] mac = mac(iface);
        int xid = new SecureRandom().nextInt();
        int fd = Native.udpSocketOnDevice(iface, CLIENT_PORT, RECEIVE_TIMEOUT_MILLIS);
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                Native.sendTo(fd, DhcpMessage.discover(xid, mac), BROADCAST, SERVER_PORT);
                DhcpMessage.Reply offer = await(fd, xid, mac, DhcpMessage.OFFER);
                if (offer == null) {
                    log.line("dhcp " + iface + " attempt " + attempt + "/" + ATTEMPTS + ": no offer");
                    continue;
                }
                Inet4Address server = first(offer.options().get(DhcpMessage.OPT_SERVER_ID), "server identifier");
                Native.sendTo(fd, DhcpMessage.request(xid, mac, offer.yiaddr(), server), BROADCAST, SERVER_PORT);
                DhcpMessage.Reply ack = await(fd, xid, mac, DhcpMessage.ACK);
                if (ack == null) {
                    log.line("dhcp " + iface + " attempt " + attempt + "/" + ATTEMPTS + ": offer of "
                            + offer.yiaddr().getHostAddress() + " not acknowledged");
                    continue;
                }
                List<Inet4Address> routers = DhcpMessage.addresses(ack.options().get(DhcpMessage.OPT_ROUTER));
                DhcpLease lease = new DhcpLease(ack.yiaddr(),
                        DhcpMessage.prefixLength(ack.options().get(DhcpMessage.OPT_SUBNET)),
                        routers.isEmpty() ? null : routers.getFirst(),
                        DhcpMessage.addresses(ack.options().get(DhcpMessage.OPT_DNS)), server);
                log.line("dhcp " + iface + ": " + lease.address().getHostAddress() + "/" + lease.prefixLength()
                        + " from " + server.getHostAddress());
                return lease;
            }
        } catch (IOException e) {
            throw new Stage1Exception("dhcp on " + iface + ": " + e.getMessage(), e);
        } finally {
            Native.close(fd);
        }
        throw new Stage1Exception("dhcp on " + iface + ": no lease after " + ATTEMPTS + " attempts of "
                + RECEIVE_TIMEOUT_MILLIS + " ms");
    }

    /** Waits for a reply of {@code type}; a NAK ends the attempt; null on timeout. */
    private static DhcpMessage.Reply await(int fd, int xid, byte[] mac, int type) throws Stage1Exception, IOException {
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            byte[] packet = Native.receive(fd, 1500);
            if (packet == null) {
                return null;
            }
            DhcpMessage.Reply r = DhcpMessage.parse(packet, xid, mac);
            if (r == null) {
                continue;
            }
            if (r.type() == DhcpMessage.NAK) {
                return null;
            }
            if (r.type() == type) {
                return r;
            }
        }
        return null;
    }

    private static Inet4Address first(byte[] option, String what) throws IOException {
        List<Inet4Address> a = DhcpMessage.addresses(option);
        if (a.isEmpty()) {
            throw new IOException("DHCP offer without a " + what);
        }
        return a.getFirst();
    }

    static byte[] mac(String iface) throws Stage1Exception {
        Path file = Path.of("/sys/class/net", iface, "address");
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            byte[] mac = HexFormat.ofDelimiter(":").parseHex(text);
            if (mac.length != 6) {
                throw new Stage1Exception(file + ": expected a 6-byte Ethernet address, found '" + text + "'");
            }
            return mac;
        } catch (IOException | IllegalArgumentException e) {
            throw new Stage1Exception(file + " could not be read as an Ethernet address: " + e.getMessage(), e);
        }
    }
}
