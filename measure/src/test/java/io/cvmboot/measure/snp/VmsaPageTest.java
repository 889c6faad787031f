package io.cvmboot.measure.snp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * VMSA pages against the pages sev-snp-measure v0.0.13 writes with {@code --dump-vmsa}
 * (vectors.json "vmsaPages": SHA-384 of the BSP and first AP page), plus field spot checks.
 */
class VmsaPageTest {
    private static final long AMDSEV_AP_EIP = 0x0080B004L;

    private static String sha384(byte[] page) {
        return Digest.compute(HashAlgorithm.SHA384, page).hex();
    }

    @Test
    void pages_matchReferenceDumps() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(SnpTestFiles.resource("vectors.json"));
        long sigV4 = VcpuType.EPYC_V4.signature().value();
        long sigMilan = VcpuType.EPYC_MILAN.signature().value();
        OvmfImage fw = OvmfImage.parse("fw", SnpTestFiles.resource(SnpTestFiles.AMDSEV));
        OvmfImage svsm = OvmfImage.parse("svsm", SnpTestFiles.resource("svsm-synthetic.bin"), fw.gpa() - 131072);
        long svsmRip = svsm.gpa() + svsm.footerTable().u32("svsm", OvmfFooterTable.SVSM_INFO).orElseThrow();
        Map<String, byte[][]> ours = new HashMap<>();
        ours.put("vmsa_qemu_epycv4_snp", pages(VmmType.QEMU, sigV4, 1));
        ours.put("vmsa_qemu_milan_gf0x21_snp", pages(VmmType.QEMU, sigMilan, 0x21));
        ours.put("vmsa_ec2_snp", pages(VmmType.EC2, 0, 1));
        ours.put("vmsa_gce_snp", pages(VmmType.GCE, 0, 1));
        ours.put("vmsa_qemu_epycv4_seves", pages(VmmType.QEMU, sigV4, 0));
        byte[] svsmPage = VmsaPage.forSvsm(svsmRip, sigV4);
        ours.put("vmsa_svsm_epycv4", new byte[][] {svsmPage, svsmPage});
        int checked = 0;
        for (JsonNode v : doc.get("vmsaPages")) {
            byte[][] p = ours.get(v.get("name").asText());
            assertEquals(v.get("bspSha384").asText(), sha384(p[0]), v.get("name").asText() + " BSP");
            assertEquals(v.get("apSha384").asText(), sha384(p[1]), v.get("name").asText() + " AP");
            checked++;
        }
        assertEquals(ours.size(), checked);
    }

    private static byte[][] pages(VmmType vmm, long sig, long features) {
        return new byte[][] {VmsaPage.forVcpu(vmm, VmsaPage.BSP_EIP, sig, features),
            VmsaPage.forVcpu(vmm, AMDSEV_AP_EIP, sig, features)};
    }

    @Test
    void bspAndAp_differOnlyInCsBaseAndRip() {
        byte[] bsp = VmsaPage.forVcpu(VmmType.QEMU, VmsaPage.BSP_EIP, 0x00800F12, 1);
        byte[] ap = VmsaPage.forVcpu(VmmType.QEMU, AMDSEV_AP_EIP, 0x00800F12, 1);
        assertEquals(0xFFFF0000L, LittleEndian.u32(bsp, VmsaPage.CS + 8));
        assertEquals(0x00800000L, LittleEndian.u32(ap, VmsaPage.CS + 8));
        assertEquals(0xFFF0L, LittleEndian.u32(bsp, VmsaPage.RIP));
        assertEquals(0xB004L, LittleEndian.u32(ap, VmsaPage.RIP));
        for (int i = 0; i < VmsaPage.LENGTH; i++) {
            boolean allowed = (i >= VmsaPage.CS + 8 && i < VmsaPage.CS + 16) || (i >= VmsaPage.RIP && i < VmsaPage.RIP + 8);
            if (!allowed) {
                assertEquals(bsp[i], ap[i], "byte 0x" + Integer.toHexString(i));
            }
        }
    }

    @Test
    void rdx_isTheSignatureOnQemuOnly() {
        assertEquals(0x00A00F11L, LittleEndian.u32(VmsaPage.forVcpu(VmmType.QEMU, VmsaPage.BSP_EIP, 0x00A00F11, 1), VmsaPage.RDX));
        assertEquals(0x600L, LittleEndian.u32(VmsaPage.forVcpu(VmmType.EC2, VmsaPage.BSP_EIP, 0x00A00F11, 1), VmsaPage.RDX));
        assertNotEquals(sha384(VmsaPage.forVcpu(VmmType.QEMU, VmsaPage.BSP_EIP, 0x00A00F11, 1)),
                sha384(VmsaPage.forVcpu(VmmType.QEMU, VmsaPage.BSP_EIP, 0x00A00F10, 1)));
    }
}
