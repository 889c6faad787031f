package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** PCR arithmetic shared by replay and prediction (TPM 2.0 Library Part 1, 17.6.5 "PCR Extend"). */
public final class Pcrs {
    /** PC Client PCRs 0-16 and 23 reset to zeros; 17-22 (DRTM) reset to all ones (PC Client PTP, Table 4). */
    public static final int FIRST_DRTM_PCR = 17;
    public static final int LAST_DRTM_PCR = 22;
    public static final int PCR_COUNT = 24;

    private Pcrs() {}

    /** PCR_new = H(PCR_old || digest), in the bank of {@code pcr}. */
    public static Digest extend(Digest pcr, Digest measurement) {
        if (pcr.algorithm() != measurement.algorithm()) {
            throw new IllegalArgumentException("cannot extend a " + pcr.algorithm().label() + " PCR with a "
                    + measurement.algorithm().label() + " digest");
        }
        var md = pcr.algorithm().newMessageDigest();
        md.update(pcr.bytes());
        md.update(measurement.bytes());
        return Digest.of(pcr.algorithm(), md.digest());
    }

    /** The value of {@code pcr} after a TPM reset (locality 0 start-up for PCR 0). */
    public static Digest resetValue(HashAlgorithm bank, int pcr) {
        byte[] value = new byte[bank.length()];
        if (pcr >= FIRST_DRTM_PCR && pcr <= LAST_DRTM_PCR) {
            Arrays.fill(value, (byte) 0xFF);
        }
        return Digest.of(bank, value);
    }

    /** The all-zero value. */
    public static Digest zero(HashAlgorithm bank) {
        return Digest.of(bank, new byte[bank.length()]);
    }

    /** {@code H(data)} in {@code bank}. */
    public static Digest hash(HashAlgorithm bank, byte[] data) {
        return Digest.compute(bank, data);
    }

    /** {@code H(ascii)}: the digest of an ASCII string without terminator (EV_EFI_ACTION strings). */
    public static Digest hashAscii(HashAlgorithm bank, String ascii) {
        return Digest.compute(bank, ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
