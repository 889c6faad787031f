package io.cvmboot.stage1.metadata;

import io.cvmboot.stage1.net.Http;
import java.io.IOException;

/** One cloud's metadata service, asked for the instance's user-data (the stage1 config). */
public interface MetadataSource {
    /** Short name for log lines: aws, gcp, azure. */
    String name();

    /**
     * One attempt. Throws {@link io.cvmboot.stage1.net.HttpStatusException} when the service answered
     * with another status (4xx means: not this cloud, or no user-data), {@link UnusableAnswerException}
     * when it answered with something that cannot be a config, and other {@link IOException}s for
     * network trouble.
     */
    byte[] fetch(Http http, int maxBytes) throws IOException;
}
