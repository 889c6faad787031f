package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Computes the launch digest that an AMD SEV, SEV-ES or SEV-SNP guest reports, offline, with the
 * results of virtee/sev-snp-measure v0.0.13. Pure: values in, values out.
 */
public final class LaunchDigestCalculator {
    /** Kernel-hashes table offset inside its page: the low 12 bits of the table GPA. */
    private static final long PAGE_MASK = 0xFFF;

    private LaunchDigestCalculator() {}

    public static LaunchMeasurement compute(LaunchInput input) throws MeasureException {
        return compute(input, false);
    }

    /** @param trace whether to record every PAGE_INFO step (SNP modes) */
    public static LaunchMeasurement compute(LaunchInput input, boolean trace) throws MeasureException {
        return switch (input.mode()) {
            case SNP, SNP_OVMF_HASH -> snp(input, trace);
            case SNP_SVSM -> svsm(input, trace);
            case SEV, SEV_ES -> sevStream(input);
        };
    }

    /**
     * The SNP launch digest after the firmware pages alone (mode snp:ovmf-hash). Passing it back
     * as {@link LaunchInput#firmwareHash()} gives the same digest as hashing the firmware again,
     * so callers can overlap it with hashing the kernel.
     */
    public static Digest firmwareDigest(OvmfImage firmware) {
        LaunchDigestChain chain = LaunchDigestChain.start(null);
        chain.updateNormalPages(firmware.gpa(), firmware.bytesNoCopy(), 0, firmware.length());
        return chain.digest();
    }

    /**
     * SNP launch digests for 1, 2, ..., {@code in.vcpus()} vCPUs from one chain: the VMSAs come
     * last, so the digest for n vCPUs is a step of the chain for more. Element i is the digest for
     * i + 1 vCPUs (what a verifier accepting several VM sizes needs).
     */
    public static List<Digest> launchDigestsPerVcpuCount(LaunchInput in) throws MeasureException {
        if (in.mode() != GuestMode.SNP && in.mode() != GuestMode.SNP_SVSM) {
            throw new IllegalArgumentException("per-vCPU digests are defined for modes snp and snp:svsm, not "
                    + in.mode().cliName());
        }
        List<PageUpdate> steps = compute(in, true).trace();
        return steps.subList(steps.size() - in.vcpus(), steps.size()).stream().map(PageUpdate::launchDigest).toList();
    }

    private static LaunchMeasurement snp(LaunchInput in, boolean traceWanted) throws MeasureException {
        OvmfImage fw = in.firmware();
        List<PageUpdate> trace = new ArrayList<>();
        Consumer<PageUpdate> sink = traceWanted ? trace::add : null;
        LaunchDigestChain chain;
        if (in.firmwareHash().isPresent()) {
            chain = LaunchDigestChain.resume(in.firmwareHash().get(), sink);
        } else {
            chain = LaunchDigestChain.start(sink);
            chain.updateNormalPages(fw.gpa(), fw.bytesNoCopy(), 0, fw.length());
        }
        Digest firmwareDigest = chain.digest();
        if (in.mode() == GuestMode.SNP_OVMF_HASH) {
            return new LaunchMeasurement(in.mode(), firmwareDigest, Optional.of(firmwareDigest), Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of(), chain.updates(), trace);
        }
        // Fail before any VMSA work: both checks concern the firmware the user chose.
        if (in.kernelHashes().isPresent() && !fw.hasSection(SectionType.SNP_KERNEL_HASHES)) {
            throw new MeasureException(fw.source() + ": a kernel was given, but the firmware's SEV metadata has no"
                    + " SNP_KERNEL_HASHES section, so the kernel, initrd and cmdline would not be measured (use an"
                    + " AmdSev OVMF build; sections found: " + fw.sections() + ")");
        }
        VmsaPair pages = vmsaPair(in);
        Optional<Long> hashesGpa = updateMetadataPages(chain, fw, in.kernelHashes(), in.vmm());
        List<Digest> vmsaDigests = vmsas(chain, pages.bsp(), pages.ap(), in.vcpus());
        return new LaunchMeasurement(in.mode(), chain.digest(), Optional.of(firmwareDigest), in.kernelHashes(),
                hashesGpa, Optional.of(pages.startAddress()), vmsaDigests, chain.updates(), trace);
    }

