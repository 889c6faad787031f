package io.cvmboot.stage1.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModuleEntryTest {

    @Test
    void toProperty_parse_roundTrip() throws Exception {
        for (ModuleEntry m : new ModuleEntry[] {new ModuleEntry("/lib/modules/cvmboot/virtio_net.ko", false),
                new ModuleEntry("/lib/modules/cvmboot/ena.ko", true)}) {
            assertEquals(m, ModuleEntry.parse(m.toProperty(), "test"));
        }
        assertEquals("optional:/lib/modules/cvmboot/ena.ko", new ModuleEntry("/lib/modules/cvmboot/ena.ko", true).toProperty());
        assertEquals("/lib/modules/cvmboot/virtio_net.ko", new ModuleEntry("/lib/modules/cvmboot/virtio_net.ko", false).toProperty());
    }

    @Test
    void name_isTheFileNameWithoutKo() {
        assertEquals("hv_netvsc", new ModuleEntry("/lib/modules/cvmboot/hv_netvsc.ko", true).name());
    }

    @Test
    void relativeOrCommaPaths_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ModuleEntry("ena.ko", true));
        assertThrows(IllegalArgumentException.class, () -> new ModuleEntry("/a.ko,/b.ko", false));
        assertThrows(IllegalArgumentException.class, () -> new ModuleEntry("/a.ko ", false));
    }
}
