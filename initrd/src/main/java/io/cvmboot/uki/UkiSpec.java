package io.cvmboot.uki;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes into a Unified Kernel Image: the systemd-stub, the kernel and the payload sections.
 * Immutable (every array is copied in and out); build with {@link #builder()}. Only the stub and the
 * kernel are required; an absent or empty payload gets no section, as with ukify.
 */
public final class UkiSpec {
    private final byte[] stub;
    private final byte[] linux;
    private final List<byte[]> initrds;
    private final byte[] cmdline;
    private final byte[] osRelease;
    private final String uname;
    private final byte[] sbat;
    private final byte[] dtb;
    private final byte[] splash;
    private final byte[] pcrpkey;

    private UkiSpec(Builder b) {
        this.stub = Objects.requireNonNull(b.stub, "stub").clone();
        this.linux = Objects.requireNonNull(b.linux, "linux").clone();
        this.initrds = b.initrds.stream().map(byte[]::clone).toList();
        this.cmdline = copy(b.cmdline);
        this.osRelease = copy(b.osRelease);
        this.uname = b.uname;
        this.sbat = copy(b.sbat);
        this.dtb = copy(b.dtb);
        this.splash = copy(b.splash);
        this.pcrpkey = copy(b.pcrpkey);
    }

    public static Builder builder() {
        return new Builder();
    }

    public byte[] stub() {
        return stub.clone();
    }

    public byte[] linux() {
        return linux.clone();
    }

    /** The initrds in order; the UKI's .initrd joins them, each zero-padded to 4 bytes when there are several. */
    public List<byte[]> initrds() {
        return initrds.stream().map(byte[]::clone).toList();
    }

    public Optional<byte[]> cmdline() {
        return optional(cmdline);
    }

    public Optional<byte[]> osRelease() {
        return optional(osRelease);
    }

    /** The .uname text; empty means "detect it from the kernel's setup header". */
    public Optional<String> uname() {
        return Optional.ofNullable(uname);
    }

    /** User SBAT text (with its "sbat,1," header line); empty means ukify's default "uki" entry. */
    public Optional<byte[]> sbat() {
        return optional(sbat);
    }

    public Optional<byte[]> dtb() {
        return optional(dtb);
    }

    public Optional<byte[]> splash() {
        return optional(splash);
    }

    public Optional<byte[]> pcrpkey() {
        return optional(pcrpkey);
    }

    private static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }

    private static Optional<byte[]> optional(byte[] b) {
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    /** Mutable builder for {@link UkiSpec}. */
    public static final class Builder {
        // Python's str.split() separators: Unicode White_Space plus the ASCII separators 0x1c-0x1f.
        private static final java.util.regex.Pattern WHITESPACE =
                java.util.regex.Pattern.compile("[\\s\\x1c-\\x1f]+", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
        private byte[] stub;
        private byte[] linux;
        private final List<byte[]> initrds = new ArrayList<>();
        private byte[] cmdline;
        private byte[] osRelease;
        private String uname;
        private byte[] sbat;
        private byte[] dtb;
        private byte[] splash;
        private byte[] pcrpkey;

        private Builder() {}

        /** The unsigned systemd-stub (e.g. /usr/lib/systemd/boot/efi/linuxx64.efi.stub). */
        public Builder stub(byte[] stub) {
            this.stub = stub.clone();
            return this;
        }

        /** The kernel: an x86 bzImage with an EFI stub (a PE image). */
        public Builder linux(byte[] linux) {
            this.linux = linux.clone();
            return this;
        }

        /** Adds an initrd; several are concatenated in the order added. */
        public Builder initrd(byte[] initrd) {
            this.initrds.add(initrd.clone());
            return this;
        }

        /**
         * The kernel command line given as text: like ukify's {@code --cmdline TEXT}, runs of whitespace
         * become one space and leading/trailing whitespace is dropped (Python's {@code ' '.join(s.split())}).
         */
        public Builder cmdline(String cmdline) {
            String collapsed = java.util.Arrays.stream(WHITESPACE.split(cmdline))
                    .filter(word -> !word.isEmpty())
                    .collect(java.util.stream.Collectors.joining(" "));
            this.cmdline = collapsed.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** The kernel command line as raw bytes, stored verbatim (ukify's {@code --cmdline @FILE}). */
        public Builder cmdline(byte[] cmdline) {
            this.cmdline = cmdline.clone();
            return this;
        }

        public Builder osRelease(byte[] osRelease) {
            this.osRelease = osRelease.clone();
            return this;
        }

        /** The kernel release for .uname; when not set it is detected from the kernel. */
        public Builder uname(String uname) {
            if (uname.isEmpty() || !uname.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw new IllegalArgumentException("uname must be non-empty printable ASCII without spaces: '" + uname + "'");
            }
            this.uname = uname;
            return this;
        }

        public Builder sbat(byte[] sbat) {
            this.sbat = sbat.clone();
            return this;
        }

        public Builder dtb(byte[] dtb) {
            this.dtb = dtb.clone();
            return this;
        }

        public Builder splash(byte[] splash) {
            this.splash = splash.clone();
            return this;
        }

        /** The PEM SubjectPublicKeyInfo of the key that signs PCR 11 policies. */
        public Builder pcrpkey(byte[] pcrpkey) {
            this.pcrpkey = pcrpkey.clone();
            return this;
        }

        public UkiSpec build() {
            return new UkiSpec(this);
        }
    }
}
