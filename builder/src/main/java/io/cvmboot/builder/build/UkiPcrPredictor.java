package io.cvmboot.builder.build;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.tpm.OvmfVarStore;
import io.cvmboot.measure.tpm.PcrPrediction;
import io.cvmboot.measure.tpm.UkiBootInputs;
import io.cvmboot.measure.tpm.UkiBootPredictor;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * PCR prediction for the published UKI booted by the published firmware: the variable store
 * (PCR 7) is read from the firmware image when it carries one (OVMF.fd does; a split OVMF_CODE
 * does not, and PCR 7 is then reported as not predicted).
 */
public final class UkiPcrPredictor implements PcrPredictor {
    private final byte[] firmware;

    public UkiPcrPredictor(byte[] firmware) {
        this.firmware = firmware.clone();
    }

    @Override
    public Prediction predict(byte[] uki, boolean secureBoot, byte[] config, byte[] stage2, List<String> banks)
            throws MeasureException {
        UkiBootInputs.Builder in = UkiBootInputs.builder(OutputLayout.UKI, uki)
                .banks(banks.stream().map(HashAlgorithm::fromLabel).toList())
                .stage1(stage2, stage2 == null ? null : config);
        OvmfVarStore vars = varStore();
        if (vars != null) {
            // The firmware's own variables decide whether Secure Boot is on: a signed UKI booted by a
            // firmware without enrolled keys runs with Secure Boot off, and PCR 4 then has the kernel.
            in.vars(vars);
        } else {
            in.secureBoot(secureBoot);
        }
        PcrPrediction p = UkiBootPredictor.predict(in.build());
        SortedMap<String, SortedMap<Integer, Digest>> values = new TreeMap<>();
        for (HashAlgorithm bank : p.banks()) {
            values.put(bank.label(), p.values().bank(bank));
        }
        return new Prediction(values, p.notPredicted());
    }

    private OvmfVarStore varStore() {
        try {
            return OvmfVarStore.parse(OutputLayout.FIRMWARE, firmware);
        } catch (MeasureException noVariableStore) {
            return null; // PCR 7 then appears under notPredicted with the predictor's reason
        }
    }
}
