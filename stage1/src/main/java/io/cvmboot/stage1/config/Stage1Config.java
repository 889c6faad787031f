package io.cvmboot.stage1.config;

import io.cvmboot.measure.Digest;
import io.cvmboot.stage1.Stage1Exception;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed stage1 config: the per-architecture stage2 targets and arguments, plus the raw bytes,
 * which are what is measured (PCR 15) and handed to stage2 unchanged.
 *
 * @param raw the config bytes exactly as fetched
 * @param targets one entry per architecture named in {@code _stage2}, at least one
 * @param args arguments for stage2 (argv[1..])
 */
public record Stage1Config(byte[] raw, Map<Architecture, Stage2Target> targets, List<String> args) {
    public Stage1Config {
        raw = raw.clone();
        targets = Map.copyOf(targets);
        args = List.copyOf(args);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a config names at least one architecture");
        }
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** SHA-256 of the raw bytes, as logged and as stage1 extends into PCR 15's SHA-256 bank. */
    public Digest sha256() {
        return Digest.compute(Digest.HashAlgorithm.SHA256, raw);
    }

    /** The target for {@code arch}; a config without it cannot boot this machine. */
    public Stage2Target target(Architecture arch) throws Stage1Exception {
        Stage2Target t = targets.get(Objects.requireNonNull(arch));
        if (t == null) {
            throw new Stage1Exception("config: _stage2 has no entry for this machine's architecture '" + arch.key()
                    + "' (found: " + targets.keySet().stream().map(Architecture::key).sorted().toList() + ")");
        }
        return t;
    }
}
