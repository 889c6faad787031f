package io.cvmboot.stage1;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import io.cvmboot.stage1.attest.Attestation;
import io.cvmboot.stage1.attest.AttestationJson;
import io.cvmboot.stage1.attest.Attestor;
import io.cvmboot.stage1.config.Architecture;
import io.cvmboot.stage1.config.ConfigMerger;
import io.cvmboot.stage1.config.ConfigParser;
import io.cvmboot.stage1.config.Stage1Config;
import io.cvmboot.stage1.config.Stage2Target;
import io.cvmboot.stage1.exec.SealedExecutable;
import io.cvmboot.stage1.metadata.FetchedConfig;
import io.cvmboot.stage1.metadata.MetadataChain;
import io.cvmboot.stage1.net.ByteSink;
import io.cvmboot.stage1.net.Download;
import io.cvmboot.stage1.net.DownloadResult;
import io.cvmboot.stage1.net.Http;
import io.cvmboot.stage1.net.Timeouts;
import io.cvmboot.stage1.net.TrustBundle;
import io.cvmboot.stage1.tpm.DeviceTransport;
import io.cvmboot.stage1.tpm.PcrBank;
import io.cvmboot.stage1.tpm.TcpTransport;
import io.cvmboot.stage1.tpm.Tpm;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * The stage1 flow: config → stage2 download into a memfd (hashed in every PCR bank while it
 * streams) → SHA-256 check → seal → PCR 14/15 extends → attestation → config file → exec.
 * Nothing is executed unless the digest matches and the measurements succeeded.
 */
public final class Stage1 {
    /** stage2's environment: fixed, so nothing from the kernel command line leaks into it. */
    static final List<String> STAGE2_ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/");
    static final String CONFIG_FILE = "stage2-config.json";
    static final String ATTEST_FILE = "stage1.attest";
    static final String EXE_FILE = "stage2.exe";
    static final String EVENT_LOG = "/sys/kernel/security/tpm0/binary_bios_measurements";

    private final Options options;
    private final Log log;
    private final PrintStream out;
    private SSLSocketFactory tls;

    public Stage1(Options options, Log log, PrintStream out) {
        this.options = options;
        this.log = log;
        this.out = out;
    }

