package io.cvmboot.measure.quote;

import io.cvmboot.measure.tpm.PcrValues;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier expects of an authentic quote: the nonce it sent (the quote's qualifying data)
 * and the predicted PCR values (from expected-measurement.json). PCRs absent from the prediction
 * are not compared; every predicted PCR must be covered by the quote.
 */
public record QuoteExpectations(Optional<byte[]> nonce, PcrValues predicted) {
    public QuoteExpectations {
        Objects.requireNonNull(predicted, "predicted");
        nonce = nonce.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> nonce() {
        return nonce.map(byte[]::clone);
    }

    // Records compare arrays by reference; this one compares the nonce bytes.
    @Override
    public boolean equals(Object o) {
        return o instanceof QuoteExpectations q && q.predicted.equals(predicted)
                && q.nonce.isPresent() == nonce.isPresent()
                && (nonce.isEmpty() || java.util.Arrays.equals(q.nonce.get(), nonce.get()));
    }

    @Override
    public int hashCode() {
        return 31 * predicted.hashCode() + nonce.map(java.util.Arrays::hashCode).orElse(0);
    }
}
