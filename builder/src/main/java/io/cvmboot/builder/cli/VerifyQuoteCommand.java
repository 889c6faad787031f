package io.cvmboot.builder.cli;

import io.cvmboot.builder.verify.CheckPrinter;
import io.cvmboot.builder.verify.ExpectedMeasurementFile;
import io.cvmboot.builder.verify.Stage1Attestation;
import io.cvmboot.builder.verify.Stage1AttestationFile;
import io.cvmboot.builder.verify.Stage1AttestationVerifier;
import io.cvmboot.measure.quote.QuoteExpectations;
import io.cvmboot.measure.report.VerificationResult;
import io.cvmboot.measure.report.X509Certificates;
import io.cvmboot.measure.tpm.PcrValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code builder verify-quote}: a stage1 attestation file (TPM quote) against the expected PCRs. */
@Command(name = "verify-quote", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verifies a stage1 attestation file: the AK is a restricted signing key, the quote signature, the "
                + "quoted PCR digest, the nonce, the event log replay and the PCRs predicted in expected-measurement.json; "
                + "a cloud AK certificate in the file is printed and must be over the AK (and chain to --ak-ca).",
            "Prints one line per check (PASS/FAIL/SKIP); exit 0 when every check passes, 3 when one fails, "
                + "2 for unusable input."})
public final class VerifyQuoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--attestation", required = true, paramLabel = "FILE",
            description = "The stage1 attestation file (/tmp/stage1.attest, JSON).")
    Path attestation;

    @Option(names = "--eventlog", paramLabel = "FILE",
            description = "The TCG event log (binary_bios_measurements); replaces the one embedded in the file.")
    Path eventlog;

    @Option(names = "--expected", paramLabel = "FILE",
            description = "expected-measurement.json: every PCR predicted there must equal the quoted value.")
    Path expected;

    @Option(names = "--nonce", paramLabel = "HEX",
            description = "The nonce the verifier chose: the quote's qualifying data must equal it.")
    String nonce;

    @Option(names = "--ak-ca", paramLabel = "FILE",
            description = "PEM certificates of the cloud's AK CA (root, optionally intermediates): the attestation's AK "
                    + "certificate must chain to them (PKIX, valid now, no revocation check); an attestation without "
                    + "one fails.")
    Path akCa;

    @Option(names = "--json", description = "Print the checks as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Stage1Attestation file = Stage1AttestationFile.read(attestation.toString(), Files.readAllBytes(attestation));
        if (eventlog != null) {
            file = file.withEventLog(Files.readAllBytes(eventlog));
        }
        PcrValues predicted = new PcrValues(Map.of());
        if (expected != null) {
            predicted = ExpectedMeasurementFile.parse(expected.toString(), Files.readAllBytes(expected)).tpm();
            if (predicted.values().values().stream().allMatch(Map::isEmpty)) {
                throw new UserInputException(expected + ": expected predicted PCRs under tpm, found none");
            }
        } else {
            err.println("builder verify-quote: no --expected: PCR values are authenticated but not compared with a "
                    + "prediction");
        }
        Optional<byte[]> wanted = Optional.empty();
        if (nonce != null) {
            try {
                wanted = Optional.of(HexFormat.of().parseHex(nonce.startsWith("0x") ? nonce.substring(2) : nonce));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--nonce: expected hex, found '" + nonce + "'", e);
            }
        }
        Optional<List<X509Certificate>> trusted = Optional.empty();
        if (akCa != null) {
            trusted = Optional.of(X509Certificates.parseAll(akCa.toString(), Files.readAllBytes(akCa)));
        } else if (file.akCertificate().isPresent()) {
            err.println("builder verify-quote: no --ak-ca: the AK certificate is checked against the AK but its issuer "
                    + "is not verified");
        }
        // The CLI's clock: the library takes the validation time as a value.
        VerificationResult result = Stage1AttestationVerifier.verify(file, new QuoteExpectations(wanted, predicted),
                trusted, "--ak-ca " + akCa, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (json) {
            CheckPrinter.json(result, out);
        } else {
            CheckPrinter.text(result, out);
        }
        return result.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
