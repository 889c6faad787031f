package io.cvmboot.measure.report;

import java.util.Objects;

/**
 * The outcome of one named verification check. {@code detail} says what was compared; for a
 * failure it carries the expected and the actual value (in hex where the values are bytes).
 * Shared by the SNP report and TPM quote verifiers.
 */
public record Check(String name, Status status, String detail) {
    public enum Status {
        PASSED,
        FAILED,
        /** Not evaluated because an earlier check that it relies on failed. */
        NOT_CHECKED
    }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public static Check passed(String name, String detail) {
        return new Check(name, Status.PASSED, detail);
    }

    public static Check failed(String name, String detail) {
        return new Check(name, Status.FAILED, detail);
    }

    public static Check mismatch(String name, String expected, String actual) {
        return new Check(name, Status.FAILED, "expected " + expected + ", found " + actual);
    }

    public static Check notChecked(String name, String why) {
        return new Check(name, Status.NOT_CHECKED, why);
    }

    public boolean isPassed() {
        return status == Status.PASSED;
    }

    public boolean isFailed() {
        return status == Status.FAILED;
    }

    @Override
    public String toString() {
        return status + " " + name + ": " + detail;
    }
}
