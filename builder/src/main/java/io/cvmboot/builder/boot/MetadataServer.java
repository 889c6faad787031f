package io.cvmboot.builder.boot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that plays a cloud's instance metadata service for a local boot: it hands
 * the stage1 config out as user data (AWS IMDSv2, GCP or Azure style) and serves the stage2 binary
 * at {@link #STAGE2_PATH}. Only binds 127.0.0.1.
 */
public final class MetadataServer implements AutoCloseable {
    /** Where the demo config points stage1 for its stage2 (reached by the guest at 169.254.169.254). */
    public static final String STAGE2_PATH = "/cvmboot/stage2";
    public static final String STAGE2_URL = "http://169.254.169.254" + STAGE2_PATH;

    /** Which metadata service to imitate. */
    public enum Cloud { AWS, GCP, AZURE }

    private static final String AWS_TOKEN = "cvmboot-local-token";

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private MetadataServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on an ephemeral loopback port. */
    public static MetadataServer start(Cloud cloud, byte[] config, byte[] stage2) throws IOException {
        Objects.requireNonNull(config, "config");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        MetadataServer m = new MetadataServer(server);
        server.createContext("/", exchange -> m.handle(exchange, cloud, config, stage2));
        server.start();
        return m;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** "METHOD path status" of every request served, for the boot log and tests. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange x, Cloud cloud, byte[] config, byte[] stage2) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            String path = x.getRequestURI().getPath();
            int status;
            byte[] body;
            if (path.equals(STAGE2_PATH) && stage2 != null) {
                status = 200;
                body = stage2;
            } else {
                Response r = switch (cloud) {
                    case AWS -> aws(x, method, path, config);
                    case GCP -> gcp(x, path, config);
                    case AZURE -> azure(x, path, config);
                };
                status = r.status();
                body = r.body();
            }
            requests.add(method + " " + x.getRequestURI() + " " + status);
            x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private record Response(int status, byte[] body) {
        static Response text(int status, String s) {
            return new Response(status, s.getBytes(StandardCharsets.UTF_8));
        }
    }

    // AWS IMDSv2: a session token from PUT /latest/api/token, then GETs carrying it.
    private static Response aws(HttpExchange x, String method, String path, byte[] config) {
        if (path.equals("/latest/api/token")) {
            return method.equals("PUT") ? Response.text(200, AWS_TOKEN) : Response.text(405, "PUT only");
        }
        if (!AWS_TOKEN.equals(x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
            return Response.text(401, "missing or wrong IMDSv2 token");
        }
        return path.equals("/latest/user-data") ? new Response(200, config) : Response.text(404, "not found");
    }

    private static Response gcp(HttpExchange x, String path, byte[] config) {
        if (!"Google".equals(x.getRequestHeaders().getFirst("Metadata-Flavor"))) {
            return Response.text(403, "Metadata-Flavor: Google required");
        }
        return path.equals("/computeMetadata/v1/instance/attributes/user-data")
                ? new Response(200, config) : Response.text(404, "not found");
    }

    private static Response azure(HttpExchange x, String path, byte[] config) {
        if (!"true".equals(x.getRequestHeaders().getFirst("Metadata"))) {
            return Response.text(400, "Metadata: true required");
        }
        return path.equals("/metadata/instance/compute/userData")
                ? Response.text(200, Base64.getEncoder().encodeToString(config)) : Response.text(404, "not found");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
