package io.cvmboot.measure.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutated and truncated images either parse or fail with {@link MeasureException}, never with an
 * unchecked exception (a hostile UKI handed to inspect or the PCR predictor must give a clean error).
 */
class PeImageRobustnessTest {

    @Test
    void parseAndDigest_mutatedHeaders_onlyMeasureException() {
        byte[] original = PeVectors.resource("stub252-sbsign.efi");
        SplittableRandom random = new SplittableRandom(20261122);
        int rejected = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] b = original.clone();
            // Mutate 1-4 bytes inside the headers (first 0x400 bytes), where every offset comes from.
            for (int i = random.nextInt(1, 5); i > 0; i--) {
                b[random.nextInt(0x400)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                b = Arrays.copyOf(b, random.nextInt(b.length));
            }
            try {
                PeImage pe = PeImage.parse("mutated", b);
                Authenticode.digest(pe, HashAlgorithm.SHA256);
                EmbeddedSignature.claimedDigests(pe);
                for (PeSection s : pe.sections()) {
                    // Mutated VirtualSizes reach 4 GiB; only the sizes worth hashing in a unit test.
                    if (s.virtualSize() < (1 << 20)) {
                        pe.sectionBytes(s);
                        pe.sectionDigest(s, HashAlgorithm.SHA256);
                    }
                }
            } catch (MeasureException expected) {
                rejected++;
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": unchecked " + e, e);
            }
        }
        assertTrue(rejected > 100, "the mutations should hit checks, got " + rejected);
    }

    @Test
    void sectionDigest_equalsDigestOfSectionBytes() throws Exception {
        PeImage pe = PeImage.parse("stub", PeVectors.resource("stub252.efi"));
        for (PeSection s : pe.sections()) {
            assertEquals(Digest.compute(HashAlgorithm.SHA256, pe.sectionBytes(s)), pe.sectionDigest(s, HashAlgorithm.SHA256));
        }
    }
}
