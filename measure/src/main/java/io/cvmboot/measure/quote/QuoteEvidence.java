package io.cvmboot.measure.quote;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.tpm.PcrValues;
import java.util.Objects;
import java.util.Optional;

/**
 * What a guest sends to prove its TPM state (the stage1 attestation file, decoded): the PCR values
 * it read, the quote over some of them (TPMS_ATTEST + TPMT_SIGNATURE), the AK that signed it
 * (TPMT_PUBLIC and optionally its SubjectPublicKeyInfo), optionally the firmware event log, and
 * the stage2/config digests stage1 claims to have measured. Byte arrays are copied in and out.
 */
public final class QuoteEvidence {
    private final byte[] nonce;
    private final PcrValues pcrs;
    private final PcrSelection declaredSelection;
    private final byte[] attest;
    private final byte[] signature;
    private final byte[] akPublic;
    private final Optional<byte[]> akSpki;
    private final Optional<byte[]> eventLog;
    private final Optional<Digest> stage2Sha256;
    private final Optional<Digest> configSha256;

    public QuoteEvidence(byte[] nonce, PcrValues pcrs, PcrSelection declaredSelection, byte[] attest, byte[] signature,
            byte[] akPublic, Optional<byte[]> akSpki, Optional<byte[]> eventLog, Optional<Digest> stage2Sha256,
            Optional<Digest> configSha256) {
        this.nonce = nonce.clone();
        this.pcrs = Objects.requireNonNull(pcrs, "pcrs");
        this.declaredSelection = Objects.requireNonNull(declaredSelection, "declaredSelection");
        this.attest = attest.clone();
        this.signature = signature.clone();
        this.akPublic = akPublic.clone();
        this.akSpki = akSpki.map(byte[]::clone);
        this.eventLog = eventLog.map(byte[]::clone);
        this.stage2Sha256 = Objects.requireNonNull(stage2Sha256, "stage2Sha256");
        this.configSha256 = Objects.requireNonNull(configSha256, "configSha256");
    }

    /** The same evidence with {@code log} as its event log (a log given separately replaces the embedded one). */
    public QuoteEvidence withEventLog(byte[] log) {
        return new QuoteEvidence(nonce, pcrs, declaredSelection, attest, signature, akPublic, akSpki,
                Optional.of(log), stage2Sha256, configSha256);
    }

    /** The same evidence with other PCR values (tests use it to tamper). */
    public QuoteEvidence withPcrs(PcrValues other) {
        return new QuoteEvidence(nonce, other, declaredSelection, attest, signature, akPublic, akSpki, eventLog,
                stage2Sha256, configSha256);
    }

    /** The nonce the file claims was the quote's qualifying data. */
    public byte[] nonce() {
        return nonce.clone();
    }

    public PcrValues pcrs() {
        return pcrs;
    }

    public PcrSelection declaredSelection() {
        return declaredSelection;
    }

    public byte[] attest() {
        return attest.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    public byte[] akPublic() {
        return akPublic.clone();
    }

    public Optional<byte[]> akSpki() {
        return akSpki.map(byte[]::clone);
    }

    public Optional<byte[]> eventLog() {
        return eventLog.map(byte[]::clone);
    }

    public Optional<Digest> stage2Sha256() {
        return stage2Sha256;
    }

    public Optional<Digest> configSha256() {
        return configSha256;
    }

    /** Convenience for callers without an event log or stage1 digests. */
    public static QuoteEvidence of(byte[] nonce, PcrValues pcrs, PcrSelection selection, byte[] attest,
            byte[] signature, byte[] akPublic) {
        return new QuoteEvidence(nonce, pcrs, selection, attest, signature, akPublic, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
