package io.cvmboot.builder.verify;

import io.cvmboot.builder.FileTrees;
import io.cvmboot.builder.cli.UserInputException;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.report.AttestationReport;
import io.cvmboot.measure.report.SnpProduct;
import io.cvmboot.measure.report.TcbVersion;
import io.cvmboot.measure.report.X509Certificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Gets the VCEK for a report from AMD KDS (or a mirror), caching each answer under
 * {@code cacheDir/<product>/<hwid>-<reported TCB hex>.der}. A cached certificate is trusted no
 * more than a fetched one: the report verifier checks its chain and its binding either way, so a
 * wrong cache entry can only make verification fail.
 */
public final class VcekFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final Path cacheDir;
    private final HttpClient http;

    public VcekFetcher(URI base, Path cacheDir) {
        this.base = Objects.requireNonNull(base, "base");
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The default cache: $XDG_CACHE_HOME/cvmboot/vcek or ~/.cache/cvmboot/vcek. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return root.resolve("cvmboot").resolve("vcek");
    }

    /**
     * The DER VCEK for {@code report}'s chip and REPORTED_TCB.
     *
     * @param progress where to say whether the cache or the network answered
     * @throws UserInputException when the report cannot name a VCEK (VLEK-signed, or CHIP_ID masked)
     * @throws IOException when the service cannot be reached or answers with an error
     */
    public byte[] fetch(AttestationReport report, SnpProduct product, PrintWriter progress)
            throws UserInputException, IOException {
        if (report.signingKey() != io.cvmboot.measure.report.SigningKey.VCEK) {
            throw new UserInputException("--fetch-vcek: the report is signed by a " + report.signingKey()
                    + ", not a VCEK; pass the certificate with --vcek or --cert-chain");
        }
        byte[] chipId = report.chipId();
        if (report.chipIdMasked() || java.util.Arrays.equals(chipId, new byte[chipId.length])) {
            throw new UserInputException("--fetch-vcek: the report's CHIP_ID is masked (all zero), so the VCEK "
                    + "cannot be looked up; pass it with --vcek");
        }
        TcbVersion tcb = TcbVersion.decode(report.reportedTcbRaw(), product);
        Path cached = cacheDir.resolve(product.kdsName()).resolve(KdsVcekUrl.hwId(product, chipId) + "-"
                + TcbVersion.rawHex(report.reportedTcbRaw()) + ".der");
        if (Files.isRegularFile(cached)) {
            progress.println("using cached VCEK " + cached);
            return Files.readAllBytes(cached);
        }
        URI uri = KdsVcekUrl.of(base, product, chipId, tcb);
        progress.println("fetching VCEK " + uri);
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("fetching VCEK " + uri + ": HTTP " + response.statusCode());
        }
        byte[] der = response.body();
        try {
            X509Certificates.parse(uri.toString(), der);
        } catch (MeasureException e) {
            throw new IOException("fetching VCEK " + uri + ": the answer is not an X.509 certificate", e);
        }
        store(cached, der);
        return der;
    }

    private static void store(Path target, byte[] der) throws IOException {
        Files.createDirectories(target.getParent());
        FileTrees.writeAtomically(target, der);
    }
}
