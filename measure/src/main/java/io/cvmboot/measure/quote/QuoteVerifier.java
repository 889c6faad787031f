package io.cvmboot.measure.quote;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.report.Check;
import io.cvmboot.measure.report.VerificationResult;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import io.cvmboot.measure.tpm.EventLog;
import io.cvmboot.measure.tpm.EventLogParser;
import io.cvmboot.measure.tpm.EventLogReplay;
import io.cvmboot.measure.tpm.PcrValues;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Verifies a TPM quote: the AK is a restricted signing key, its signature covers the TPMS_ATTEST,
 * the TPM generated it, and its PCR digest equals the hash of the PCR values presented. Only then
 * are the quoted values compared with the nonce, the replayed event log, stage1's claimed digests
 * and the prediction. Values outside the quote's selection are never trusted.
 */
public final class QuoteVerifier {
    private static final HexFormat HEX = HexFormat.of();

    private QuoteVerifier() {}

    /**
     * @throws MeasureException when the AK public area or the signature structure cannot be
     *     parsed at all (unusable input rather than a failed check)
     */
    public static VerificationResult verify(QuoteEvidence evidence, QuoteExpectations expected) throws MeasureException {
        TpmtPublic ak = TpmtPublic.parse("ak.public (TPMT_PUBLIC)", evidence.akPublic());
        TpmtSignature sig = TpmtSignature.parse("quote.signature (TPMT_SIGNATURE)", evidence.signature());
        List<Check> checks = new ArrayList<>();
        Authenticity auth = new Authenticity(evidence, ak, sig);
        List<Step> steps = List.of(new Step("ak.public", auth::akKey), new Step("ak.spki", auth::akSpki),
                new Step("quote.signature", auth::signature), new Step("quote.generated", auth::generated),
                new Step("quote.selection", auth::selection), new Step("quote.pcr-digest", auth::pcrDigest));
        for (int i = 0; i < steps.size(); i++) {
            Check c = steps.get(i).check().get();
            checks.add(c);
            if (!c.isPassed()) {
                for (Step later : steps.subList(i + 1, steps.size())) {
                    checks.add(Check.notChecked(later.name(), c.name() + " failed"));
                }
                checks.add(Check.notChecked("quoted values", "the quote is not authentic"));
                return new VerificationResult(checks);
            }
        }
        TpmsAttest attest = auth.attest;
        SortedMap<Integer, Digest> quoted = quotedValues(evidence, attest);
        HashAlgorithm bank = attest.pcrSelect().get(0).bank();
        checks.add(nonce(evidence, expected, attest));
        evidence.eventLog().ifPresent(log -> checks.addAll(replay(log, bank, quoted)));
        checks.addAll(stage1(evidence, bank, quoted));
        checks.addAll(predicted(expected.predicted(), bank, quoted));
        return new VerificationResult(checks);
    }

    /** One ordered authenticity check and the name it reports under. */
    private record Step(String name, java.util.function.Supplier<Check> check) {}

    private static final class Authenticity {
        private final QuoteEvidence evidence;
        private final TpmtPublic ak;
        private final TpmtSignature sig;
        private TpmsAttest attest;

        Authenticity(QuoteEvidence evidence, TpmtPublic ak, TpmtSignature sig) {
            this.evidence = evidence;
            this.ak = ak;
            this.sig = sig;
        }

        Check akKey() {
            String kind = ak.type() == TpmtPublic.TPM_ALG_ECC ? "ECC P-256" : "RSA-" + ak.keyBits();
            if (ak.type() == TpmtPublic.TPM_ALG_RSA && ak.keyBits() != 2048) {
                return Check.mismatch("ak.public", "an ECC P-256 or RSA-2048 key", kind);
            }
            long need = TpmtPublic.RESTRICTED | TpmtPublic.SIGN;
            // A restricted signing key only signs digests the TPM produced itself (Part 1, 25.3),
            // which is what makes a quote unforgeable by software using the same key.
            if ((ak.objectAttributes() & need) != need) {
                return Check.mismatch("ak.public", "objectAttributes with restricted and sign set",
                        String.format("0x%08x", ak.objectAttributes()));
            }
            return Check.passed("ak.public", kind + " restricted signing key, name " + HEX.formatHex(ak.name()));
        }

