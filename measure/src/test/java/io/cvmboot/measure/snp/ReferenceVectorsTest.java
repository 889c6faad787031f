package io.cvmboot.measure.snp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Known answers from virtee/sev-snp-measure v0.0.13 (vectors.json, see README.md there): every
 * vector's structured arguments are turned into a {@link LaunchInput} and the digest compared.
 */
class ReferenceVectorsTest {
    private static final JsonNode DOC = load();
    private static final Map<String, OvmfImage> FIRMWARE = new HashMap<>();

    private static JsonNode load() {
        try {
            return new ObjectMapper().readTree(SnpTestFiles.resource("vectors.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void vectorFile_coversTheIssuesMatrix() {
        List<JsonNode> ok = new ArrayList<>();
        DOC.get("vectors").forEach(v -> {
            if (v.get("rc").asInt() == 0) {
                ok.add(v);
            }
        });
        for (String mode : List.of("snp", "seves", "sev", "snp:ovmf-hash", "snp:svsm")) {
            assertTrue(ok.stream().anyMatch(v -> v.get("args").get("mode").asText().equals(mode)), mode);
        }
        for (int n : new int[] {1, 2, 4, 64, 512}) {
            assertTrue(ok.stream().anyMatch(v -> v.get("args").path("vcpus").asInt() == n), n + " vCPUs");
        }
        for (VcpuType t : VcpuType.values()) {
            assertTrue(ok.stream().anyMatch(v -> v.get("args").path("vcpuType").asText().equals(t.qemuName())), t.qemuName());
        }
        for (String vmm : List.of("ec2", "gce", "QEMU")) {
            assertTrue(ok.stream().anyMatch(v -> v.get("args").path("vmmType").asText().equals(vmm)), vmm);
        }
        assertEquals("5b6a79e86641a7ca1a377ba1848d1dcdc2498494", DOC.get("tools").get("v0.0.13").asText());
        assertTrue(ok.stream().anyMatch(v -> v.get("args").path("append").asText("x").isEmpty()), "empty cmdline");
        assertTrue(ok.stream().anyMatch(v -> !v.get("args").path("append").asText().chars().allMatch(c -> c < 0x80)),
                "UTF-8 cmdline");
        assertTrue(ok.stream().anyMatch(v -> v.get("args").path("kernel").asText().equals(SnpTestFiles.KERNEL_TOKEN)
                && v.get("args").has("initrd")), "Debian kernel and initrd");
        assertTrue(ok.stream().map(v -> v.get("args").path("guestFeatures").asText()).distinct().count() >= 5,
                "several guest-feature values");
    }

    @Test
    void perVcpuDigests_fromOneChain_matchReferenceFor1To512() throws Exception {
        Map<Integer, String> expected = new HashMap<>();
        for (JsonNode v : DOC.get("vectors")) {
            String name = v.get("name").asText();
            if (name.startsWith("snp_amdsev_epycv4_") && name.endsWith("vcpu")) {
                expected.put(v.get("args").get("vcpus").asInt(), v.get("stdout").asText());
            }
        }
        assertEquals(java.util.Set.of(1, 2, 4, 64, 512), expected.keySet());
        JsonNode args = new ObjectMapper().readTree("{\"mode\":\"snp\",\"ovmf\":\"OVMF.amdsev.sid.fd\","
                + "\"vcpus\":512,\"vcpuType\":\"EPYC-v4\"}");
        List<Digest> all = LaunchDigestCalculator.launchDigestsPerVcpuCount(input(args));
        assertEquals(512, all.size());
        expected.forEach((n, hex) -> assertEquals(hex, all.get(n - 1).hex(), n + " vCPUs"));
    }

    @TestFactory
    Stream<DynamicTest> digest_matchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : DOC.get("vectors")) {
            tests.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> check(v)));
        }
        return tests.stream();
    }

    private static void check(JsonNode v) throws Exception {
        JsonNode a = v.get("args");
        if (v.get("rc").asInt() != 0) {
            // The reference's errors must be errors here too, never a digest.
            MeasureException e = assertThrows(MeasureException.class, () -> LaunchDigestCalculator.compute(input(a)));
            assertTrue(e.getMessage().startsWith(a.get("ovmf").asText() + ": a kernel was given"), e.getMessage());
            return;
        }
        if (a.has("guestFeatures") && a.get("guestFeatures").asText().equals("0xffffffffffffffff")) {
            assertEquals(-1L, GuestFeatures.parse("0xffffffffffffffff").value());
        }
        LaunchMeasurement m = LaunchDigestCalculator.compute(input(a));
        String expected = v.get("stdout").asText();
        String actual = "base64".equals(a.path("outputFormat").asText())
                ? Base64.getEncoder().encodeToString(m.launchDigest().bytes())
                : m.launchDigest().hex();
        assertEquals(expected, actual, v.get("name").asText() + ": " + v.get("argv"));
    }

    static LaunchInput input(JsonNode a) throws MeasureException {
        GuestMode mode = GuestMode.fromCliName(a.get("mode").asText()).orElseThrow();
        String fwName = a.get("ovmf").asText();
        OvmfImage fw = firmware(fwName);
        LaunchInput.Builder b = LaunchInput.builder(mode, fw);
        if (a.has("vcpus")) {
            b.vcpus(a.get("vcpus").asInt());
        }
        VmmType vmm = VmmType.fromCliName(a.path("vmmType").asText("QEMU")).orElseThrow();
        b.vmm(vmm);
        // The reference's precedence: family/model/stepping, then the raw signature, then the type.
        if (mode != GuestMode.SEV) {
            if (a.has("vcpuFamily")) {
                b.signature(VcpuSignature.of(a.get("vcpuFamily").asInt(), a.get("vcpuModel").asInt(),
                        a.get("vcpuStepping").asInt()));
            } else if (a.has("vcpuSig")) {
                b.signature(new VcpuSignature(IntLiterals.parse(a.get("vcpuSig").asText()).longValueExact()));
            } else if (a.has("vcpuType")) {
                b.signature(VcpuType.fromQemuName(a.get("vcpuType").asText()).orElseThrow().signature());
            }
        }
        if (a.has("guestFeatures")) {
            b.guestFeatures(GuestFeatures.parse(a.get("guestFeatures").asText()));
        }
        if (a.has("kernel")) {
            byte[] initrd = a.has("initrd") ? SnpTestFiles.input(a.get("initrd").asText()) : null;
            String append = a.has("append") ? a.get("append").asText() : null;
            b.kernelHashes(SevHashTable.of(SnpTestFiles.input(a.get("kernel").asText()), initrd, append));
        }
        if (a.has("snpOvmfHash")) {
            b.firmwareHash(Digest.ofHex(HashAlgorithm.SHA384, a.get("snpOvmfHash").asText()));
        }
        if (a.has("svsm")) {
            String name = a.get("svsm").asText();
            b.svsm(OvmfImage.parse(name, SnpTestFiles.resource(name), fw.gpa() - a.get("varsSize").asLong()));
        }
        return b.build();
    }

    private static synchronized OvmfImage firmware(String name) throws MeasureException {
        OvmfImage fw = FIRMWARE.get(name);
        if (fw == null) {
            fw = OvmfImage.parse(name, SnpTestFiles.resource(name));
            FIRMWARE.put(name, fw);
        }
        return fw;
    }
}