    private static LaunchMeasurement svsm(LaunchInput in, boolean traceWanted) throws MeasureException {
        OvmfImage fw = in.firmware();
        OvmfImage svsm = in.svsm().orElseThrow();
        VmsaPair pages = vmsaPair(in);
        List<PageUpdate> trace = new ArrayList<>();
        LaunchDigestChain chain = LaunchDigestChain.start(traceWanted ? trace::add : null);
        chain.updateNormalPages(fw.gpa(), fw.bytesNoCopy(), 0, fw.length());
        Digest firmwareDigest = chain.digest();
        chain.updateNormalPages(svsm.gpa(), svsm.bytesNoCopy(), 0, svsm.length());
        // Only the SVSM's own metadata is processed (the firmware's is the SVSM's business at run time).
        updateMetadataPages(chain, svsm, Optional.empty(), VmmType.QEMU);
        List<Digest> vmsaDigests = vmsas(chain, pages.bsp(), pages.ap(), in.vcpus());
        return new LaunchMeasurement(in.mode(), chain.digest(), Optional.of(firmwareDigest), Optional.empty(),
                Optional.empty(), Optional.of(pages.startAddress()), vmsaDigests, chain.updates(), trace);
    }

    /** SNP metadata sections in table order; returns the kernel-hashes page GPA when one was measured. */
    private static Optional<Long> updateMetadataPages(LaunchDigestChain chain, OvmfImage fw,
            Optional<SevHashTable> kernelHashes, VmmType vmm) throws MeasureException {
        Optional<Long> hashesGpa = Optional.empty();
        for (SevMetadataSection s : fw.sections()) {
            switch (s.type()) {
                // GCE leaves firmware scratch memory unmeasured rather than zero-validated.
                case SNP_SEC_MEM -> chain.updateZeroContentPages(
                        vmm == VmmType.GCE ? PageType.UNMEASURED : PageType.ZERO, s.gpa(), s.size());
                case SNP_SECRETS -> chain.updateZeroContentPages(PageType.SECRETS, s.gpa(), OvmfImage.PAGE_SIZE);
                // EC2 inserts the CPUID page after all other sections.
                case CPUID -> {
                    if (vmm != VmmType.EC2) {
                        chain.updateZeroContentPages(PageType.CPUID, s.gpa(), OvmfImage.PAGE_SIZE);
                    }
                }
                case SVSM_CAA -> chain.updateZeroContentPages(PageType.ZERO, s.gpa(), s.size());
                case SNP_KERNEL_HASHES -> {
                    if (kernelHashes.isPresent()) {
                        byte[] page = kernelHashesPage(fw, s, kernelHashes.get());
                        chain.updateNormalPages(s.gpa(), page, 0, page.length);
                        hashesGpa = Optional.of(s.gpa());
                    } else {
                        chain.updateZeroContentPages(PageType.ZERO, s.gpa(), s.size());
                    }
                }
            }
        }
        if (vmm == VmmType.EC2) {
            for (SevMetadataSection s : fw.sections()) {
                if (s.type() == SectionType.CPUID) {
                    chain.updateZeroContentPages(PageType.CPUID, s.gpa(), OvmfImage.PAGE_SIZE);
                }
            }
        }
        return hashesGpa;
    }

    private static byte[] kernelHashesPage(OvmfImage fw, SevMetadataSection s, SevHashTable table)
            throws MeasureException {
        if (s.size() != OvmfImage.PAGE_SIZE) {
            throw new MeasureException(fw.source() + ": the SNP_KERNEL_HASHES section must be one page (0x1000 bytes),"
                    + " found 0x" + Long.toHexString(s.size()));
        }
        long tableGpa = fw.sevHashTableGpa().orElseThrow(() -> new MeasureException(fw.source()
                + ": the firmware has an SNP_KERNEL_HASHES section but no SEV_HASH_TABLE_RV entry ("
                + OvmfFooterTable.SEV_HASH_TABLE_RV + ") saying where in the page the table goes"));
        int offset = (int) (tableGpa & PAGE_MASK);
        if (offset + SevHashTable.PADDED_LENGTH > OvmfImage.PAGE_SIZE) {
            throw new MeasureException(fw.source() + ": SEV hash table GPA 0x" + Long.toHexString(tableGpa)
                    + " leaves no room for the " + SevHashTable.PADDED_LENGTH + "-byte table in its page");
        }
        return table.toPage(offset);
    }

    /** Measures the BSP page, then {@code vcpus - 1} copies of the AP page, each hashed once. */
    private static List<Digest> vmsas(LaunchDigestChain chain, byte[] bsp, byte[] ap, int vcpus) {
        Digest bspDigest = Digest.compute(HashAlgorithm.SHA384, bsp);
        chain.updateVmsaHashed(bspDigest);
        if (vcpus == 1) {
            return List.of(bspDigest);
        }
        Digest apDigest = Digest.compute(HashAlgorithm.SHA384, ap);
        for (int i = 1; i < vcpus; i++) {
            chain.updateVmsaHashed(apDigest);
        }
        return List.of(bspDigest, apDigest);
    }

