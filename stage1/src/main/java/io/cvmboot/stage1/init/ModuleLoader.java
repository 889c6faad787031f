package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.exec.Native;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads init.properties' modules in order with finit_module(2). A refused module stops the boot,
 * unless {@link ModuleFailurePolicy} lets an optional one be skipped: then one line
 * {@code module NAME not loaded: ERRNO (optional)} is logged and the next module is loaded.
 */
public final class ModuleLoader {
    /** finit_module(2) of a file; {@link Native#finitModule} in production. */
    @FunctionalInterface
    interface FinitModule {
        void load(String path) throws Stage1Exception;
    }

    private final Log log;
    private final FinitModule finit;

    public ModuleLoader(Log log) {
        this(log, Native::finitModule);
    }

    ModuleLoader(Log log, FinitModule finit) {
        this.log = log;
        this.finit = finit;
    }

    /**
     * @return the optional modules that were skipped, in order
     * @throws Stage1Exception for a module file that cannot be opened, and for a refusal the policy
     *     does not tolerate (the kernel's errno in the message, the refusal chained)
     */
    public List<ModuleEntry> loadAll(List<ModuleEntry> modules) throws Stage1Exception {
        List<ModuleEntry> skipped = new ArrayList<>();
        for (ModuleEntry m : modules) {
            try {
                finit.load(m.path());
                log.line("loaded module " + m.path());
            } catch (Native.FinitModuleException e) {
                switch (ModuleFailurePolicy.decide(m, e.errno(), !skipped.isEmpty())) {
                    case ModuleFailurePolicy.Skip s -> {
                        log.line("module " + m.name() + " not loaded: " + s.errnoName() + " (optional)");
                        skipped.add(m);
                    }
                    case ModuleFailurePolicy.Fatal f -> throw new Stage1Exception(e.getMessage() + "; " + f.reason(), e);
                }
            }
        }
        return List.copyOf(skipped);
    }
}
