package io.cvmboot.initrd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each compressor is checked by the reference CLI decompressing it (an independent reader). */
class CompressionTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"GZIP, gzip, gzip -dc", "XZ, xz, xz -dc", "ZSTD, zstd, zstd -dc", "LZ4, lz4, lz4 -dc"})
    void referenceTool_decompressesOurOutput_toTheOriginal(Compression c, String tool, String command) throws Exception {
        ExternalTools.assume(tool);
        byte[] input = sample(c == Compression.LZ4 ? 10 << 20 : 4 << 20);
        byte[] compressed = compress(c, c.defaultLevel(), input);
        assertArrayEquals(input, ExternalTools.sh(tmp, command, compressed));
    }

    @ParameterizedTest
    @CsvSource({"GZIP", "XZ", "ZSTD", "LZ4", "NONE"})
    void sameInput_givesSameBytes(Compression c) throws Exception {
        byte[] input = sample(3 << 20);
        assertArrayEquals(compress(c, c.defaultLevel(), input), compress(c, c.defaultLevel(), input));
    }

    @Test
    void gzipHeader_isThatOfGzipMinusN() throws Exception {
        byte[] out = compress(Compression.GZIP, 6, new byte[10]);
        // RFC 1952: magic, deflate, no flags, mtime 0, XFL 0 (level 6), OS 3 (Unix).
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, java.util.Arrays.copyOf(out, 10));
    }

    @Test
    void parallelGzip_givesTheSameBytesWithAnyThreadCount_andGzipAcceptsThem() throws Exception {
        ExternalTools.assume("gzip");
        byte[] input = sample(3 * ParallelGzipOutputStream.CHUNK + 12345);
        byte[] one = gzip(input, 1);
        assertArrayEquals(one, gzip(input, 3));
        ExternalTools.sh(tmp, "gzip -t", one); // fails the test on a non-zero exit (bad CRC, bad stream)
        assertArrayEquals(input, ExternalTools.sh(tmp, "gzip -dc", one));
    }

    /** Bad variant: a different chunking (here a single chunk) does change the bytes. */
    @Test
    void parallelGzip_differsFromOneUnchunkedDeflateStream() throws Exception {
        byte[] input = sample(3 * ParallelGzipOutputStream.CHUNK);
        var whole = new ByteArrayOutputStream();
        var params = new org.apache.commons.compress.compressors.gzip.GzipParameters();
        params.setCompressionLevel(6);
        params.setOperatingSystem(3);
        try (var gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(whole, params)) {
            gz.write(input);
        }
        assertTrue(!java.util.Arrays.equals(whole.toByteArray(), gzip(input, 2)));
    }

    private static byte[] gzip(byte[] input, int threads) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ParallelGzipOutputStream(bytes, 6, threads)) {
            out.write(input);
        }
        return bytes.toByteArray();
    }

    @Test
    void xz_usesTheCrc32Check_theKernelRequires() throws Exception {
        ExternalTools.assume("xz");
        byte[] out = compress(Compression.XZ, 6, sample(1000));
        // Stream header flags (xz file format 2.1.1.2): check type 0x01 = CRC32.
        assertEquals(0x01, out[7]);
        String info = new String(ExternalTools.sh(tmp, "cat > f.xz && xz --robot -lvv f.xz", out), StandardCharsets.UTF_8);
        assertTrue(info.contains("CRC32"), info);
    }

    /** Bad variant: xz's own default (CRC64) is what the kernel refuses; ours must differ from it. */
    @Test
    void xzCliDefault_usesCrc64_whichWeAvoid() throws Exception {
        ExternalTools.assume("xz");
        byte[] cli = ExternalTools.sh(tmp, "xz -6 -c", sample(1000));
        assertEquals(0x04, cli[7], "CRC64");
    }

    @Test
    void lz4_isTheLegacyFrame_byteIdenticalToLz4MinusLMinus9() throws Exception {
        ExternalTools.assume("lz4");
        byte[] input = sample(10 << 20);
        byte[] ours = compress(Compression.LZ4, 9, input);
        assertArrayEquals(new byte[] {0x02, 0x21, 0x4c, 0x18}, java.util.Arrays.copyOf(ours, 4));
        byte[] cli = ExternalTools.sh(tmp, "lz4 -l -9 -c", input);
        assertArrayEquals(cli, ours);
    }

    @Test
    void zstd_levelBeyond19_isRejected() {
        var e = assertThrows(ArtefactInputException.class, () -> Compression.ZSTD.checkLevel(22));
        assertTrue(e.getMessage().contains("expected 1..19"), e.getMessage());
        assertThrows(ArtefactInputException.class, () -> Compression.ofCliName("bzip2"));
    }

    static byte[] compress(Compression c, int level, byte[] input) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(bytes, level)) {
            out.write(input);
        }
        return bytes.toByteArray();
    }

    /** Compressible but not trivial: words from a small vocabulary mixed with random bytes. */
    static byte[] sample(int size) {
        var random = new Random(7);
        String[] words = {"initrd ", "kernel ", "module ", "busybox ", "\n", "0755 ", "lib/x86_64 "};
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            if (random.nextInt(8) == 0) {
                out[i++] = (byte) random.nextInt(256);
                continue;
            }
            byte[] w = words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(w.length, size - i);
            System.arraycopy(w, 0, out, i, n);
            i += n;
        }
        return out;
    }
}
