package io.cvmboot.builder.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cvmboot.builder.cli.UserInputException;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.tpm.PcrValues;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads {"sha256":{"0":"<hex>",...},...} as used by the attestation file and expected-measurement.json. */
final class PcrJson {
    private PcrJson() {}

    static PcrValues read(JsonFields f, JsonNode banks, String path) throws UserInputException {
        Map<HashAlgorithm, SortedMap<Integer, Digest>> out = new EnumMap<>(HashAlgorithm.class);
        for (var bank : banks.properties()) {
            HashAlgorithm alg;
            try {
                alg = HashAlgorithm.fromLabel(bank.getKey());
            } catch (IllegalArgumentException e) {
                throw new UserInputException(f.file() + ": " + path + bank.getKey() + ": " + e.getMessage(), e);
            }
            if (!bank.getValue().isObject()) {
                throw new UserInputException(f.file() + ": expected an object of PCR values at " + path + bank.getKey()
                        + ", found " + JsonFields.describe(bank.getValue()));
            }
            SortedMap<Integer, Digest> values = new TreeMap<>();
            for (var pcr : bank.getValue().properties()) {
                String where = path + bank.getKey() + "." + pcr.getKey();
                int index;
                try {
                    index = Integer.parseInt(pcr.getKey());
                } catch (NumberFormatException e) {
                    throw new UserInputException(f.file() + ": expected a PCR index 0..23 at " + where, e);
                }
                if (index < 0 || index > 23 || !pcr.getValue().isTextual()) {
                    throw new UserInputException(f.file() + ": expected PCR index 0..23 with a hex value at " + where
                            + ", found " + JsonFields.describe(pcr.getValue()));
                }
                try {
                    values.put(index, Digest.of(alg, HexFormat.of().parseHex(pcr.getValue().asText())));
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(f.file() + ": expected " + alg.length() + " bytes of hex at " + where
                            + ": " + e.getMessage(), e);
                }
            }
            out.put(alg, values);
        }
        return new PcrValues(out);
    }
}
