package io.cvmboot.measure.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What guest policy a verifier accepts: exactly one value, or anything no more permissive than a
 * maximum (the semantics of go-sev-guest's validate.Options.GuestPolicy). Under a maximum, the
 * report's ABI version must be at least the maximum's, each permission bit (SMT, MIGRATE_MA,
 * DEBUG, CXL_ALLOW) may be set only if the maximum sets it, and each requirement bit
 * (SINGLE_SOCKET, MEM_AES_256_XTS, RAPL_DIS, CIPHERTEXT_HIDING, PAGE_SWAP_DISABLE) set in the
 * maximum must be set in the report. Either way bit 17 must be one and bits 63:26 zero.
 */
public record GuestPolicyRule(Kind kind, GuestPolicy value) {
    public enum Kind {
        EXACT,
        MAXIMUM
    }

    /** The default: SMT allowed; debug, migration agent and CXL refused; no ABI minimum. */
    public static final GuestPolicyRule DEFAULT = maximum(
            new GuestPolicy(1L << GuestPolicy.SMT | 1L << GuestPolicy.RESERVED_ONE));

    public GuestPolicyRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    public static GuestPolicyRule exact(GuestPolicy value) {
        return new GuestPolicyRule(Kind.EXACT, value);
    }

    public static GuestPolicyRule maximum(GuestPolicy value) {
        return new GuestPolicyRule(Kind.MAXIMUM, value);
    }

    /** The reasons {@code actual} is not acceptable; empty when it is. */
    public List<String> violations(GuestPolicy actual) {
        List<String> why = new ArrayList<>();
        if (!actual.isSet(GuestPolicy.RESERVED_ONE)) {
            why.add("bit 17 (reserved, must be 1) is 0");
        }
        if ((actual.bits() & GuestPolicy.RESERVED_ZERO_MASK) != 0) {
            why.add("reserved bits 63:26 are not zero");
        }
        if (kind == Kind.EXACT) {
            if (actual.bits() != value.bits()) {
                why.add("expected exactly " + value + ", found " + actual);
            }
            return why;
        }
        int want = value.abiMajor() << 8 | value.abiMinor();
        int have = actual.abiMajor() << 8 | actual.abiMinor();
        if (have < want) {
            why.add("ABI " + actual.abiMajor() + "." + actual.abiMinor() + " is below the minimum " + value.abiMajor()
                    + "." + value.abiMinor());
        }
        for (int bit : GuestPolicy.PERMISSIONS) {
            if (actual.isSet(bit) && !value.isSet(bit)) {
                why.add(GuestPolicy.bitName(bit) + " is allowed by the guest but not by the verifier");
            }
        }
        for (int bit : GuestPolicy.REQUIREMENTS) {
            if (value.isSet(bit) && !actual.isSet(bit)) {
                why.add(GuestPolicy.bitName(bit) + " is required by the verifier but not set by the guest");
            }
        }
        return why;
    }

    @Override
    public String toString() {
        return (kind == Kind.EXACT ? "exactly " : "at most ") + value;
    }
}
