package io.cvmboot.stage1.metadata;

import io.cvmboot.measure.Digest;
import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.Stage1Exception;
import io.cvmboot.stage1.net.BodyTooLargeException;
import io.cvmboot.stage1.net.Http;
import io.cvmboot.stage1.net.HttpStatusException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the metadata services in order (AWS IMDSv2, GCP, Azure) for the config and returns the first
 * user-data obtained. Each attempt is logged with its outcome; transient failures are retried per
 * {@link RetryPolicy}; a definite answer (4xx, oversized or undecodable body) moves on to the next
 * service at once. When none delivers, the error lists every service's last failure.
 */
public final class MetadataChain {
    /** The link-local address all three clouds serve their metadata on. */
    public static final URI DEFAULT_BASE = URI.create("http://169.254.169.254");

    private final List<MetadataSource> sources;
    private final RetryPolicy retry;
    private final Log log;

    public MetadataChain(List<MetadataSource> sources, RetryPolicy retry, Log log) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no metadata sources");
        }
        this.sources = List.copyOf(sources);
        this.retry = retry;
        this.log = log;
    }

    /** AWS, GCP, Azure at the given base URLs (the defaults are {@link #DEFAULT_BASE}). */
    public static List<MetadataSource> standardSources(URI aws, URI gcp, URI azure) {
        return List.of(new AwsImdsV2(aws), new GcpMetadata(gcp), new AzureImds(azure));
    }

    public FetchedConfig fetch(Http http, int maxBytes) throws Stage1Exception, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (MetadataSource source : sources) {
            String last = null;
            for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
                String prefix = "metadata " + source.name() + " attempt " + attempt + "/" + retry.attempts() + ": ";
                try {
                    byte[] body = source.fetch(http, maxBytes);
                    log.line(prefix + "got " + body.length + " bytes, sha256 "
                            + Digest.compute(Digest.HashAlgorithm.SHA256, body).hex());
                    return new FetchedConfig(source.name(), body);
                } catch (HttpStatusException e) {
                    last = e.getMessage();
                    log.line(prefix + last);
                    if (!e.transientFailure()) {
                        break;
                    }
                } catch (BodyTooLargeException | UnusableAnswerException e) {
                    last = e.getMessage();
                    log.line(prefix + last);
                    break;
                } catch (IOException e) {
                    last = e.getClass().getSimpleName() + ": " + e.getMessage();
                    log.line(prefix + last);
                }
                if (attempt < retry.attempts()) {
                    Thread.sleep(retry.backoffAfter(attempt));
                }
            }
            failures.add(source.name() + ": " + last);
        }
        throw new Stage1Exception("no metadata service delivered a config (" + String.join("; ", failures) + ")");
    }
}
