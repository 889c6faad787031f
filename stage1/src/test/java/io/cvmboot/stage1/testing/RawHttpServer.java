package io.cvmboot.stage1.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A loopback HTTP/1.1 server that lets a test play a metadata service or download server byte by
 * byte, including the broken ones: wrong statuses, stalls, bodies shorter than their
 * Content-Length, endless bodies. One connection per request ({@code Connection: close}).
 */
public final class RawHttpServer implements AutoCloseable {

    /** A parsed request. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes the response (status line, headers, body) for a request. */
    @FunctionalInterface
    public interface Handler {
        void respond(Request request, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Handler handler;

    public RawHttpServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("raw-http").start(this::acceptLoop);
    }

    public void handler(Handler h) {
        this.handler = h;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String head = readHead(in);
            BufferedReader r = new BufferedReader(new java.io.StringReader(head));
            String[] line = r.readLine().split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while ((h = r.readLine()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            Request req = new Request(line[0], line[1], headers, body);
            requests.add(req);
            OutputStream out = s.getOutputStream();
            handler.respond(req, out);
            out.flush();
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away or the test scripted a broken connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    /** A complete response with Content-Length. */
    public static void send(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\nConnection: close\r\nContent-Length: "
                + body.length + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
    }

    public static void send(OutputStream out, int status, byte[] body) throws IOException {
        send(out, status, Map.of(), body);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
