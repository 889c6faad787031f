package io.cvmboot.stage1;

import io.cvmboot.stage1.config.ConfigParser;
import io.cvmboot.stage1.metadata.MetadataChain;
import io.cvmboot.stage1.metadata.RetryPolicy;
import io.cvmboot.stage1.tpm.AkTemplate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * stage1's command line. Modes: none (production: config from the metadata services), {@code --file
 * PATH}, {@code --url URL}, {@code --make-config ARCH URL [existing]}, {@code --attest [challenge]}.
 * Further options tune where things are (tests run stage1 on a host against swtpm and a loopback
 * server).
 */
public record Options(
        Mode mode,
        List<String> operands,
        String tpm,
        AkTemplate akTemplate,
        Path tmpDir,
        Path caBundle,
        URI awsBase,
        URI gcpBase,
        URI azureBase,
        RetryPolicy retry,
        long maxStage2Bytes,
        boolean compatStage2Exe,
        Path initConfig) {

    public enum Mode { PRODUCTION, FILE, URL, MAKE_CONFIG, ATTEST, HELP }

    /** stage2 lives in RAM (memfd); 2 GiB is more than any loader should be, less than a VM's memory. */
    public static final long DEFAULT_MAX_STAGE2_BYTES = 2L << 30;

    public static final String USAGE = """
            usage: stage1                                   production: config from AWS IMDSv2, GCP, Azure (in that order)
                   stage1 --file PATH | --url URL           config from a file or URL (its sha256 is logged)
                   stage1 --make-config ARCH URL [CONFIG]   download URL, print CONFIG with _stage2.ARCH = {url, sha256}
                   stage1 --attest [CHALLENGE]              print an attestation; quote nonce = SHA-256(CHALLENGE)
            options:
              --tpm device:/dev/tpmrm0 | tcp:HOST:PORT | none   (none: only with --file/--url, nothing measured)
              --ak ecc|rsa              attestation key type (default ecc: P-256 ECDSA)
              --tmp DIR                 where stage2-config.json and stage1.attest go (default /tmp)
              --ca-bundle PEM           CA certificates for https (default /etc/ssl/certs/ca-certificates.crt)
              --metadata-base URL       base URL of all three metadata services (default http://169.254.169.254)
              --aws-base URL | --gcp-base URL | --azure-base URL
              --retries N --backoff-ms MS   per metadata service (default 3, 500)
              --max-stage2-bytes N      (default 2 GiB)
              --compat-stage2-exe       also write TMP/stage2.exe (never the file that is executed)
              --init-config PATH        PID 1 only: modules and network (default /stage1/init.properties)
            """;

    public static Options parse(String[] args) throws Stage1Exception {
        Mode mode = Mode.PRODUCTION;
        List<String> operands = new ArrayList<>();
        String tpm = "device:/dev/tpmrm0";
        AkTemplate ak = AkTemplate.ECC_P256;
        Path tmp = Path.of("/tmp");
        Path ca = io.cvmboot.stage1.net.TrustBundle.DEFAULT_BUNDLE;
        URI aws = MetadataChain.DEFAULT_BASE;
        URI gcp = MetadataChain.DEFAULT_BASE;
        URI azure = MetadataChain.DEFAULT_BASE;
        int retries = RetryPolicy.DEFAULT.attempts();
        long backoff = RetryPolicy.DEFAULT.firstBackoff().toMillis();
        long maxStage2 = DEFAULT_MAX_STAGE2_BYTES;
        boolean compat = false;
        Path initConfig = io.cvmboot.stage1.init.NetworkConfig.DEFAULT_PATH;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--file" -> { mode = setMode(mode, Mode.FILE); operands.add(value(args, ++i, a)); }
                case "--url" -> { mode = setMode(mode, Mode.URL); operands.add(value(args, ++i, a)); }
                case "--make-config" -> {
                    mode = setMode(mode, Mode.MAKE_CONFIG);
                    operands.add(value(args, ++i, a));
                    operands.add(value(args, ++i, a));
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        operands.add(args[++i]);
                    }
                }
                case "--attest" -> {
                    mode = setMode(mode, Mode.ATTEST);
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        operands.add(args[++i]);
                    }
                }
                case "--help", "-h" -> mode = Mode.HELP;
                case "--tpm" -> tpm = value(args, ++i, a);
                case "--ak" -> ak = switch (value(args, ++i, a).toLowerCase(Locale.ROOT)) {
                    case "ecc" -> AkTemplate.ECC_P256;
                    case "rsa" -> AkTemplate.RSA_2048;
                    default -> throw new Stage1Exception("--ak: expected ecc or rsa, found '" + args[i] + "'");
                };
                case "--tmp" -> tmp = Path.of(value(args, ++i, a));
                case "--ca-bundle" -> ca = Path.of(value(args, ++i, a));
                case "--metadata-base" -> { aws = base(args, ++i, a); gcp = aws; azure = aws; }
                case "--aws-base" -> aws = base(args, ++i, a);
                case "--gcp-base" -> gcp = base(args, ++i, a);
                case "--azure-base" -> azure = base(args, ++i, a);
                case "--retries" -> retries = (int) number(args, ++i, a, 1, 20);
                case "--backoff-ms" -> backoff = number(args, ++i, a, 0, 60_000);
                case "--max-stage2-bytes" -> maxStage2 = number(args, ++i, a, 1, Long.MAX_VALUE);
                case "--compat-stage2-exe" -> compat = true;
                case "--init-config" -> initConfig = Path.of(value(args, ++i, a));
                default -> throw new Stage1Exception("unknown argument '" + a + "'\n" + USAGE);
            }
        }
        return new Options(mode, operands, tpm, ak, tmp, ca, aws, gcp, azure,
                new RetryPolicy(retries, Duration.ofMillis(backoff)), maxStage2, compat, initConfig);
    }

    private static Mode setMode(Mode current, Mode next) throws Stage1Exception {
        if (current != Mode.PRODUCTION && current != Mode.HELP) {
            throw new Stage1Exception("only one of --file, --url, --make-config, --attest may be given");
        }
        return next;
    }

    private static String value(String[] args, int i, String option) throws Stage1Exception {
        if (i >= args.length) {
            throw new Stage1Exception(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static URI base(String[] args, int i, String option) throws Stage1Exception {
        return ConfigParser.parseUrl(value(args, i, option), "the command line", option);
    }

    private static long number(String[] args, int i, String option, long min, long max) throws Stage1Exception {
        String v = value(args, i, option);
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new Stage1Exception(option + ": expected " + min + ".." + max + ", found " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Stage1Exception(option + ": expected a number, found '" + v + "'", e);
        }
    }
}
