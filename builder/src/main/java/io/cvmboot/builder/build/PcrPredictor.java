package io.cvmboot.builder.build;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.MeasureException;
import java.util.List;
import java.util.SortedMap;

/** Predicts the PCRs that booting a UKI (and stage1) produces. */
public interface PcrPredictor {
    /**
     * @param pcrs bank label → PCR index → predicted value (only fully predicted PCRs)
     * @param notPredicted PCR index → why it was not predicted
     */
    record Prediction(SortedMap<String, SortedMap<Integer, Digest>> pcrs, SortedMap<Integer, String> notPredicted) {}

    /**
     * @param uki the UKI as published
     * @param secureBoot whether it is booted with Secure Boot on
     * @param config stage1's config bytes
     * @param stage2 the stage2 binary, or null when only its digest in the config is known
     * @param banks bank labels to predict
     */
    Prediction predict(byte[] uki, boolean secureBoot, byte[] config, byte[] stage2, List<String> banks)
            throws MeasureException;
}