    private Supplier<SSLSocketFactory> tls() {
        return () -> {
            if (tls == null) {
                try {
                    tls = TrustBundle.load(options.caBundle());
                } catch (Stage1Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return tls;
        };
    }

    /** Runs the mode; for the exec modes it returns only by throwing. */
    public void run() throws Stage1Exception, InterruptedException {
        if ("none".equals(options.tpm())
                && (options.mode() == Options.Mode.PRODUCTION || options.mode() == Options.Mode.ATTEST)) {
            // Refused before anything is fetched: production always measures.
            throw new Stage1Exception("--tpm none is only allowed with --file or --url; production always measures");
        }
        switch (options.mode()) {
            case PRODUCTION -> boot(fetchFromMetadata());
            case FILE -> boot(readFile(Path.of(options.operands().getFirst())));
            case URL -> boot(fetchUrl(options.operands().getFirst()));
            case MAKE_CONFIG -> makeConfig();
            case ATTEST -> attestOnly();
            case HELP -> out.print(Options.USAGE);
        }
    }

    private FetchedConfig fetchFromMetadata() throws Stage1Exception, InterruptedException {
        Http http = new Http(Timeouts.METADATA, tls());
        return new MetadataChain(MetadataChain.standardSources(options.awsBase(), options.gcpBase(), options.azureBase()),
                options.retry(), log).fetch(http, ConfigParser.MAX_CONFIG_BYTES);
    }

    private FetchedConfig readFile(Path file) throws Stage1Exception {
        try {
            long size = Files.size(file);
            if (size > ConfigParser.MAX_CONFIG_BYTES) {
                throw new Stage1Exception("config " + file + ": expected at most " + ConfigParser.MAX_CONFIG_BYTES
                        + " bytes, found " + size);
            }
            byte[] bytes = Files.readAllBytes(file);
            log.line("config " + file + ": " + bytes.length + " bytes, sha256 " + sha256(bytes).hex());
            return new FetchedConfig(file.toString(), bytes);
        } catch (IOException e) {
            throw new Stage1Exception("config " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    private FetchedConfig fetchUrl(String url) throws Stage1Exception {
        URI uri = ConfigParser.parseUrl(url, "the command line", "--url");
        try {
            byte[] bytes = new Http(Timeouts.METADATA, tls()).fetch("GET", uri, Map.of(), null, ConfigParser.MAX_CONFIG_BYTES);
            log.line("config " + uri + ": " + bytes.length + " bytes, sha256 " + sha256(bytes).hex());
            return new FetchedConfig(uri.toString(), bytes);
        } catch (IOException e) {
            throw new Stage1Exception("config " + uri + " could not be fetched: " + e.getMessage(), e);
        }
    }

    private static Digest sha256(byte[] bytes) {
        return Digest.compute(HashAlgorithm.SHA256, bytes);
    }

    private Tpm openTpm() throws Stage1Exception {
        String spec = options.tpm();
        try {
            if (spec.startsWith("device:")) {
                Path device = Path.of(spec.substring("device:".length()));
                if (!Files.exists(device)) {
                    throw new Stage1Exception("no TPM: " + device + " does not exist; stage1 measures stage2 into the TPM"
                            + " and will not run it unmeasured");
                }
                return new Tpm(DeviceTransport.open(device));
            }
            if (spec.startsWith("tcp:")) {
                String hostPort = spec.substring(4);
                int colon = hostPort.lastIndexOf(':');
                return new Tpm(TcpTransport.connect(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1))));
            }
        } catch (IOException | RuntimeException e) {
            throw new Stage1Exception("TPM " + spec + " could not be opened: " + e.getMessage(), e);
        }
        throw new Stage1Exception("--tpm: expected device:PATH, tcp:HOST:PORT or none, found '" + spec + "'");
    }

    private boolean measuring() throws Stage1Exception {
        if (!"none".equals(options.tpm())) {
            return true;
        }
        if (options.mode() != Options.Mode.FILE && options.mode() != Options.Mode.URL) {
            throw new Stage1Exception("--tpm none is only allowed with --file or --url; production always measures");
        }
        log.line("WARNING: --tpm none: stage2 and its config are NOT measured and no attestation is written");
        return false;
    }

    private void boot(FetchedConfig fetched) throws Stage1Exception, InterruptedException {
        Stage1Config config = ConfigParser.parse(fetched.bytes(), fetched.source());
        Architecture arch = Architecture.running();
        Stage2Target target = config.target(arch);
        boolean measure = measuring();
        Tpm tpm = measure ? openTpm() : null;
        try {
            List<PcrBank> banks = measure ? tpm.allocatedBanks() : List.of();
            Set<HashAlgorithm> algs = EnumSet.of(HashAlgorithm.SHA256);
            banks.forEach(b -> algs.add(b.algorithm()));
            try (SealedExecutable exe = SealedExecutable.create("stage2")) {
                log.line("stage2 " + arch.key() + ": downloading " + target.url());
                DownloadResult dl = download(target.url(), algs, exe.sink());
                if (!dl.sha256().equals(target.sha256())) {
                    throw new Stage1Exception("stage2 from " + dl.finalUri() + ": expected sha256 " + target.sha256().hex()
                            + ", got " + dl.sha256().hex() + " (" + dl.size() + " bytes); nothing executed");
                }
                exe.seal();
                log.line("stage2: " + dl.size() + " bytes, sha256 " + dl.sha256().hex() + " matches; sealed");
                if (measure) {
                    measureAndAttest(tpm, banks, dl, config, target);
                }
                writePrivate(options.tmpDir().resolve(CONFIG_FILE), config.raw());
                if (options.compatStage2Exe()) {
                    exe.copyTo(options.tmpDir().resolve(EXE_FILE));
                }
                closeQuietly(tpm);
                tpm = null;
                List<String> argv = new ArrayList<>();
                argv.add("stage2");
                argv.addAll(config.args());
                log.line("exec stage2 " + config.args());
                throw exe.exec(argv, STAGE2_ENV);
            }
        } catch (IOException e) {
            throw new Stage1Exception("TPM: " + e.getMessage(), e);
        } finally {
            closeQuietly(tpm);
        }
    }

    private DownloadResult download(URI url, Set<HashAlgorithm> algs, ByteSink sink) throws Stage1Exception {
        try {
            return Download.stream(new Http(Timeouts.DOWNLOAD, tls()), url, options.maxStage2Bytes(), algs, sink, log);
        } catch (IOException e) {
            throw new Stage1Exception("stage2 download " + url + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Extends PCR 14 with H(stage2) and PCR 15 with H(config) in every allocated bank (definition in
     * {@link Stage1Pcrs}), then quotes PCRs 0-15 with nonce SHA-256(SHA-256(stage2) || SHA-256(config)),
     * so the quote covers the extends, and writes the attestation.
     */
    private void measureAndAttest(Tpm tpm, List<PcrBank> banks, DownloadResult dl, Stage1Config config,
            Stage2Target target) throws IOException, Stage1Exception {
        byte[] raw = config.raw();
        Map<HashAlgorithm, Digest> configDigests = new EnumMap<>(HashAlgorithm.class);
        for (PcrBank b : banks) {
            configDigests.put(b.algorithm(), Stage1Pcrs.eventDigest(b.algorithm(), raw));
        }
        tpm.pcrExtend(Stage1Pcrs.STAGE2_PCR, Tpm.digestList(dl.digests(), banks));
        tpm.pcrExtend(Stage1Pcrs.CONFIG_PCR, Tpm.digestList(configDigests, banks));
        log.line("extended PCR 14 (stage2) and PCR 15 (config) in " + banks.stream().map(b -> b.algorithm().label()).toList());
        var md = HashAlgorithm.SHA256.newMessageDigest();
        md.update(dl.sha256().bytes());
        md.update(config.sha256().bytes());
        byte[] nonce = md.digest();
        Attestation a = new Attestor(tpm, log).attest(nonce, options.akTemplate(), banks,
                new Attestation.Stage2Info(target.url().toString(), dl.sha256()), config.sha256(), eventLog());
        writePrivate(options.tmpDir().resolve(ATTEST_FILE), AttestationJson.toJson(a));
        log.line("attestation written to " + options.tmpDir().resolve(ATTEST_FILE));
    }

    private static byte[] eventLog() {
        try {
            return Files.readAllBytes(Path.of(EVENT_LOG));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Creates {@code file} with mode 0600; an existing file or symlink there is an error, never followed. */
    static void writePrivate(Path file, byte[] data) throws Stage1Exception {
        try {
            Files.write(file, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new Stage1Exception(file + " already exists; refusing to overwrite or follow it", e);
        } catch (IOException e) {
            throw new Stage1Exception("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private void makeConfig() throws Stage1Exception {
        Architecture arch = Architecture.fromKey(options.operands().get(0)).orElseThrow(() -> new Stage1Exception(
                "--make-config: expected architecture x86_64 or aarch64, found '" + options.operands().get(0) + "'"));
        URI url = ConfigParser.parseUrl(options.operands().get(1), "the command line", "--make-config");
        byte[] existing = null;
        String source = "(new)";
        if (options.operands().size() > 2) {
            Path file = Path.of(options.operands().get(2));
            source = file.toString();
            refuseIfStdout(file);
            try {
                existing = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new Stage1Exception("--make-config: config " + file + " does not exist", e);
            } catch (IOException e) {
                throw new Stage1Exception("--make-config: config " + file + " could not be read: " + e.getMessage(), e);
            }
        }
        DownloadResult dl = download(url, Set.of(), ByteSink.DISCARD);
        log.line("downloaded " + dl.size() + " bytes from " + dl.finalUri() + ", sha256 " + dl.sha256().hex());
        byte[] merged = ConfigMerger.merge(existing, source, arch, new Stage2Target(url, dl.sha256()));
        out.write(merged, 0, merged.length);
        out.flush();
    }

    /**
     * {@code stage1 --make-config A URL config.json > config.json} would read a file the shell has
     * already truncated; say so instead of printing a config that lost everything else.
     */
    private static void refuseIfStdout(Path input) throws Stage1Exception {
        Path stdout = Path.of("/proc/self/fd/1");
        try {
            if (Files.exists(stdout) && Files.exists(input) && Files.isSameFile(stdout.toRealPath(), input.toRealPath())) {
                throw new Stage1Exception("--make-config: standard output is the input config " + input
                        + " (already truncated by the shell); write to another file and rename it");
            }
        } catch (IOException e) {
            // stdout is a pipe or terminal: not the input file
        }
    }

    private void attestOnly() throws Stage1Exception {
        byte[] nonce;
        if (options.operands().isEmpty()) {
            nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
        } else {
            // A challenge of any length fits TPM2B_DATA once hashed (the TPM limits it to the digest size).
            nonce = sha256(options.operands().getFirst().getBytes(java.nio.charset.StandardCharsets.UTF_8)).bytes();
        }
        try (Tpm tpm = openTpm()) {
            Attestation a = new Attestor(tpm, log).attest(nonce, options.akTemplate(), tpm.allocatedBanks(), null, null,
                    eventLog());
            byte[] json = AttestationJson.toJson(a);
            out.write(json, 0, json.length);
            out.flush();
        } catch (IOException e) {
            throw new Stage1Exception("TPM: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Tpm tpm) {
        if (tpm != null) {
            try {
                tpm.close();
            } catch (IOException ignored) {
                // closing the device or socket; nothing was pending
            }
        }
    }
}