        Check akSpki() {
            if (evidence.akSpki().isEmpty()) {
                return Check.passed("ak.spki", "no SubjectPublicKeyInfo presented; TPMT_PUBLIC used");
            }
            try {
                PublicKey spki = KeyFactory.getInstance(ak.key().getAlgorithm())
                        .generatePublic(new X509EncodedKeySpec(evidence.akSpki().get()));
                if (!MessageDigest.isEqual(spki.getEncoded(), ak.key().getEncoded())) {
                    return Check.mismatch("ak.spki", "the key of ak.public " + HEX.formatHex(ak.key().getEncoded()),
                            HEX.formatHex(spki.getEncoded()));
                }
            } catch (GeneralSecurityException e) {
                return Check.failed("ak.spki", "SubjectPublicKeyInfo is not a " + ak.key().getAlgorithm() + " key: "
                        + e.getMessage());
            }
            return Check.passed("ak.spki", "equals the TPMT_PUBLIC key");
        }

        Check signature() {
            String name = "quote.signature";
            boolean ecc = ak.type() == TpmtPublic.TPM_ALG_ECC;
            if (sig.isEcdsa() != ecc) {
                return Check.mismatch(name, ecc ? "ECDSA (ECC AK)" : "RSASSA (RSA AK)", sig.isEcdsa() ? "ECDSA" : "RSASSA");
            }
            if (sig.hash() != HashAlgorithm.SHA256) {
                return Check.mismatch(name, "SHA-256 signing scheme", sig.hash().label());
            }
            try {
                Signature v = Signature.getInstance(ecc ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
                v.initVerify(ak.key());
                v.update(evidence.attest());
                if (!v.verify(ecc ? sig.p1363(32) : sig.rsaSignature())) {
                    return Check.failed(name, (ecc ? "ECDSA" : "RSASSA") + " signature over TPMS_ATTEST does not verify "
                            + "with the AK");
                }
            } catch (GeneralSecurityException | MeasureException e) {
                return Check.failed(name, "signature cannot be checked: " + e.getMessage());
            }
            return Check.passed(name, (ecc ? "ECDSA P-256" : "RSASSA-2048") + "/SHA-256 by the AK");
        }

        Check generated() {
            String name = "quote.generated";
            try {
                attest = TpmsAttest.parse("quote.attest (TPMS_ATTEST)", evidence.attest());
            } catch (MeasureException e) {
                return Check.failed(name, e.getMessage());
            }
            // TPM_GENERATED_VALUE marks data the TPM built itself; a restricted key refuses to sign
            // external data that starts with it (Part 1, 36.5 "Attestation").
            if (attest.magic() != TpmsAttest.TPM_GENERATED_VALUE) {
                return Check.mismatch(name, String.format("magic 0x%08x (TPM_GENERATED_VALUE)", TpmsAttest.TPM_GENERATED_VALUE),
                        String.format("0x%08x", attest.magic()));
            }
            return Check.passed(name, "TPM-generated quote, resetCount " + attest.resetCount() + ", restartCount "
                    + attest.restartCount());
        }

        Check selection() {
            String name = "quote.selection";
            List<PcrSelection> sel = attest.pcrSelect();
            if (sel.size() != 1 || !sel.get(0).equals(evidence.declaredSelection())) {
                return Check.mismatch(name, "the declared selection " + evidence.declaredSelection(), sel.toString());
            }
            for (int pcr : sel.get(0).pcrs()) {
                if (evidence.pcrs().get(sel.get(0).bank(), pcr).isEmpty()) {
                    return Check.failed(name, "quoted PCR " + sel.get(0).bank().label() + ":" + pcr
                            + " has no value in the evidence");
                }
            }
            return Check.passed(name, sel.get(0).toString());
        }

        Check pcrDigest() {
            // TPM2_Quote hashes the selected PCR values, concatenated in selection order, with the
            // signing scheme's hash (TPM 2.0 Part 3, 18.4.1).
            ByteArrayOutputStream concat = new ByteArrayOutputStream();
            PcrSelection sel = attest.pcrSelect().get(0);
            for (int pcr : sel.pcrs()) {
                concat.writeBytes(evidence.pcrs().get(sel.bank(), pcr).orElseThrow().bytes());
            }
            byte[] computed = Digest.compute(sig.hash(), concat.toByteArray()).bytes();
            if (!MessageDigest.isEqual(computed, attest.pcrDigest())) {
                return Check.mismatch("quote.pcr-digest", HEX.formatHex(attest.pcrDigest()) + " (quoted)",
                        HEX.formatHex(computed) + " (hash of the presented PCR values)");
            }
            return Check.passed("quote.pcr-digest", HEX.formatHex(computed));
        }
    }

    private static SortedMap<Integer, Digest> quotedValues(QuoteEvidence evidence, TpmsAttest attest) {
        PcrSelection sel = attest.pcrSelect().get(0);
        SortedMap<Integer, Digest> out = new java.util.TreeMap<>();
        for (int pcr : sel.pcrs()) {
            out.put(pcr, evidence.pcrs().get(sel.bank(), pcr).orElseThrow());
        }
        return out;
    }

