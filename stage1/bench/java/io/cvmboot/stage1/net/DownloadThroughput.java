package io.cvmboot.stage1.net;

import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.Log;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Times stage1's download path in process, from the request to the last byte, so that its
 * throughput can be set beside curl's {@code %{time_total}} without the JVM's start-up (which
 * {@code stage1/bench/bench.sh} measures on its own). Run by that script, never shipped.
 *
 * <p>Two paths: {@code transport} is stage1's HTTP client and copy pipeline with no digest (what
 * curl does: receive and discard); {@code verified} is {@link Download#stream}, the production call,
 * which also computes the SHA-256 stage1 checks before anything runs. Each run is a new connection.
 *
 * <p>Usage: {@code DownloadThroughput transport|verified URL RUNS}; prints one line per run,
 * {@code <ms> <bytes>}.
 */
public final class DownloadThroughput {
    private DownloadThroughput() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !Set.of("transport", "verified").contains(args[0])) {
            System.err.println("usage: DownloadThroughput transport|verified URL RUNS");
            System.exit(2);
        }
        boolean verified = args[0].equals("verified");
        URI uri = URI.create(args[1]);
        int runs = Integer.parseInt(args[2]);
        Http http = new Http(Timeouts.DOWNLOAD, () -> {
            throw new IllegalStateException("the benchmark downloads over http only");
        });
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            long bytes = verified ? verifiedDownload(http, uri) : transportOnly(http, uri);
            System.out.println((System.nanoTime() - start) / 1_000_000 + " " + bytes);
        }
    }

    private static long verifiedDownload(Http http, URI uri) throws IOException {
        return Download.stream(http, uri, Long.MAX_VALUE, Set.of(), ByteSink.DISCARD, Log.NONE).size();
    }

    private static long transportOnly(Http http, URI uri) throws IOException {
        try (Http.Response r = http.open("GET", uri, Map.of(), null, false)) {
            return HashingPipeline.copy(r.body(), Long.MAX_VALUE, EnumSet.noneOf(HashAlgorithm.class),
                    ByteSink.DISCARD, total -> {}).size();
        }
    }
}
