package io.cvmboot.measure.report;

import java.util.List;

/**
 * Every check a verifier ran, in order. The evidence is accepted only if no check failed and at
 * least one ran; a check skipped because an earlier one failed is {@link Check.Status#NOT_CHECKED}.
 */
public record VerificationResult(List<Check> checks) {
    public VerificationResult {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return !checks.isEmpty() && checks.stream().noneMatch(Check::isFailed)
                && checks.stream().noneMatch(c -> c.status() == Check.Status.NOT_CHECKED);
    }

    public List<Check> failures() {
        return checks.stream().filter(Check::isFailed).toList();
    }

    /** Names of the failed checks, in order. */
    public List<String> failedNames() {
        return failures().stream().map(Check::name).toList();
    }
}
