package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Log;

/** Runs the DHCP client on one interface and prints the lease (run inside a network namespace by DhcpClientTest). */
public final class DhcpProbe {
    private DhcpProbe() {}

    public static void main(String[] args) throws Exception {
        DhcpLease l = new DhcpClient(Log.to(System.err)).lease(args[0]);
        System.out.println("address=" + l.address().getHostAddress() + "/" + l.prefixLength());
        System.out.println("gateway=" + (l.gateway() == null ? "" : l.gateway().getHostAddress()));
        System.out.println("dns=" + l.dns().stream().map(a -> a.getHostAddress()).toList());
        System.out.println("server=" + l.server().getHostAddress());
    }
}
