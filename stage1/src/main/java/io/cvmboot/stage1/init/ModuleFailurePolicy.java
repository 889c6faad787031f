package io.cvmboot.stage1.init;

/**
 * Whether the boot goes on after finit_module(2) refused a module. Pure: the module, the errno and
 * what happened to the modules before it in, a verdict out.
 *
 * <p>Only an <em>optional</em> module may be skipped, and only for the two answers that mean its
 * hardware is not in this machine:
 * <ul>
 *   <li>{@code ENODEV}: the module's init found no device. hv_vmbus answers so outside Hyper-V
 *       ({@code hv_acpi_init}: "if (!hv_is_hyperv_initialized()) return -ENODEV", drivers/hv/vmbus_drv.c).
 *       NIC drivers on a bus (PCI: ena, gve; virtio: virtio_net) do not: they register and load without a device.</li>
 *   <li>{@code ENOENT}: a symbol the module needs is exported by no loaded module ("Unknown symbol",
 *       kernel/module/main.c, simplify_symbols). hv_netvsc answers so when hv_vmbus was skipped. It is
 *       tolerated only when an optional module listed earlier was skipped: otherwise nothing absent
 *       explains it, and it means a dependency missing from the list or listed after the module, a
 *       mistake in the build spec that must not pass silently on every cloud.</li>
 * </ul>
 * Everything else stays fatal, for optional modules too: {@code ENOEXEC}/{@code EINVAL} (not a module
 * of this kernel, or a symbol version mismatch), {@code EKEYREJECTED}/{@code EPERM} (signature or
 * lockdown), {@code ENOMEM}, ... And any failure of a required module is fatal, as is a module file
 * that cannot be opened (that is a broken initrd, never an absent device).
 */
public final class ModuleFailurePolicy {
    // include/uapi/asm-generic/errno-base.h
    static final int ENOENT = 2;
    static final int ENODEV = 19;

    private ModuleFailurePolicy() {}

    /** What to do about a module the kernel refused. */
    public sealed interface Verdict permits Skip, Fatal {}

    /** Go on without the module; {@code errnoName} is what the log line names. */
    public record Skip(String errnoName) implements Verdict {}

    /** Stop the boot; {@code reason} says why the failure cannot be tolerated. */
    public record Fatal(String reason) implements Verdict {}

    /**
     * @param module the module finit_module refused
     * @param errno finit_module's errno
     * @param optionalSkippedEarlier an optional module before this one in the list was skipped
     */
    public static Verdict decide(ModuleEntry module, int errno, boolean optionalSkippedEarlier) {
        if (!module.optional()) {
            return new Fatal("module " + module.name() + " is required");
        }
        if (errno == ENODEV) {
            return new Skip("ENODEV");
        }
        if (errno == ENOENT) {
            return optionalSkippedEarlier ? new Skip("ENOENT")
                    : new Fatal("optional module " + module.name() + " needs a symbol no loaded module exports, and no"
                            + " optional module before it was skipped: a dependency is missing from the list or listed after it");
        }
        return new Fatal("optional module " + module.name() + " may be skipped only for ENODEV (no such device) or ENOENT"
                + " (depends on a skipped module), found errno " + errno);
    }
}
