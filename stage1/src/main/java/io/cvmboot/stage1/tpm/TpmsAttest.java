package io.cvmboot.stage1.tpm;

import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.util.BitSet;
import java.util.Locale;

/**
 * A parsed TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE (TPM 2.0 Library Part 2, 10.12.8 and 10.12.12).
 *
 * @param qualifiedSigner name of the signing key
 * @param extraData the qualifying data passed to TPM2_Quote
 * @param resetCount TPMS_CLOCK_INFO.resetCount (changes on every TPM reset)
 * @param bank the hash of the quoted PCR bank
 * @param pcrs the quoted PCRs
 * @param pcrDigest H(concatenation of the quoted PCR values, in index order), H = the key's scheme hash
 */
public record TpmsAttest(byte[] qualifiedSigner, byte[] extraData, int resetCount, HashAlgorithm bank, BitSet pcrs,
        byte[] pcrDigest) {
    /** TPM_GENERATED_VALUE (Part 2, Table 7): marks structures the TPM produced itself. */
    static final int TPM_GENERATED_VALUE = 0xff544347;

    public static TpmsAttest parse(byte[] attest) throws IOException {
        TpmReader r = new TpmReader(attest, "TPMS_ATTEST");
        int magic = r.u32();
        if (magic != TPM_GENERATED_VALUE) {
            throw new IOException(String.format(Locale.ROOT, "TPMS_ATTEST: magic 0x%08X, expected 0x%08X", magic,
                    TPM_GENERATED_VALUE));
        }
        int type = r.u16();
        if (type != Tpm.TPM_ST_ATTEST_QUOTE) {
            throw new IOException(String.format(Locale.ROOT, "TPMS_ATTEST: type 0x%04X, expected a quote (0x8018)", type));
        }
        byte[] signer = r.tpm2b();
        byte[] extra = r.tpm2b();
        r.u64(); // clock
        int resetCount = r.u32();
        r.u32(); // restartCount
        r.u8(); // safe
        r.u64(); // firmwareVersion
        if (r.u32() != 1) {
            throw new IOException("TPMS_ATTEST: expected a quote over exactly one PCR bank");
        }
        HashAlgorithm bank = HashAlgorithm.fromTpmAlgId(r.u16());
        BitSet pcrs = BitSet.valueOf(r.bytes(r.u8()));
        byte[] digest = r.tpm2b();
        r.requireEnd();
        return new TpmsAttest(signer, extra, resetCount, bank, pcrs, digest);
    }
}
