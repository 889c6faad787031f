package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A computed launch digest and the intermediate values a user may want to check by hand.
 *
 * @param launchDigest GCTX.LD (SHA-384) for SNP modes, the SHA-256 stream digest for SEV/SEV-ES
 * @param firmwareDigest SNP modes: LD after the firmware pages (what {@code --snp-ovmf-hash} takes)
 * @param kernelHashes the measured kernel-hashes table, if a kernel was given
 * @param kernelHashesGpa SNP: GPA of the page holding the table (the SNP_KERNEL_HASHES section)
 * @param apResetEip the AP start address read from the firmware, where VMSAs were built
 * @param vmsaDigests SHA-384 (SNP) or SHA-256 (SEV-ES) of the BSP page, then of the AP page if
 *     there are APs (all APs share one page)
 * @param pageUpdates SNP modes: number of PAGE_INFO updates
 * @param trace every PAGE_INFO step, when requested; empty otherwise
 */
public record LaunchMeasurement(
        GuestMode mode,
        Digest launchDigest,
        Optional<Digest> firmwareDigest,
        Optional<SevHashTable> kernelHashes,
        Optional<Long> kernelHashesGpa,
        Optional<Long> apResetEip,
        List<Digest> vmsaDigests,
        int pageUpdates,
        List<PageUpdate> trace) {
    public LaunchMeasurement {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(launchDigest, "launchDigest");
        vmsaDigests = List.copyOf(vmsaDigests);
        trace = List.copyOf(trace);
    }
}
