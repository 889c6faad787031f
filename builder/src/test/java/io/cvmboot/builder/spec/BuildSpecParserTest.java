package io.cvmboot.builder.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuildSpecParserTest {
    private final BuildSpecParser parser = new BuildSpecParser();

    private static String defaultSpec() {
        return new String(BuildSpecParser.defaultSpecBytes(), StandardCharsets.UTF_8);
    }

    private BuildSpecException rejects(String yaml) {
        return assertThrows(BuildSpecException.class,
                () -> parser.parse("spec.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void defaultSpec_parses() throws Exception {
        BuildSpec spec = parser.parse("default", BuildSpecParser.defaultSpecBytes());
        assertEquals("linux-image-6.1.0-56-cloud-amd64", spec.packages().get("kernel").name());
        assertEquals("kernel", spec.kernel().pkg());
        assertEquals(12, spec.kernelModules().size());
        assertEquals("zstd", spec.initrd().compression());
        assertEquals(1767225600L, spec.sourceDateEpoch());
        assertEquals("https://deb.debian.org/debian", spec.mirrors().debian());
    }

    @Test
    void unknownField_isNamedWithItsPath() {
        var e = rejects(defaultSpec().replace("  compression: zstd", "  compresion: zstd"));
        assertTrue(e.getMessage().startsWith("spec.yaml: unknown field 'initrd.compresion'"), e.getMessage());
        assertTrue(e.getMessage().contains("compression"), "lists the known fields: " + e.getMessage());
    }

    @Test
    void badSha256_namesTheField() {
        var e = rejects(defaultSpec().replace("sha256: e7d02b94", "sha256: zz02b94"));
        assertTrue(e.getMessage().contains("field 'packages.kernel.sha256': expected 64 hex digits"), e.getMessage());
    }

    @Test
    void referenceToMissingPackage_isRejected() {
        var e = rejects(defaultSpec().replace("busybox: {package: busybox, path: bin/busybox}",
                "busybox: {package: bb, path: bin/busybox}"));
        assertTrue(e.getMessage().contains("field 'busybox.package': no package 'bb'"), e.getMessage());
    }

    @Test
    void duplicateKey_isRejected() {
        var e = rejects(defaultSpec().replace("cmdline: \"console=ttyS0 panic=-1\"",
                "cmdline: a\ncmdline: b"));
        assertTrue(e.getMessage().contains("Duplicate field 'cmdline'"), e.getMessage());
    }

    @Test
    void localFileWithoutPin_isRejected() {
        var e = rejects(defaultSpec().replace("firmware: {package: ovmf, path: usr/share/ovmf/OVMF.fd}",
                "firmware: {file: ./OVMF.fd}"));
        assertTrue(e.getMessage().contains("field 'firmware.sha256': missing"), e.getMessage());
    }

    @Test
    void wrongType_namesTheField() {
        var e = rejects(defaultSpec().replace("level: 3", "level: high"));
        assertTrue(e.getMessage().contains("field 'initrd.level'"), e.getMessage());
    }

    @Test
    void guestFeaturesWiderThan64Bits_isRejected() {
        var e = rejects(defaultSpec().replace("guestFeatures: \"0x1\"", "guestFeatures: \"0x10000000000000000\""));
        assertTrue(e.getMessage().contains("measurements.snp[0].guestFeatures"), e.getMessage());
    }

    @Test
    void demoWithoutBusybox_isRejected() {
        var e = rejects(defaultSpec().replace("busybox: {package: busybox, path: bin/busybox}", ""));
        assertTrue(e.getMessage().contains("field 'stage1.demo'"), e.getMessage());
    }

    @Test
    void twoStage1Sources_areRejected() {
        var e = rejects(defaultSpec().replace("  demo: true", "  demo: true\n  configFile: c.json"));
        assertTrue(e.getMessage().contains("give exactly one of"), e.getMessage());
    }

    @Test
    void badNetworkAddress_namesTheField() {
        var e = rejects(defaultSpec().replace("address: dhcp", "address: 169.254.0.15"));
        assertTrue(e.getMessage().contains("field 'network.address'"), e.getMessage());
        var gatewayWithDhcp = rejects(defaultSpec().replace("address: dhcp", "address: dhcp\n  gateway: 169.254.0.2"));
        assertTrue(gatewayWithDhcp.getMessage().contains("field 'network'"), gatewayWithDhcp.getMessage());
    }

    @Test
    void notYaml_saysWhere() {
        var e = rejects("version: 1\n  bad: [\n");
        assertTrue(e.getMessage().startsWith("spec.yaml: "), e.getMessage());
    }

    @Test
    void defaultSpec_virtioRequired_cloudNicsOptional_inDependencyOrder() throws Exception {
        BuildSpec spec = parser.parse("default", BuildSpecParser.defaultSpecBytes());
        java.util.List<String> optional = spec.kernelModules().stream().filter(BuildSpec.KernelModule::optional)
                .map(m -> m.path().substring(m.path().lastIndexOf('/') + 1)).toList();
        java.util.List<String> required = spec.kernelModules().stream().filter(m -> !m.optional())
                .map(m -> m.path().substring(m.path().lastIndexOf('/') + 1)).toList();
        // hv_netvsc depends on hv_vmbus (modinfo -F depends), so it comes after it.
        assertEquals(java.util.List.of("ena.ko", "gve.ko", "hv_vmbus.ko", "hv_netvsc.ko"), optional);
        assertEquals(java.util.List.of("virtio_ring.ko", "virtio.ko", "virtio_pci_legacy_dev.ko", "virtio_pci_modern_dev.ko",
                "virtio_pci.ko", "failover.ko", "net_failover.ko", "virtio_net.ko"), required);
        assertEquals(new BuildSpec.FileRef("kernel", "lib/modules/6.1.0-56-cloud-amd64/kernel/drivers/hv/hv_vmbus.ko", null, null),
                spec.kernelModules().get(10).ref());
    }

    private static final String VIRTIO_NET = "  - {package: kernel, path: lib/modules/6.1.0-56-cloud-amd64/kernel/drivers/net/virtio_net.ko}";

    @Test
    void moduleOptional_falseOrAbsent_isRequired() throws Exception {
        String yaml = defaultSpec().replace(VIRTIO_NET, VIRTIO_NET.replace("}", ", optional: false}"));
        assertTrue(yaml.contains("virtio_net.ko, optional: false}"));
        BuildSpec spec = parser.parse("spec.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertEquals(Boolean.FALSE, spec.kernelModules().get(7).optional());
        assertEquals(Boolean.FALSE, spec.kernelModules().get(0).optional());
        assertEquals(Boolean.TRUE, spec.kernelModules().get(8).optional());
    }

    @Test
    void moduleOptional_notABoolean_namesTheField() {
        // (yes/no are booleans in the YAML 1.1 the parser reads, so they are accepted as such.)
        for (String bad : new String[] {"maybe", "1", "\"true\"", "[true]", "{}"}) {
            byte[] yaml = defaultSpec().replace(VIRTIO_NET, VIRTIO_NET.replace("}", ", optional: " + bad + "}"))
                    .getBytes(StandardCharsets.UTF_8);
            var e = assertThrows(BuildSpecException.class, () -> parser.parse("spec.yaml", yaml), bad);
            assertTrue(e.getMessage().startsWith("spec.yaml: field 'kernelModules[7].optional'"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void moduleOptional_badValue_saysWhatIsExpectedAndFound() {
        var e = rejects(defaultSpec().replace(VIRTIO_NET, VIRTIO_NET.replace("}", ", optional: maybe}")));
        assertEquals("spec.yaml: field 'kernelModules[7].optional': expected true or false, found 'maybe'", e.getMessage());
        e = rejects(defaultSpec().replace(VIRTIO_NET, VIRTIO_NET.replace("}", ", optional: 1}")));
        assertEquals("spec.yaml: field 'kernelModules[7].optional': expected true or false, found 1", e.getMessage());
        e = rejects(defaultSpec().replace(VIRTIO_NET, VIRTIO_NET.replace("}", ", optional: [true]}")));
        assertEquals("spec.yaml: field 'kernelModules[7].optional': expected true or false, found a list or mapping", e.getMessage());
        e = rejects(defaultSpec().replace("  demo: true", "  demo: \"true\""));
        assertEquals("spec.yaml: field 'stage1.demo': expected true or false, found 'true'", e.getMessage());
    }

    @Test
    void optional_onlyOnKernelModules() {
        var e = rejects(defaultSpec().replace("busybox: {package: busybox, path: bin/busybox}",
                "busybox: {package: busybox, path: bin/busybox, optional: true}"));
        assertTrue(e.getMessage().startsWith("spec.yaml: unknown field 'busybox.optional'"), e.getMessage());
    }

    @Test
    void moduleTypo_listsOptionalAmongTheKnownFields() {
        var e = rejects(defaultSpec().replace(VIRTIO_NET, VIRTIO_NET.replace("}", ", optinal: true}")));
        assertTrue(e.getMessage().startsWith("spec.yaml: unknown field 'kernelModules[7].optinal'"), e.getMessage());
        assertTrue(e.getMessage().contains("optional"), e.getMessage());
    }
}
