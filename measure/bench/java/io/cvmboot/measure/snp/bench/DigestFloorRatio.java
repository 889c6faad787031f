package io.cvmboot.measure.snp.bench;

import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A load-robust companion to the JMH run: alternates the launch digest and the floor many times in
 * one warmed-up JVM and prints the ratio of their minimum (and median) times. On a shared machine
 * the minimum is the run least disturbed by other processes. Run with measure/bench/run-jmh.sh --ratio.
 */
public final class DigestFloorRatio {
    private DigestFloorRatio() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        LaunchDigestBenchmark b = new LaunchDigestBenchmark();
        b.load();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        for (int i = 0; i < 20; i++) { // warm-up: both paths JIT-compiled
            b.launchDigest_4vcpu_kernelHashes(bh);
            b.floor_hashEachInputOnce(bh);
        }
        long[] digest = new long[rounds];
        long[] floor = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            b.launchDigest_4vcpu_kernelHashes(bh);
            long t1 = System.nanoTime();
            b.floor_hashEachInputOnce(bh);
            long t2 = System.nanoTime();
            digest[i] = t1 - t0;
            floor[i] = t2 - t1;
        }
        Arrays.sort(digest);
        Arrays.sort(floor);
        System.out.printf("launch digest min %.2f ms median %.2f ms; floor min %.2f ms median %.2f ms%n",
                digest[0] / 1e6, digest[rounds / 2] / 1e6, floor[0] / 1e6, floor[rounds / 2] / 1e6);
        System.out.printf("ratio digest/floor: min %.3f, median %.3f (target <= 1.5)%n",
                (double) digest[0] / floor[0], (double) digest[rounds / 2] / floor[rounds / 2]);
    }
}
