package io.cvmboot.builder.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.measure.report.Check;
import io.cvmboot.measure.report.VerificationResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a verification result: one line per check ("PASS name: detail", "FAIL name: expected
 * ..., found ...", "SKIP name: why") and a verdict, or the same as JSON.
 */
public final class CheckPrinter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckPrinter() {}

    public static void text(VerificationResult result, PrintWriter out) {
        for (Check c : result.checks()) {
            out.println(label(c.status()) + " " + c.name() + ": " + c.detail());
        }
        long failed = result.failures().size();
        out.println(result.passed() ? "VERIFIED: all " + result.checks().size() + " checks passed"
                : "NOT VERIFIED: " + failed + " check" + (failed == 1 ? "" : "s") + " failed");
    }

    public static void json(VerificationResult result, PrintWriter out) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("verified", result.passed());
        ArrayNode checks = root.putArray("checks");
        for (Check c : result.checks()) {
            ObjectNode n = checks.addObject();
            n.put("name", c.name());
            n.put("status", c.status().name().toLowerCase(Locale.ROOT));
            n.put("detail", c.detail());
        }
        try {
            out.println(MAPPER.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    private static String label(Check.Status s) {
        return switch (s) {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case NOT_CHECKED -> "SKIP";
        };
    }
}
