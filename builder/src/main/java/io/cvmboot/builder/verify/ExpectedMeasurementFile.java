package io.cvmboot.builder.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvmboot.builder.cli.UserInputException;
import io.cvmboot.measure.tpm.PcrValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of expected-measurement.json (written by {@code builder build}) a verifier compares:
 * the SNP launch digests of every target configuration and the predicted PCRs. PCRs absent there
 * were not predicted and are not compared.
 */
public record ExpectedMeasurementFile(String cmdline, List<String> snpMeasurements, PcrValues tpm) {
    public ExpectedMeasurementFile {
        snpMeasurements = List.copyOf(snpMeasurements);
    }

    public static ExpectedMeasurementFile parse(String name, byte[] bytes) throws UserInputException {
        JsonFields f = new JsonFields(name);
        JsonNode root = f.parse(bytes);
        int version = f.integer(root, "", "version");
        if (version != 1) {
            throw new UserInputException(name + ": expected version 1, found " + version);
        }
        String cmdline = root.has("cmdline") ? f.text(root, "", "cmdline") : "";
        List<String> measurements = new ArrayList<>();
        JsonNode snp = root.get("snp");
        if (snp != null) {
            if (!snp.isArray()) {
                throw new UserInputException(name + ": expected an array at snp, found " + JsonFields.describe(snp));
            }
            for (int i = 0; i < snp.size(); i++) {
                byte[] m = f.hex(snp.get(i), "snp[" + i + "].", "measurement");
                if (m.length != 48) {
                    throw new UserInputException(name + ": expected 48 bytes at snp[" + i + "].measurement, found "
                            + m.length);
                }
                measurements.add(java.util.HexFormat.of().formatHex(m).toLowerCase(Locale.ROOT));
            }
        }
        PcrValues tpm = root.has("tpm") ? PcrJson.read(f, f.object(root, "", "tpm"), "tpm.") : new PcrValues(java.util.Map.of());
        return new ExpectedMeasurementFile(cmdline, measurements, tpm);
    }
}
