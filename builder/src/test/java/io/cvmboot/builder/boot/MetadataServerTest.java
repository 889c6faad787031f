package io.cvmboot.builder.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataServerTest {
    private static final byte[] CONFIG = "{\"_stage2\":{}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STAGE2 = {0x7f, 'E', 'L', 'F'};

    private record Reply(int status, byte[] body) {}

    private static Reply call(int port, String method, String path, Map<String, String> headers) throws IOException {
        var c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Reply(status, in == null ? new byte[0] : in.readAllBytes());
        }
    }

    @Test
    void aws_userDataNeedsTheSessionToken() throws Exception {
        try (var m = MetadataServer.start(MetadataServer.Cloud.AWS, CONFIG, STAGE2)) {
            assertEquals(401, call(m.port(), "GET", "/latest/user-data", Map.of()).status());
            Reply token = call(m.port(), "PUT", "/latest/api/token", Map.of("X-aws-ec2-metadata-token-ttl-seconds", "60"));
            assertEquals(200, token.status());
            Reply data = call(m.port(), "GET", "/latest/user-data",
                    Map.of("X-aws-ec2-metadata-token", new String(token.body(), StandardCharsets.UTF_8)));
            assertArrayEquals(CONFIG, data.body());
            assertEquals(3, m.requests().size(), m.requests().toString());
        }
    }

    @Test
    void gcp_needsTheFlavorHeader() throws Exception {
        try (var m = MetadataServer.start(MetadataServer.Cloud.GCP, CONFIG, null)) {
            String path = "/computeMetadata/v1/instance/attributes/user-data";
            assertEquals(403, call(m.port(), "GET", path, Map.of()).status());
            assertArrayEquals(CONFIG, call(m.port(), "GET", path, Map.of("Metadata-Flavor", "Google")).body());
        }
    }

    @Test
    void azure_servesBase64() throws Exception {
        try (var m = MetadataServer.start(MetadataServer.Cloud.AZURE, CONFIG, null)) {
            Reply r = call(m.port(), "GET", "/metadata/instance/compute/userData?api-version=2021-01-01&format=text",
                    Map.of("Metadata", "true"));
            assertArrayEquals(CONFIG, Base64.getDecoder().decode(r.body()));
        }
    }

    @Test
    void stage2_isServedAtItsPath() throws Exception {
        try (var m = MetadataServer.start(MetadataServer.Cloud.AWS, CONFIG, STAGE2)) {
            assertArrayEquals(STAGE2, call(m.port(), "GET", MetadataServer.STAGE2_PATH, Map.of()).body());
        }
    }
}
