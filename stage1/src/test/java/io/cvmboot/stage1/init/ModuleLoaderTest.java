package io.cvmboot.stage1.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.exec.Native;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loop around finit_module, with the kernel's answers played as they come outside Hyper-V. */
class ModuleLoaderTest {
    private static final ModuleEntry VIRTIO_NET = new ModuleEntry("/m/virtio_net.ko", false);
    private static final ModuleEntry ENA = new ModuleEntry("/m/ena.ko", true);
    private static final ModuleEntry HV_VMBUS = new ModuleEntry("/m/hv_vmbus.ko", true);
    private static final ModuleEntry HV_NETVSC = new ModuleEntry("/m/hv_netvsc.ko", true);

    private final List<String> log = new ArrayList<>();
    private final List<String> attempted = new ArrayList<>();

    /** A kernel that refuses the given paths with the given errno and loads everything else. */
    private ModuleLoader kernel(Map<String, Integer> refusals) {
        return new ModuleLoader(log::add, path -> {
            attempted.add(path);
            Integer errno = refusals.get(path);
            if (errno != null) {
                throw new Native.FinitModuleException(path, errno);
            }
        });
    }

    @Test
    void outsideHyperV_hvModulesSkipped_othersLoaded_inOrder() throws Exception {
        List<ModuleEntry> skipped = kernel(Map.of(HV_VMBUS.path(), 19, HV_NETVSC.path(), 2))
                .loadAll(List.of(VIRTIO_NET, ENA, HV_VMBUS, HV_NETVSC));
        assertEquals(List.of(HV_VMBUS, HV_NETVSC), skipped);
        assertEquals(List.of("/m/virtio_net.ko", "/m/ena.ko", "/m/hv_vmbus.ko", "/m/hv_netvsc.ko"), attempted);
        assertEquals(List.of("loaded module /m/virtio_net.ko", "loaded module /m/ena.ko",
                "module hv_vmbus not loaded: ENODEV (optional)", "module hv_netvsc not loaded: ENOENT (optional)"), log);
    }

    @Test
    void requiredRefused_stopsWithTheKernelsErrno_andLoadsNothingAfter() {
        Stage1Exception e = assertThrows(Stage1Exception.class,
                () -> kernel(Map.of(VIRTIO_NET.path(), 19)).loadAll(List.of(VIRTIO_NET, ENA)));
        assertTrue(e.getMessage().startsWith("finit_module(/m/virtio_net.ko) failed: errno 19 ENODEV"), e.getMessage());
        assertTrue(e.getMessage().contains("virtio_net is required"), e.getMessage());
        assertInstanceOf(Native.FinitModuleException.class, e.getCause());
        assertEquals(List.of("/m/virtio_net.ko"), attempted);
    }

    @Test
    void optionalDependentListedFirst_isFatal() {
        Stage1Exception e = assertThrows(Stage1Exception.class,
                () -> kernel(Map.of(HV_NETVSC.path(), 2, HV_VMBUS.path(), 19)).loadAll(List.of(HV_NETVSC, HV_VMBUS)));
        assertTrue(e.getMessage().contains("unknown symbol"), e.getMessage());
    }

    @Test
    void unopenableFile_isFatal_evenForAnOptionalModule() {
        ModuleLoader loader = new ModuleLoader(log::add, path -> {
            throw new Stage1Exception("open(" + path + ") failed: errno 2 ENOENT");
        });
        Stage1Exception e = assertThrows(Stage1Exception.class, () -> loader.loadAll(List.of(ENA)));
        assertTrue(e.getMessage().startsWith("open(/m/ena.ko)"), e.getMessage());
    }
}
