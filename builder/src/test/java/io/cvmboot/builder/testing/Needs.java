package io.cvmboot.builder.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a test class needs before any of it runs, its {@code @BeforeAll} included. Without one of
 * them the class is disabled, which Surefire counts as one skipped test per test method, with the
 * reason. (An assumption that fails in {@code @BeforeAll} aborts the class instead, and Surefire
 * then reports "Tests run: 0": a run that proved nothing would read as a pass.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsCondition.class)
public @interface Needs {
    Prerequisite[] value();
}
