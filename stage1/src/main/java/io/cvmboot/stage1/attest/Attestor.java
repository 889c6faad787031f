package io.cvmboot.stage1.attest;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.tpm.AkTemplate;
import io.cvmboot.stage1.tpm.CreatedKey;
import io.cvmboot.stage1.tpm.PcrBank;
import io.cvmboot.stage1.tpm.QuoteResult;
import io.cvmboot.stage1.tpm.Tpm;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Makes an attestation: finds or creates the AK (a cloud's when one is provisioned, see
 * {@link AttestationKeys}), quotes PCRs 0-15 of the SHA-256 bank with the given nonce, reads every
 * allocated bank, collects EK certificates, and flushes an AK it created on every path.
 */
public final class Attestor {
    /**
     * EK certificate NV indices, TCG EK Credential Profile 2.x, 2.2.1.4 ("Low Range": RSA 2048
     * 0x01C00002, ECC P-256 0x01C0000A) and 2.2.1.5 ("High Range": RSA 2048 0x01C00012, ECC P-256
     * 0x01C00014, P-384 0x01C00016, P-521 0x01C00018, RSA 3072 0x01C0001C, RSA 4096 0x01C0001E).
     */
    static final int[] EK_CERT_INDICES = {0x01C00002, 0x01C0000A, 0x01C00012, 0x01C00014, 0x01C00016,
            0x01C00018, 0x01C0001C, 0x01C0001E};
    /** The PCRs a UKI boot and stage1 define (0-15); 16-23 are debug/application PCRs. */
    public static final BitSet QUOTED_PCRS = BitSet.valueOf(new long[] {0xFFFF});

    private final Tpm tpm;
    private final Log log;
    private final NvIndexReader nv;

    public Attestor(Tpm tpm, Log log) {
        this.tpm = tpm;
        this.log = log;
        this.nv = new NvIndexReader(tpm);
    }

    /**
     * @param ownTemplate the AK template used when no cloud AK template is in NV
     * @throws IOException for TPM errors, and naming the NV index for an unusable cloud AK template
     *     or an AK certificate that is not over the created AK
     */
    public Attestation attest(byte[] nonce, AkTemplate ownTemplate, List<PcrBank> banks, Attestation.Stage2Info stage2,
            Digest configSha256, byte[] eventLog) throws IOException {
        HashAlgorithm quoteBank = banks.stream().map(PcrBank::algorithm).filter(a -> a == HashAlgorithm.SHA256)
                .findFirst().orElseThrow(() -> new IOException("TPM has no SHA-256 PCR bank to quote"));
        AttestationKey ak = new AttestationKeys(tpm, nv, log).create(ownTemplate);
        CreatedKey key = ak.key();
        QuoteResult quote;
        try {
            quote = tpm.quote(key.handle(), nonce, quoteBank, QUOTED_PCRS);
        } finally {
            if (ak.loaded()) {
                tpm.flush(key.handle()); // a cloud's persistent AK stays for the next boot
            }
        }
        Map<HashAlgorithm, SortedMap<Integer, Digest>> pcrs = new EnumMap<>(HashAlgorithm.class);
        for (PcrBank bank : banks) {
            pcrs.put(bank.algorithm(), new TreeMap<>(tpm.pcrRead(bank.algorithm(), bank.pcrs())));
        }
        byte[] spki = TpmPublicKey.toJca(key.publicArea()).getEncoded();
        return new Attestation(nonce, pcrs, quoteBank, QUOTED_PCRS, quote, key.publicArea(), spki, ak.source(),
                ak.certificate(), ekCertificates(), stage2, configSha256, eventLog);
    }

    /** Every EK certificate present; an absent index is normal (swtpm without setup, many vTPMs). */
    List<byte[]> ekCertificates() throws IOException {
        List<byte[]> certs = new ArrayList<>();
        for (int index : EK_CERT_INDICES) {
            Optional<byte[]> data = nv.readIfPresent(index);
            if (data.isEmpty()) {
                continue;
            }
            byte[] der = trimDer(data.get());
            if (der == null) {
                log.line(String.format(Locale.ROOT, "EK certificate index 0x%08X holds no DER certificate; skipped", index));
                continue;
            }
            certs.add(der);
        }
        return certs;
    }

    /** NV indices are often larger than the certificate; the DER header says how long it is. */
    static byte[] trimDer(byte[] data) {
        if (data.length < 4 || data[0] != 0x30) {
            return null;
        }
        int len;
        int header;
        int b1 = data[1] & 0xFF;
        if (b1 < 0x80) {
            len = b1;
            header = 2;
        } else if (b1 == 0x81) {
            len = data[2] & 0xFF;
            header = 3;
        } else if (b1 == 0x82) {
            len = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
            header = 4;
        } else {
            return null;
        }
        if (header + len > data.length) {
            return null;
        }
        return java.util.Arrays.copyOf(data, header + len);
    }
}
