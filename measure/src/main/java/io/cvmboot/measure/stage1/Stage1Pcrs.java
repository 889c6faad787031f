package io.cvmboot.measure.stage1;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Objects;

/**
 * What stage1 measures into the TPM, defined once for stage1 (which extends) and for the PCR
 * predictor (which predicts).
 *
 * <p>In every allocated PCR bank with hash H, stage1 extends PCR 14 with H(stage2 binary bytes) and
 * PCR 15 with H(config bytes exactly as fetched). Both digests are single hashes of the data (unlike
 * the stage1 this follows, whose SHA-256 bank received a double hash). Nothing else extends PCR 14
 * or 15 on a UKI boot without shim (shim would use 14 for its MOK state; systemd userspace would
 * use 15), so both start at zero and the values after stage1 are
 * {@code H(zeros(len(H)) || H(data))}.
 */
public final class Stage1Pcrs {
    /** PCR extended with the digest of the stage2 binary. */
    public static final int STAGE2_PCR = 14;
    /** PCR extended with the digest of the raw config bytes. */
    public static final int CONFIG_PCR = 15;

    private Stage1Pcrs() {}

    /** The digest stage1 extends for {@code data} in the bank of {@code bank}: H(data). */
    public static Digest eventDigest(HashAlgorithm bank, byte[] data) {
        return Digest.compute(bank, data);
    }

    /**
     * TPM2_PCR_Extend semantics (TPM 2.0 Library Part 1, 17.5.2 "PCR Extend"):
     * {@code new = H(old || digest)}, both in the bank's algorithm.
     */
    public static Digest extend(Digest pcr, Digest event) {
        Objects.requireNonNull(pcr, "pcr");
        Objects.requireNonNull(event, "event");
        if (pcr.algorithm() != event.algorithm()) {
            throw new IllegalArgumentException("cannot extend a " + pcr.algorithm().label() + " PCR with a "
                    + event.algorithm().label() + " digest");
        }
        var md = pcr.algorithm().newMessageDigest();
        md.update(pcr.bytes());
        md.update(event.bytes());
        return Digest.of(pcr.algorithm(), md.digest());
    }

    /** PCRs 0-15 are all zero after TPM2_Startup(CLEAR) (PC Client Platform TPM Profile, 4.6). */
    public static Digest resetValue(HashAlgorithm bank) {
        return Digest.of(bank, new byte[bank.length()]);
    }

    /** The predicted PCR 14/15 values of one bank from the two event digests (in that bank's hash). */
    public static Stage1PcrValues predict(Digest stage2Event, Digest configEvent) {
        if (stage2Event.algorithm() != configEvent.algorithm()) {
            throw new IllegalArgumentException("stage2 digest is " + stage2Event.algorithm().label()
                    + " but config digest is " + configEvent.algorithm().label());
        }
        Digest zero = resetValue(stage2Event.algorithm());
        return new Stage1PcrValues(extend(zero, stage2Event), extend(zero, configEvent));
    }

    /** The predicted PCR 14/15 values of one bank from the stage2 and config bytes. */
    public static Stage1PcrValues predict(HashAlgorithm bank, byte[] stage2, byte[] config) {
        return predict(eventDigest(bank, stage2), eventDigest(bank, config));
    }
}
