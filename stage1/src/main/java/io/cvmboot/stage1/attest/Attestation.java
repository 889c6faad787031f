package io.cvmboot.stage1.attest;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.tpm.QuoteResult;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Everything {@code /tmp/stage1.attest} holds (the lead's format, version 1).
 *
 * @param nonce the qualifying data of the quote
 * @param pcrs every allocated bank's PCR values, read after the quote
 * @param quoteBank bank of the quoted PCRs
 * @param quotedPcrs the quoted PCR indices
 * @param quote TPMS_ATTEST and TPMT_SIGNATURE
 * @param akPublic the AK's TPMT_PUBLIC
 * @param akSpki the AK as a DER SubjectPublicKeyInfo
 * @param akSource where the AK's template came from ({@link AttestationKey#source()})
 * @param akCertificate the cloud's DER certificate over the AK, or null
 * @param ekCertificates DER EK certificates found in NV, in index order
 * @param stage2 what stage2 was (absent for {@code --attest})
 * @param configSha256 SHA-256 of the raw config (absent for {@code --attest})
 * @param eventLog the firmware event log, or null where unreadable
 */
public record Attestation(
        byte[] nonce,
        Map<HashAlgorithm, SortedMap<Integer, Digest>> pcrs,
        HashAlgorithm quoteBank,
        BitSet quotedPcrs,
        QuoteResult quote,
        byte[] akPublic,
        byte[] akSpki,
        String akSource,
        byte[] akCertificate,
        List<byte[]> ekCertificates,
        Stage2Info stage2,
        Digest configSha256,
        byte[] eventLog) {

    /** The stage2 that was measured. */
    public record Stage2Info(String url, Digest sha256) {
        public Stage2Info {
            Objects.requireNonNull(url);
            Objects.requireNonNull(sha256);
        }
    }

    public Attestation {
        nonce = nonce.clone();
        pcrs = Map.copyOf(pcrs);
        quotedPcrs = (BitSet) quotedPcrs.clone();
        akPublic = akPublic.clone();
        akSpki = akSpki.clone();
        Objects.requireNonNull(akSource, "akSource");
        akCertificate = akCertificate == null ? null : akCertificate.clone();
        ekCertificates = ekCertificates.stream().map(byte[]::clone).toList();
        eventLog = eventLog == null ? null : eventLog.clone();
    }

    /** An attestation with stage1's own AK (no certificate). */
    public Attestation(byte[] nonce, Map<HashAlgorithm, SortedMap<Integer, Digest>> pcrs, HashAlgorithm quoteBank,
            BitSet quotedPcrs, QuoteResult quote, byte[] akPublic, byte[] akSpki, List<byte[]> ekCertificates,
            Stage2Info stage2, Digest configSha256, byte[] eventLog) {
        this(nonce, pcrs, quoteBank, quotedPcrs, quote, akPublic, akSpki, AttestationKey.OWN_SOURCE, null,
                ekCertificates, stage2, configSha256, eventLog);
    }
}
