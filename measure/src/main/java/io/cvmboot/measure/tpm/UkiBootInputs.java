package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a UKI boot prediction needs: the UKI file bytes and the banks, plus what is known about the
 * platform. Build with {@link #builder(byte[])}.
 *
 * @param ukiName how messages name the UKI
 * @param secureBoot the Secure Boot state the caller asserts, empty to derive it from the VARS or the
 *     reference log (off when neither is given)
 * @param vars the OVMF VARS image the VM starts from (PK, KEK, db, dbx: PCR 7)
 * @param referenceLog an event log of the target platform: source of the firmware-only PCRs
 * @param systemdVersion the systemd-stub major version to assume instead of the one in .sdmagic
 * @param loadOptions a command line passed to the UKI as LoadOptions (boot entry, shell, -append)
 * @param stage2 the stage2 binary stage1 will measure into PCR 14 (with {@code config})
 * @param config the raw config bytes stage1 will measure into PCR 15 (with {@code stage2})
 * @param espExtras credentials and sysexts next to the UKI on the ESP (none by default)
 * @param qemuKernelBoot the UKI is booted with QEMU {@code -kernel} (OVMF loads and measures it
 *     before ReadyToBoot) instead of from the ESP as a boot option
 */
public record UkiBootInputs(
        String ukiName,
        byte[] uki,
        List<HashAlgorithm> banks,
        Optional<Boolean> secureBoot,
        Optional<OvmfVarStore> vars,
        Optional<EventLog> referenceLog,
        Optional<Integer> systemdVersion,
        Optional<String> loadOptions,
        Optional<byte[]> stage2,
        Optional<byte[]> config,
        EspExtras espExtras,
        boolean qemuKernelBoot) {

    public UkiBootInputs {
        Objects.requireNonNull(ukiName, "ukiName");
        uki = uki.clone();
        banks = List.copyOf(banks.stream().distinct().toList());
        if (banks.isEmpty()) {
            throw new IllegalArgumentException("at least one PCR bank is needed");
        }
        stage2 = stage2.map(byte[]::clone);
        config = config.map(byte[]::clone);
        Objects.requireNonNull(espExtras, "espExtras");
        if (stage2.isPresent() != config.isPresent()) {
            throw new IllegalArgumentException("stage1 measures both stage2 (PCR 14) and its config (PCR 15): give both or neither");
        }
    }

    @Override
    public byte[] uki() {
        return uki.clone();
    }

    public static Builder builder(String ukiName, byte[] uki) {
        return new Builder(ukiName, uki);
    }

    /** Mutable builder; defaults: sha256 only, nothing known about the platform. */
    public static final class Builder {
        private final String ukiName;
        private final byte[] uki;
        private List<HashAlgorithm> banks = List.of(HashAlgorithm.SHA256);
        private Boolean secureBoot;
        private OvmfVarStore vars;
        private EventLog referenceLog;
        private Integer systemdVersion;
        private String loadOptions;
        private byte[] stage2;
        private byte[] config;
        private boolean qemuKernelBoot;
        private EspExtras espExtras = EspExtras.NONE;

        private Builder(String ukiName, byte[] uki) {
            this.ukiName = ukiName;
            this.uki = uki.clone();
        }

        public Builder banks(List<HashAlgorithm> banks) {
            this.banks = List.copyOf(banks);
            return this;
        }

        public Builder secureBoot(Boolean on) {
            this.secureBoot = on;
            return this;
        }

        public Builder vars(OvmfVarStore vars) {
            this.vars = vars;
            return this;
        }

        public Builder referenceLog(EventLog log) {
            this.referenceLog = log;
            return this;
        }

        public Builder systemdVersion(Integer major) {
            this.systemdVersion = major;
            return this;
        }

        public Builder loadOptions(String loadOptions) {
            this.loadOptions = loadOptions;
            return this;
        }

        public Builder stage1(byte[] stage2, byte[] config) {
            this.stage2 = stage2 == null ? null : stage2.clone();
            this.config = config == null ? null : config.clone();
            return this;
        }

        public Builder espExtras(EspExtras extras) {
            this.espExtras = extras;
            return this;
        }

        public Builder qemuKernelBoot(boolean on) {
            this.qemuKernelBoot = on;
            return this;
        }

        public UkiBootInputs build() {
            return new UkiBootInputs(ukiName, uki, banks, Optional.ofNullable(secureBoot), Optional.ofNullable(vars),
                    Optional.ofNullable(referenceLog), Optional.ofNullable(systemdVersion), Optional.ofNullable(loadOptions),
                    Optional.ofNullable(stage2), Optional.ofNullable(config), espExtras, qemuKernelBoot);
        }
    }
}
