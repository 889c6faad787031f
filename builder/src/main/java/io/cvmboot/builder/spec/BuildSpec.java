package io.cvmboot.builder.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A declarative build: pinned inputs, initrd contents, UKI options and measurement targets. Parsed
 * and validated once by {@link BuildSpecParser}; every field is documented in docs/build-spec.md.
 *
 * @param version spec format version, 1
 * @param sourceDateEpoch the time stamped into every archive entry; null = $SOURCE_DATE_EPOCH, else 0
 * @param mirrors where pinned packages are downloaded from
 * @param packages pinned Debian packages by the key that {@link FileRef#pkg()} uses
 * @param kernel the kernel image (bzImage, EFI stub)
 * @param kernelModules modules stage1 (PID 1) loads, in this order (the NICs: virtio_net, ena, ...)
 * @param firmware the OVMF image published with the artefacts (ovmf.fd) and measured for SNP
 * @param stub the systemd-stub the UKI is built on
 * @param busybox a static busybox placed at /bin/busybox (optional; the demo stage2 runs it)
 * @param libraries shared libraries the stage1 runtime needs (from libc6)
 * @param caCertificates the CA bundle stage1 verifies HTTPS against
 * @param network how stage1 (PID 1) configures the network before fetching its config
 * @param stage1 the stage1 config the VM will be given, and the demo stage2
 * @param cmdline the kernel command line (.cmdline of the UKI)
 * @param initrd initrd compression and extra contents
 * @param uki UKI options
 * @param measurements which launch digests and PCR banks to compute
 */
public record BuildSpec(
        int version,
        Long sourceDateEpoch,
        Mirrors mirrors,
        Map<String, PackageSpec> packages,
        FileRef kernel,
        List<KernelModule> kernelModules,
        FileRef firmware,
        FileRef stub,
        FileRef busybox,
        List<FileRef> libraries,
        FileRef caCertificates,
        Network network,
        Stage1 stage1,
        String cmdline,
        Initrd initrd,
        Uki uki,
        Measurements measurements) {

    public BuildSpec {
        packages = packages == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(packages));
        kernelModules = kernelModules == null ? List.of() : List.copyOf(kernelModules);
        libraries = libraries == null ? List.of() : List.copyOf(libraries);
        mirrors = mirrors == null ? Mirrors.DEFAULT : mirrors;
        network = network == null ? Network.DEFAULT : network;
        initrd = initrd == null ? Initrd.DEFAULT : initrd;
        uki = uki == null ? Uki.DEFAULT : uki;
        measurements = measurements == null ? Measurements.DEFAULT : measurements;
    }

    /**
     * Package mirrors (every .deb is also pinned by SHA-256).
     *
     * @param debian the main archive
     * @param security the security archive (packages whose {@code archive} is "security")
     */
    public record Mirrors(String debian, String security) {
        public static final Mirrors DEFAULT =
                new Mirrors("https://deb.debian.org/debian", "https://deb.debian.org/debian-security");

        public Mirrors {
            debian = debian == null ? DEFAULT_DEBIAN : debian;
            security = security == null ? DEFAULT_SECURITY : security;
        }

        private static final String DEFAULT_DEBIAN = "https://deb.debian.org/debian";
        private static final String DEFAULT_SECURITY = "https://deb.debian.org/debian-security";
    }

    /**
     * A pinned .deb.
     *
     * @param name package name
     * @param version exact version
     * @param sha256 SHA-256 of the .deb file
     * @param path pool path below the mirror, e.g. pool/main/b/busybox/busybox-static_..._amd64.deb
     * @param archive "debian" (default) or "security"
     * @param url a full URL instead of mirror + path
     */
    public record PackageSpec(String name, String version, String sha256, String path, String archive, String url) {}

    /**
     * One input file: a path inside a pinned package, or a local file pinned by SHA-256.
     *
     * @param pkg key of {@link BuildSpec#packages()}
     * @param path path inside the package's data, e.g. boot/vmlinuz-6.1.0-56-cloud-amd64
     * @param file a local file, relative to the spec's directory
     * @param sha256 required with {@code file}; optional check of a package member otherwise
     */
    public record FileRef(
            @com.fasterxml.jackson.annotation.JsonProperty("package") String pkg,
            String path,
            String file,
            String sha256) {}

    /**
     * A kernel module stage1 loads: where its file comes from, and whether the boot may go on when
     * the kernel refuses it because its hardware is absent (a cloud NIC of another cloud). What an
     * optional module may fail with is stage1's {@code io.cvmboot.stage1.init.ModuleFailurePolicy};
     * any other failure, and any failure of a required module, powers the VM off.
     *
     * @param pkg key of {@link BuildSpec#packages()}, as in {@link FileRef}
     * @param path path inside the package's data
     * @param file a local file, relative to the spec's directory
     * @param sha256 required with {@code file}; optional check of a package member otherwise
     * @param optional true: skipped when its hardware is absent; absent or false: required
     */
    public record KernelModule(
            @com.fasterxml.jackson.annotation.JsonProperty("package") String pkg,
            String path,
            String file,
            String sha256,
            Boolean optional) {
        public KernelModule {
            optional = optional != null && optional;
        }

        /** Where the module's bytes come from. */
        public FileRef ref() {
            return new FileRef(pkg, path, file, sha256);
        }
    }

    /**
     * The IPv4 set-up stage1 applies as PID 1 (written to /stage1/init.properties). The default is
     * DHCP, which clouds and QEMU's user network (builder boot) both serve.
     *
     * @param interfaceName the interface, or null for the first one that appears
     * @param address "dhcp", or a static IPv4 address with prefix length
     * @param gateway default route for a static address, or null
     * @param dns name servers for a static address
     */
    public record Network(
            @com.fasterxml.jackson.annotation.JsonProperty("interface") String interfaceName,
            String address,
            String gateway,
            List<String> dns) {
        public static final String DHCP = "dhcp";
        public static final Network DEFAULT = new Network(null, DHCP, null, List.of());

        public Network {
            address = address == null ? DHCP : address;
            dns = dns == null ? List.of() : List.copyOf(dns);
        }
    }

    /**
     * stage1's configuration as the VM will receive it from the metadata service.
     *
     * @param config the config JSON object ({"_stage2": {...}, ...}), or null with {@code configFile}
     * @param configFile a file holding the config bytes exactly
     * @param stage2 a local stage2 binary served by {@code builder boot}; the generated config points at it
     * @param demo use the built-in demo stage2, which runs the initrd's busybox with {@code stage2Args}
     * @param stage2Args arguments for the stage2 of the generated config
     * @param aotCache ship the JVM's AOT cache in the initrd (faster start; its bytes differ between
     *     stage1 image builds, so the artefacts then reproduce only with the same image)
     */
    public record Stage1(JsonNode config, String configFile, FileRef stage2, Boolean demo, List<String> stage2Args,
            Boolean aotCache) {
        public Stage1 {
            stage2Args = stage2Args == null ? List.of() : List.copyOf(stage2Args);
            demo = demo != null && demo;
            aotCache = aotCache != null && aotCache;
        }
    }

    /**
     * @param compression none, gzip, xz, zstd or lz4
     * @param level compression level, null for the codec's default
     * @param files extra files placed into the initrd
     * @param specFiles gen_init_cpio spec files (file, dir, nod, slink, pipe, sock lines), relative
     *     to the build spec's directory; their relative sources resolve against their own directory
     */
    public record Initrd(String compression, Integer level, List<ExtraFile> files, List<String> specFiles) {
        public static final Initrd DEFAULT = new Initrd("zstd", 3, List.of(), List.of());

        public Initrd {
            compression = compression == null ? "zstd" : compression;
            files = files == null ? List.of() : List.copyOf(files);
            specFiles = specFiles == null ? List.of() : List.copyOf(specFiles);
        }
    }

    /**
     * @param path where in the initrd
     * @param source local file, relative to the spec's directory
     * @param sha256 optional pin of the source
     * @param mode octal mode, default 0644
     */
    public record ExtraFile(String path, String source, String sha256, String mode) {}

    /**
     * @param osRelease the .osrel text
     * @param uname the .uname text; null = detected from the kernel
     * @param signKey PEM private key for Secure Boot signing (optional)
     * @param signCert PEM certificate for Secure Boot signing (optional)
     */
    public record Uki(String osRelease, String uname, String signKey, String signCert) {
        public static final String DEFAULT_OS_RELEASE = "ID=cvmboot\nNAME=\"cvmboot\"\nPRETTY_NAME=\"cvmboot stage1\"\n";
        public static final Uki DEFAULT = new Uki(DEFAULT_OS_RELEASE, null, null, null);

        public Uki {
            osRelease = osRelease == null ? DEFAULT_OS_RELEASE : osRelease;
        }
    }

    /**
     * @param snp launch digest targets
     * @param tpmBanks PCR banks to predict
     */
    public record Measurements(List<SnpTarget> snp, List<String> tpmBanks) {
        public static final Measurements DEFAULT =
                new Measurements(List.of(SnpTarget.DEFAULT), List.of("sha256"));

        public Measurements {
            snp = snp == null ? List.of(SnpTarget.DEFAULT) : List.copyOf(snp);
            tpmBanks = tpmBanks == null ? List.of("sha256") : List.copyOf(tpmBanks);
        }
    }

    /**
     * An SEV-SNP launch configuration to compute the digest for.
     *
     * @param vcpus vCPU counts
     * @param vcpuType a CPU model name as sev-snp-measure accepts (EPYC-v4, EPYC-Genoa, ...)
     * @param vmmType QEMU, ec2 or gce
     * @param guestFeatures the SEV features word, hex
     */
    public record SnpTarget(List<Integer> vcpus, String vcpuType, String vmmType, String guestFeatures) {
        public static final SnpTarget DEFAULT = new SnpTarget(List.of(1, 2, 4), "EPYC-v4", "QEMU", "0x1");

        public SnpTarget {
            vcpus = vcpus == null ? List.of(1) : List.copyOf(vcpus);
            vcpuType = vcpuType == null ? "EPYC-v4" : vcpuType;
            vmmType = vmmType == null ? "QEMU" : vmmType;
            guestFeatures = guestFeatures == null ? "0x1" : guestFeatures;
        }
    }
}
