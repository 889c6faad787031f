package io.cvmboot.initrd;

import java.util.Objects;

/** One archive of a (possibly concatenated) initrd, with its compression. */
public record Segment(CpioArchive archive, Compression compression, int level) {
    public Segment {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(compression, "compression");
    }

    public static Segment of(CpioArchive archive, Compression compression) {
        return new Segment(archive, compression, compression.defaultLevel());
    }

    public static Segment uncompressed(CpioArchive archive) {
        return new Segment(archive, Compression.NONE, 0);
    }
}
