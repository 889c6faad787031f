package io.cvmboot.stage1.packaging;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import io.cvmboot.stage1.Log;
import io.cvmboot.stage1.Options;
import io.cvmboot.stage1.attest.Attestation;
import io.cvmboot.stage1.attest.AttestationJson;
import io.cvmboot.stage1.config.ConfigParser;
import io.cvmboot.stage1.config.Stage1Config;
import io.cvmboot.stage1.exec.SealedExecutable;
import io.cvmboot.stage1.metadata.MetadataChain;
import io.cvmboot.stage1.metadata.RetryPolicy;
import io.cvmboot.stage1.net.Download;
import io.cvmboot.stage1.net.Http;
import io.cvmboot.stage1.net.Timeouts;
import io.cvmboot.stage1.tpm.AkTemplate;
import io.cvmboot.stage1.tpm.QuoteResult;
import io.cvmboot.stage1.tpm.Tpm;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import io.cvmboot.stage1.tpm.TpmTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AOT training run (JEP 483/514) made at build time: walks stage1's start-up path (options,
 * config parsing, metadata request, streaming download into a sealed memfd, TPM marshalling,
 * key conversion, attestation JSON) against an in-process loopback server and a TPM that refuses
 * everything, so that the classes and linkage of that path are in the AOT cache. It never execs and
 * never touches a real TPM or network.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        byte[] payload = new byte[1 << 20];
        String sha = Digest.compute(HashAlgorithm.SHA256, payload).hex();
        byte[] config = ("{\"_stage2\":{\"x86_64\":{\"url\":\"http://127.0.0.1/s2\",\"sha256\":\"" + sha
                + "\"},\"aarch64\":{\"url\":\"http://127.0.0.1/s2\",\"sha256\":\"" + sha + "\"},\"args\":[\"a\"]},\"x\":[1,{\"y\":null}]}")
                .getBytes(StandardCharsets.UTF_8);
        Log log = Log.to(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> serve(server, payload, config));
            String base = "http://127.0.0.1:" + server.getLocalPort();
            Options.parse(new String[] {"--tpm", "tcp:127.0.0.1:1", "--metadata-base", base, "--tmp", "/tmp"});
            Http http = new Http(Timeouts.METADATA, () -> { throw new IllegalStateException("no https in training"); });
            byte[] fetched = new MetadataChain(MetadataChain.standardSources(java.net.URI.create(base),
                    java.net.URI.create(base), java.net.URI.create(base)), new RetryPolicy(1, Duration.ZERO), log)
                    .fetch(http, ConfigParser.MAX_CONFIG_BYTES).bytes();
            Stage1Config parsed = ConfigParser.parse(fetched, "training");
            parsed.target(io.cvmboot.stage1.config.Architecture.running());
            try (SealedExecutable exe = SealedExecutable.create("training")) {
                var result = Download.stream(http, java.net.URI.create(base + "/s2"), 1 << 21,
                        EnumSet.allOf(HashAlgorithm.class), exe.sink(), log);
                exe.seal();
                Stage1Pcrs.predict(result.sha256(), parsed.sha256());
            }
        }
        try (Tpm tpm = new Tpm(new RefusingTpm())) {
            try {
                tpm.allocatedBanks();
            } catch (IOException expected) {
                // the refusing TPM answers TPM_RC_INITIALIZE to everything
            }
            try {
                tpm.pcrExtend(14, List.of(Digest.compute(HashAlgorithm.SHA256, config)));
            } catch (IOException expected) {
                // as above
            }
            try {
                tpm.createAttestationKey(AkTemplate.ECC_P256);
            } catch (IOException expected) {
                // as above
            }
        }
        var kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) kpg.generateKeyPair().getPublic();
        byte[] spki = TpmPublicKey.toJca(eccPublic(key)).getEncoded();
        var pcrs = new TreeMap<Integer, Digest>();
        pcrs.put(0, Stage1Pcrs.resetValue(HashAlgorithm.SHA256));
        AttestationJson.toJson(new Attestation(new byte[32], Map.of(HashAlgorithm.SHA256, pcrs), HashAlgorithm.SHA256,
                BitSet.valueOf(new long[] {0xFFFF}), new QuoteResult(new byte[10], new byte[10]), eccPublic(key), spki,
                List.of(new byte[3]), new Attestation.Stage2Info("http://x/", Digest.compute(HashAlgorithm.SHA256, config)),
                Digest.compute(HashAlgorithm.SHA256, config), null));
    }

    /** TPMT_PUBLIC of an ECC P-256 key with the AK template's parameters. */
    private static byte[] eccPublic(ECPublicKey key) {
        byte[] x = fixed(key.getW().getAffineX().toByteArray());
        byte[] y = fixed(key.getW().getAffineY().toByteArray());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 + 2 + 4 + 2 + 10 + 2 + 32 + 2 + 32);
        b.putShort((short) 0x23).putShort((short) 0x0B).putInt(0x00050072).putShort((short) 0)
                .putShort((short) 0x10).putShort((short) 0x18).putShort((short) 0x0B).putShort((short) 3).putShort((short) 0x10)
                .putShort((short) 32).put(x).putShort((short) 32).put(y);
        return b.array();
    }

    private static byte[] fixed(byte[] v) {
        byte[] out = new byte[32];
        int n = Math.min(32, v.length);
        System.arraycopy(v, v.length - n, out, 32 - n, n);
        return out;
    }

    private static void serve(ServerSocket server, byte[] payload, byte[] config) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                var in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                int c;
                while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
                    head.append((char) c);
                }
                String first = head.toString();
                byte[] body = first.startsWith("PUT ") ? "token".getBytes(StandardCharsets.US_ASCII)
                        : first.startsWith("GET /s2") ? payload : config;
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
            } catch (IOException e) {
                // next connection
            }
        }
    }

    /** Answers every command with TPM_RC_INITIALIZE. */
    private static final class RefusingTpm implements TpmTransport {
        @Override
        public byte[] transmit(byte[] command) {
            return new byte[] {(byte) 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x00};
        }

        @Override
        public void close() {}
    }
}
