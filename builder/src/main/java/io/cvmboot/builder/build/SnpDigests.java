package io.cvmboot.builder.build;

import io.cvmboot.builder.spec.BuildSpec.SnpTarget;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.snp.GuestFeatures;
import io.cvmboot.measure.snp.GuestMode;
import io.cvmboot.measure.snp.LaunchDigestCalculator;
import io.cvmboot.measure.snp.LaunchInput;
import io.cvmboot.measure.snp.OvmfImage;
import io.cvmboot.measure.snp.VcpuType;
import io.cvmboot.measure.snp.VmmType;
import java.util.ArrayList;
import java.util.List;

/**
 * The SNP launch digests of the published firmware for each target. The UKI is loaded from disk
 * after launch, so it is not part of the launch digest: the firmware is (mode snp, no kernel hashes).
 */
public final class SnpDigests {
    private SnpDigests() {}

    public static List<ExpectedMeasurements.SnpDigest> compute(List<SnpTarget> targets, ResolvedFile firmware)
            throws MeasureException, BuildInputException {
        if (targets.isEmpty()) {
            return List.of();
        }
        OvmfImage ovmf = OvmfImage.parse(firmware.origin(), firmware.bytes());
        String ovmfSha256 = firmware.sha256().hex();
        List<ExpectedMeasurements.SnpDigest> out = new ArrayList<>();
        for (SnpTarget t : targets) {
            VcpuType type = VcpuType.fromQemuName(t.vcpuType()).orElseThrow(() -> new BuildInputException(
                    "measurements.snp: unknown vcpuType '" + t.vcpuType() + "' (valid: " + VcpuType.validNames() + ")"));
            VmmType vmm = VmmType.fromCliName(t.vmmType()).orElseThrow(() -> new BuildInputException(
                    "measurements.snp: unknown vmmType '" + t.vmmType() + "' (valid: " + VmmType.validNames() + ")"));
            GuestFeatures features = GuestFeatures.parse(t.guestFeatures());
            for (int vcpus : t.vcpus()) {
                LaunchInput input = LaunchInput.builder(GuestMode.SNP, ovmf)
                        .vcpus(vcpus)
                        .signature(type.signature())
                        .vmm(vmm)
                        .guestFeatures(features)
                        .build();
                var m = LaunchDigestCalculator.compute(input);
                out.add(new ExpectedMeasurements.SnpDigest(GuestMode.SNP.cliName(), vcpus, t.vcpuType(), vmm.cliName(),
                        features.toString(), ovmfSha256, m.launchDigest()));
            }
        }
        return List.copyOf(out);
    }
}