    /**
     * The VMSA page of every vCPU, BSP first, exactly as measured (what sev-snp-measure's
     * {@code --dump-vmsa} writes); empty for modes without VMSAs.
     */
    public static List<byte[]> vmsaPages(LaunchInput in) throws MeasureException {
        if (!in.mode().hasVmsas()) {
            return List.of();
        }
        VmsaPair pair = vmsaPair(in);
        List<byte[]> pages = new ArrayList<>(in.vcpus());
        pages.add(pair.bsp());
        for (int i = 1; i < in.vcpus(); i++) {
            pages.add(pair.ap().clone());
        }
        return pages;
    }

    /**
     * The BSP page and the page all APs share.
     *
     * @param startAddress the APs' reset EIP, or the SVSM entry point in snp:svsm mode
     */
    private record VmsaPair(byte[] bsp, byte[] ap, long startAddress) {}

    private static VmsaPair vmsaPair(LaunchInput in) throws MeasureException {
        long rdx = in.signature().map(VcpuSignature::value).orElse(0L);
        if (in.mode() == GuestMode.SNP_SVSM) {
            OvmfImage svsm = in.svsm().orElseThrow();
            long entry = svsm.footerTable().u32(svsm.source(), OvmfFooterTable.SVSM_INFO)
                    .orElseThrow(() -> new MeasureException(svsm.source() + ": expected an SVSM_INFO entry ("
                            + OvmfFooterTable.SVSM_INFO + ") in the footer table, found " + svsm.footerTable().guids()));
            long rip = svsm.gpa() + entry;
            byte[] page = VmsaPage.forSvsm(rip, rdx);
            return new VmsaPair(page, page, rip);
        }
        long apEip = requireApResetEip(in.firmware(), in.vcpus());
        // SEV-ES has no SEV_FEATURES: guest features are not part of its VMSA.
        long features = in.mode() == GuestMode.SEV_ES ? 0 : in.guestFeatures().value();
        return new VmsaPair(VmsaPage.forVcpu(in.vmm(), VmsaPage.BSP_EIP, rdx, features),
                VmsaPage.forVcpu(in.vmm(), apEip, rdx, features), apEip);
    }

    private static long requireApResetEip(OvmfImage fw, int vcpus) throws MeasureException {
        long eip = fw.apResetEip().orElseThrow(() -> new MeasureException(fw.source()
                + ": expected a SEV-ES reset block entry (" + OvmfFooterTable.SEV_ES_RESET_BLOCK
                + ") in the OVMF footer table, found only " + fw.footerTable().guids()
                + " (not an SEV-ES/SNP capable firmware?)"));
        if (eip == 0 && vcpus > 1) {
            throw new MeasureException(fw.source() + ": the SEV-ES reset block gives AP reset EIP 0, so the "
                    + (vcpus - 1) + " AP(s) have no start address");
        }
        return eip;
    }

    /** SEV and SEV-ES: one SHA-256 over the firmware, the hash table and (SEV-ES) the VMSAs. */
    private static LaunchMeasurement sevStream(LaunchInput in) throws MeasureException {
        OvmfImage fw = in.firmware();
        MessageDigest sha256 = HashAlgorithm.SHA256.newMessageDigest();
        sha256.update(fw.bytesNoCopy());
        if (in.kernelHashes().isPresent()) {
            long gpa = fw.sevHashTableGpa().orElse(0L);
            if (gpa == 0) {
                throw new MeasureException(fw.source() + ": a kernel was given, but the firmware has no SEV hash table"
                        + " (SEV_HASH_TABLE_RV entry missing or GPA 0), so kernel, initrd and cmdline would not be"
                        + " measured (use an AmdSev OVMF build)");
            }
            sha256.update(in.kernelHashes().get().toBytes());
        }
        List<Digest> vmsaDigests = List.of();
        Optional<Long> apEipOut = Optional.empty();
        if (in.mode() == GuestMode.SEV_ES) {
            VmsaPair pages = vmsaPair(in);
            apEipOut = Optional.of(pages.startAddress());
            byte[] bsp = pages.bsp();
            byte[] ap = pages.ap();
            sha256.update(bsp);
            for (int i = 1; i < in.vcpus(); i++) {
                sha256.update(ap);
            }
            vmsaDigests = in.vcpus() == 1 ? List.of(Digest.compute(HashAlgorithm.SHA256, bsp))
                    : List.of(Digest.compute(HashAlgorithm.SHA256, bsp), Digest.compute(HashAlgorithm.SHA256, ap));
        }
        return new LaunchMeasurement(in.mode(), Digest.of(HashAlgorithm.SHA256, sha256.digest()), Optional.empty(),
                in.kernelHashes(), Optional.empty(), apEipOut, vmsaDigests, 0, List.of());
    }
}