    private static Check nonce(QuoteEvidence evidence, QuoteExpectations expected, TpmsAttest attest) {
        byte[] extra = attest.extraData();
        if (expected.nonce().isPresent()) {
            byte[] want = expected.nonce().get();
            return MessageDigest.isEqual(want, extra)
                    ? Check.passed("quote.nonce", HEX.formatHex(extra))
                    : Check.mismatch("quote.nonce", HEX.formatHex(want), HEX.formatHex(extra));
        }
        return MessageDigest.isEqual(evidence.nonce(), extra)
                ? Check.passed("quote.nonce", HEX.formatHex(extra) + " (the file's own nonce: no --nonce given, so "
                        + "freshness is not established)")
                : Check.mismatch("quote.nonce", HEX.formatHex(evidence.nonce()) + " (the file's nonce field)",
                        HEX.formatHex(extra));
    }

    private static List<Check> replay(byte[] log, HashAlgorithm bank, SortedMap<Integer, Digest> quoted) {
        PcrValues replayed;
        try {
            EventLog parsed = EventLogParser.parse("event log", log);
            replayed = EventLogReplay.replay(parsed, List.of(bank));
        } catch (MeasureException e) {
            return List.of(Check.failed("eventlog.replay", e.getMessage()));
        }
        List<Check> checks = new ArrayList<>();
        for (Map.Entry<Integer, Digest> e : replayed.bank(bank).entrySet()) {
            Digest actual = quoted.get(e.getKey());
            if (actual == null) {
                continue; // A PCR the quote does not cover proves nothing either way.
            }
            String name = "eventlog." + bank.label() + "." + e.getKey();
            checks.add(actual.equals(e.getValue())
                    ? Check.passed(name, actual.hex())
                    : Check.mismatch(name, e.getValue().hex() + " (replayed)", actual.hex() + " (quoted)"));
        }
        if (checks.isEmpty()) {
            checks.add(Check.failed("eventlog.replay", "the event log extends none of the quoted PCRs"));
        }
        return checks;
    }

    private static List<Check> stage1(QuoteEvidence evidence, HashAlgorithm bank, SortedMap<Integer, Digest> quoted) {
        if (evidence.stage2Sha256().isEmpty() && evidence.configSha256().isEmpty()) {
            return List.of();
        }
        List<Check> checks = new ArrayList<>();
        if (bank != HashAlgorithm.SHA256) {
            checks.add(Check.failed("stage1.digests", "stage1 digests are SHA-256 but the quote covers the "
                    + bank.label() + " bank"));
            return checks;
        }
        Digest zero = Stage1Pcrs.resetValue(bank);
        evidence.stage2Sha256().ifPresent(d -> checks.add(stage1Pcr("stage1.stage2", Stage1Pcrs.STAGE2_PCR,
                Stage1Pcrs.extend(zero, d), quoted)));
        evidence.configSha256().ifPresent(d -> checks.add(stage1Pcr("stage1.config", Stage1Pcrs.CONFIG_PCR,
                Stage1Pcrs.extend(zero, d), quoted)));
        return checks;
    }

    private static Check stage1Pcr(String name, int pcr, Digest predicted, SortedMap<Integer, Digest> quoted) {
        Digest actual = quoted.get(pcr);
        if (actual == null) {
            return Check.failed(name, "PCR " + pcr + " is not covered by the quote");
        }
        return actual.equals(predicted)
                ? Check.passed(name, "PCR " + pcr + " = H(zeros || digest in the file)")
                : Check.mismatch(name, predicted.hex() + " (from the file's digest)", actual.hex() + " (quoted PCR " + pcr
                        + ")");
    }

    private static List<Check> predicted(PcrValues predicted, HashAlgorithm bank, SortedMap<Integer, Digest> quoted) {
        List<Check> checks = new ArrayList<>();
        for (var b : predicted.values().entrySet()) {
            for (var e : b.getValue().entrySet()) {
                String name = "pcr." + b.getKey().label() + "." + e.getKey();
                Digest actual = b.getKey() == bank ? quoted.get(e.getKey()) : null;
                if (actual == null) {
                    checks.add(Check.failed(name, "predicted " + e.getValue().hex() + " but the quote does not cover "
                            + b.getKey().label() + ":" + e.getKey()));
                } else {
                    checks.add(actual.equals(e.getValue())
                            ? Check.passed(name, actual.hex())
                            : Check.mismatch(name, e.getValue().hex(), actual.hex()));
                }
            }
        }
        return checks;
    }
}
