package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a launch digest depends on. Built with {@link #builder}; the compact constructor
 * rejects combinations the reference would compute something meaningless for.
 *
 * @param vcpus number of vCPUs (VMSA pages); at least 1 in modes with VMSAs, ignored otherwise
 * @param signature CPUID signature placed in RDX; required for QEMU in modes with VMSAs
 * @param kernelHashes the measured-direct-boot table, when a kernel is given
 * @param firmwareHash a precomputed SNP firmware digest ({@code --snp-ovmf-hash}), SNP mode only
 * @param svsm the SVSM image, mapped below the firmware and its VARS (snp:svsm mode only)
 */
public record LaunchInput(
        GuestMode mode,
        OvmfImage firmware,
        int vcpus,
        Optional<VcpuSignature> signature,
        VmmType vmm,
        GuestFeatures guestFeatures,
        Optional<SevHashTable> kernelHashes,
        Optional<Digest> firmwareHash,
        Optional<OvmfImage> svsm) {

    public LaunchInput {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(vmm, "vmm");
        Objects.requireNonNull(guestFeatures, "guestFeatures");
        Objects.requireNonNull(kernelHashes, "kernelHashes");
        Objects.requireNonNull(firmwareHash, "firmwareHash");
        Objects.requireNonNull(svsm, "svsm");
        if (mode.hasVmsas() && vcpus < 1) {
            throw new IllegalArgumentException("mode " + mode.cliName() + " needs at least 1 vCPU, got " + vcpus);
        }
        if (mode.hasVmsas() && vmm == VmmType.QEMU && signature.isEmpty()) {
            throw new IllegalArgumentException("mode " + mode.cliName() + " on QEMU needs a vCPU signature");
        }
        if (firmwareHash.isPresent()) {
            if (mode != GuestMode.SNP) {
                throw new IllegalArgumentException("a precomputed firmware hash only works in mode snp, not " + mode.cliName());
            }
            if (firmwareHash.get().algorithm() != HashAlgorithm.SHA384) {
                throw new IllegalArgumentException("the SNP firmware hash is SHA-384, got " + firmwareHash.get().algorithm());
            }
        }
        if (mode == GuestMode.SNP_SVSM) {
            if (svsm.isEmpty()) {
                throw new IllegalArgumentException("mode snp:svsm needs an SVSM image");
            }
            if (vmm != VmmType.QEMU) {
                throw new IllegalArgumentException("mode snp:svsm is only defined for QEMU, not " + vmm.cliName());
            }
            if (kernelHashes.isPresent()) {
                throw new IllegalArgumentException("mode snp:svsm does not measure a kernel (the SVSM loads none)");
            }
        } else if (svsm.isPresent()) {
            throw new IllegalArgumentException("an SVSM image only applies to mode snp:svsm, not " + mode.cliName());
        }
        if (mode == GuestMode.SNP_OVMF_HASH && kernelHashes.isPresent()) {
            throw new IllegalArgumentException("mode snp:ovmf-hash covers the firmware only, not a kernel");
        }
    }

    public static Builder builder(GuestMode mode, OvmfImage firmware) {
        return new Builder(mode, firmware);
    }

    /** Optional fields with the reference defaults: QEMU, guest features 0x1, 1 vCPU. */
    public static final class Builder {
        private final GuestMode mode;
        private final OvmfImage firmware;
        private int vcpus = 1;
        private VcpuSignature signature;
        private VmmType vmm = VmmType.QEMU;
        private GuestFeatures guestFeatures = GuestFeatures.DEFAULT;
        private SevHashTable kernelHashes;
        private Digest firmwareHash;
        private OvmfImage svsm;

        private Builder(GuestMode mode, OvmfImage firmware) {
            this.mode = mode;
            this.firmware = firmware;
        }

        public Builder vcpus(int n) {
            this.vcpus = n;
            return this;
        }

        public Builder signature(VcpuSignature s) {
            this.signature = s;
            return this;
        }

        public Builder vmm(VmmType v) {
            this.vmm = v;
            return this;
        }

        public Builder guestFeatures(GuestFeatures f) {
            this.guestFeatures = f;
            return this;
        }

        public Builder kernelHashes(SevHashTable t) {
            this.kernelHashes = t;
            return this;
        }

        public Builder firmwareHash(Digest d) {
            this.firmwareHash = d;
            return this;
        }

        public Builder svsm(OvmfImage s) {
            this.svsm = s;
            return this;
        }

        public LaunchInput build() {
            return new LaunchInput(mode, firmware, vcpus, Optional.ofNullable(signature), vmm, guestFeatures,
                    Optional.ofNullable(kernelHashes), Optional.ofNullable(firmwareHash), Optional.ofNullable(svsm));
        }
    }
}
