package io.cvmboot.stage1.init;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * What a DHCP server granted.
 *
 * @param address the client address (yiaddr)
 * @param prefixLength from option 1 (subnet mask)
 * @param gateway first address of option 3 (router), or null
 * @param dns option 6
 * @param server the server identifier (option 54)
 */
public record DhcpLease(Inet4Address address, int prefixLength, Inet4Address gateway, List<Inet4Address> dns,
        Inet4Address server) {
    public DhcpLease {
        Objects.requireNonNull(address, "address");
        dns = List.copyOf(dns);
    }
}
