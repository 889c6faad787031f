package io.cvmboot.stage1.metadata;

import io.cvmboot.stage1.net.Http;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * AWS EC2 Instance Metadata Service v2: {@code PUT /latest/api/token} (session token, TTL header
 * required), then {@code GET /latest/user-data} with the token (EC2 User Guide, "Use the Instance
 * Metadata Service to access instance metadata").
 */
public record AwsImdsV2(URI base) implements MetadataSource {
    static final String TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    /** stage1 needs the token for two requests; a short TTL limits its use by anything else. */
    static final String TOKEN_TTL_SECONDS = "60";
    /** Tokens are ~56 characters; anything long is not a token. */
    static final int MAX_TOKEN_BYTES = 1024;

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public byte[] fetch(Http http, int maxBytes) throws IOException {
        URI tokenUri = base.resolve("/latest/api/token");
        byte[] token = http.fetch("PUT", tokenUri, Map.of(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS), new byte[0],
                MAX_TOKEN_BYTES);
        String t = new String(token, StandardCharsets.US_ASCII);
        if (t.isEmpty() || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UnusableAnswerException("PUT " + tokenUri + ": expected a printable-ASCII token, got "
                    + token.length + " bytes that are not");
        }
        return http.fetch("GET", base.resolve("/latest/user-data"), Map.of(TOKEN_HEADER, t), null, maxBytes);
    }
}
