package io.cvmboot.stage1.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.stage1.init.ModuleFailurePolicy.Fatal;
import io.cvmboot.stage1.init.ModuleFailurePolicy.Skip;
import org.junit.jupiter.api.Test;

/** The decision per errno; errno values from include/uapi/asm-generic/errno-base.h and errno.h. */
class ModuleFailurePolicyTest {
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int ENOEXEC = 8;
    private static final int ENOMEM = 12;
    private static final int ENODEV = 19;
    private static final int EINVAL = 22;
    private static final int ENXIO = 6;
    private static final int EKEYREJECTED = 129;

    private static final ModuleEntry HV_VMBUS = new ModuleEntry("/lib/modules/cvmboot/hv_vmbus.ko", true);
    private static final ModuleEntry HV_NETVSC = new ModuleEntry("/lib/modules/cvmboot/hv_netvsc.ko", true);
    private static final ModuleEntry VIRTIO_NET = new ModuleEntry("/lib/modules/cvmboot/virtio_net.ko", false);

    @Test
    void optional_noDevice_isSkipped() {
        assertEquals(new Skip("ENODEV"), ModuleFailurePolicy.decide(HV_VMBUS, ENODEV, false));
        assertEquals(new Skip("ENODEV"), ModuleFailurePolicy.decide(HV_VMBUS, ENODEV, true));
    }

    @Test
    void optional_unknownSymbol_afterAnOptionalWasSkipped_isSkipped() {
        assertEquals(new Skip("ENOENT"), ModuleFailurePolicy.decide(HV_NETVSC, ENOENT, true));
    }

    @Test
    void optional_unknownSymbol_withNothingSkippedBefore_isFatal() {
        // hv_netvsc listed before hv_vmbus: a spec mistake, not an absent device.
        Fatal f = assertInstanceOf(Fatal.class, ModuleFailurePolicy.decide(HV_NETVSC, ENOENT, false));
        assertTrue(f.reason().contains("dependency"), f.reason());
    }

    @Test
    void optional_otherErrnos_areFatal() {
        for (int errno : new int[] {EPERM, ENXIO, ENOEXEC, ENOMEM, EINVAL, EKEYREJECTED}) {
            Fatal f = assertInstanceOf(Fatal.class, ModuleFailurePolicy.decide(HV_VMBUS, errno, true), "errno " + errno);
            assertTrue(f.reason().contains("errno " + errno), f.reason());
        }
    }

    @Test
    void required_isFatalForEveryErrno_evenNoDevice() {
        for (int errno : new int[] {ENOENT, ENODEV, EINVAL, ENOEXEC}) {
            Fatal f = assertInstanceOf(Fatal.class, ModuleFailurePolicy.decide(VIRTIO_NET, errno, true), "errno " + errno);
            assertTrue(f.reason().contains("virtio_net is required"), f.reason());
        }
    }
}
