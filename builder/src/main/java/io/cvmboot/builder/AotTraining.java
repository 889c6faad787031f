package io.cvmboot.builder;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of {@code bin/builder}'s AOT cache (JDK 25, JEP 483/515): runs the commands
 * scripts call most, in one JVM, on a small generated tree, so that the cache holds their classes
 * and the method profiles that let the JIT compile the hot loops (newc writing, SHA-256, the codecs)
 * at once. Every codec is exercised: the xz jar is sealed, and a cache trained without loading it
 * makes a later xz run fail with "sealing violation".
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=FILE -cp builder.jar io.cvmboot.builder.AotTraining
 * [SNP_FIRMWARE]}; with an AmdSev firmware (bin/builder passes the repository's test firmware) it also
 * trains {@code measure snp} with kernel hashes. Exit code 0 when every training command succeeded.
 */
public final class AotTraining {
    /**
     * Enough data for the writer's, SHA-256's and the fast codecs' loops to reach C2 with full
     * profiles (a 2 MB tree left `builder initrd` 50 ms slower on a 60 MB tree); xz gets a small
     * tree, as it only needs its classes loaded and would take seconds.
     */
    private static final int FILES = 48;
    private static final int FILE_BYTES = 512 * 1024;
    private static final int XZ_FILES = 4;

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        List<String> failed = train(args.length > 0 ? Path.of(args[0]) : null);
        failed.forEach(f -> System.err.println("aot training: " + f));
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /**
     * Runs the training commands in this JVM.
     *
     * @param snpFirmware an AmdSev firmware for {@code measure snp}, or null to leave it out
     * @return one line per command that failed: its arguments, exit code and error output
     */
    static List<String> train(Path snpFirmware) throws IOException {
        Path dir = Files.createTempDirectory("cvmboot-aot-training");
        List<String> failed = new java.util.ArrayList<>();
        try {
            Path big = Files.createDirectories(dir.resolve("big/usr/share/training"));
            Path small = Files.createDirectories(dir.resolve("small/usr/share/training"));
            for (int i = 0; i < FILES; i++) {
                byte[] bytes = compressibleBytes(i);
                Files.write(big.resolve("file" + i + ".txt"), bytes);
                if (i < XZ_FILES) {
                    Files.write(small.resolve("file" + i + ".txt"), bytes);
                }
            }
            List<List<String>> runs = new java.util.ArrayList<>();
            for (String codec : List.of("xz", "zstd", "gzip", "lz4", "none")) {
                String tree = dir.resolve(codec.equals("xz") ? "small" : "big").toString();
                runs.add(List.of("initrd", "--tree", tree, "--compress", codec, "-o", dir.resolve("initrd." + codec).toString()));
            }
            runs.add(List.of("initrd", "ls", dir.resolve("initrd.zstd").toString()));
            if (snpFirmware != null) {
                // Any bytes serve as kernel and initrd: the big initrd stands in for both.
                String stand = dir.resolve("initrd.none").toString();
                runs.add(List.of("measure", "snp", "--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--ovmf",
                        snpFirmware.toString(), "--kernel", stand, "--initrd", stand, "--append", "console=ttyS0"));
            }
            for (List<String> run : runs) {
                StringWriter err = new StringWriter();
                int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), run.toArray(String[]::new));
                if (code != 0) {
                    failed.add(String.join(" ", run) + " exited " + code + ": " + err.toString().strip());
                }
            }
        } finally {
            FileTrees.deleteQuietly(dir);
        }
        return failed;
    }

    /** Text-like content, different per file, compressible as real files are. */
    private static byte[] compressibleBytes(int seed) {
        String[] words = {"kernel", "initrd", "measure", "stage1", "digest", "firmware", "vmsa", "pcr", "0x1f", "\n"};
        StringBuilder sb = new StringBuilder(FILE_BYTES);
        long state = 0x9E3779B97F4A7C15L * (seed + 1);
        while (sb.length() < FILE_BYTES) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            sb.append(words[(int) Math.floorMod(state, (long) words.length)]).append(' ');
        }
        return sb.substring(0, FILE_BYTES).getBytes(StandardCharsets.US_ASCII);
    }
}
