package io.cvmboot.builder.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Disables a {@link Needs} class, naming the first prerequisite that is missing. */
public final class NeedsCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Prerequisite[] needs = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, Needs.class))
                .map(Needs::value)
                .orElse(new Prerequisite[0]);
        for (Prerequisite p : needs) {
            if (!p.met()) {
                return ConditionEvaluationResult.disabled(p.whenMissing());
            }
        }
        return ConditionEvaluationResult.enabled("prerequisites met");
    }
}
