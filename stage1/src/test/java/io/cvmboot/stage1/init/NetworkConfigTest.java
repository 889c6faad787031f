package io.cvmboot.stage1.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.stage1.Stage1Exception;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigTest {

    @Test
    void load_allKeys(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("init.properties");
        Files.writeString(f, "modules=/a.ko, /b.ko\ninterface=eth1\naddress=169.254.0.15/16\ngateway=169.254.0.2\ndns=1.1.1.1,9.9.9.9\n",
                StandardCharsets.UTF_8);
        NetworkConfig c = NetworkConfig.load(f);
        assertEquals(List.of(new ModuleEntry("/a.ko", false), new ModuleEntry("/b.ko", false)), c.modules());
        assertEquals("eth1", c.interfaceName());
        assertEquals("169.254.0.15", c.address().getHostAddress());
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, 0, 0}, c.netmask());
        assertEquals("169.254.0.2", c.gateway().getHostAddress());
        assertEquals(2, c.dns().size());
    }

    @Test
    void load_dhcp_leavesAddressToTheServer(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("init.properties");
        Files.writeString(f, "modules=/a.ko\naddress=dhcp\n", StandardCharsets.UTF_8);
        NetworkConfig c = NetworkConfig.load(f);
        assertTrue(c.dhcp());
        assertNull(c.address());
        assertEquals(List.of(new ModuleEntry("/a.ko", false)), c.modules());
    }

    @Test
    void load_absentFile_isQemuUserNetworking(@TempDir Path dir) throws Exception {
        NetworkConfig c = NetworkConfig.load(dir.resolve("none"));
        assertEquals("10.0.2.15", c.address().getHostAddress());
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}, c.netmask());
        assertEquals("10.0.2.2", c.gateway().getHostAddress());
        assertNull(c.interfaceName());
    }

    @Test
    void load_badValues_rejectedWithTheirName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("init.properties");
        Files.writeString(f, "adress=10.0.0.1/8\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(Stage1Exception.class, () -> NetworkConfig.load(f)).getMessage().contains("'adress'"));
        Files.writeString(f, "address=10.0.0.1\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(Stage1Exception.class, () -> NetworkConfig.load(f)).getMessage().contains("PREFIX"));
        Files.writeString(f, "address=10.0.0.256/8\n", StandardCharsets.UTF_8);
        assertThrows(Stage1Exception.class, () -> NetworkConfig.load(f));
        Files.writeString(f, "address=10.0.0.1/8\ngateway=router.local\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(Stage1Exception.class, () -> NetworkConfig.load(f)).getMessage().contains("router.local"),
                "names are never resolved");
    }

    @Test
    void load_optionalMarker_perEntry_unmarkedStayRequired(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("init.properties");
        Files.writeString(f, "modules=/m/virtio.ko,optional:/m/hv_vmbus.ko, optional:/m/hv_netvsc.ko\naddress=dhcp\n",
                StandardCharsets.UTF_8);
        assertEquals(List.of(new ModuleEntry("/m/virtio.ko", false), new ModuleEntry("/m/hv_vmbus.ko", true),
                new ModuleEntry("/m/hv_netvsc.ko", true)), NetworkConfig.load(f).modules());
    }

    @Test
    void load_badModuleEntries_rejectedWithTheEntry(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("init.properties");
        // A misspelt marker would otherwise be read as a relative path and fail only at boot.
        Files.writeString(f, "modules=optinal:/m/ena.ko\n", StandardCharsets.UTF_8);
        Stage1Exception e = assertThrows(Stage1Exception.class, () -> NetworkConfig.load(f));
        assertTrue(e.getMessage().contains("found 'optinal:/m/ena.ko'"), e.getMessage());
        Files.writeString(f, "modules=optional:\n", StandardCharsets.UTF_8);
        e = assertThrows(Stage1Exception.class, () -> NetworkConfig.load(f));
        assertTrue(e.getMessage().contains("found 'optional:'"), e.getMessage());
        Files.writeString(f, "modules=m/ena.ko\n", StandardCharsets.UTF_8);
        assertThrows(Stage1Exception.class, () -> NetworkConfig.load(f));
    }
}
