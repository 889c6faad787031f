package io.cvmboot.uki;

import static io.cvmboot.uki.UkiVectors.resource;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.pe.PeImage;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Stubs and kernels with mutated headers either assemble into a parsable PE or fail with
 * {@link ArtefactInputException}; never with an unchecked exception or a corrupt output.
 */
class UkiAssemblerRobustnessTest {
    @Test
    void assemble_mutatedStubOrKernelHeaders_onlyArtefactInputException() throws Exception {
        byte[] stub = resource("stub252.efi");
        byte[] kernel = resource("stub257.efi");
        SplittableRandom random = new SplittableRandom(7);
        int rejected = 0;
        for (int round = 0; round < 1000; round++) {
            boolean mutateStub = random.nextBoolean();
            byte[] b = (mutateStub ? stub : kernel).clone();
            for (int i = random.nextInt(1, 4); i > 0; i--) {
                b[random.nextInt(0x300)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(5) == 0) {
                b = Arrays.copyOf(b, random.nextInt(b.length));
            }
            UkiSpec spec = UkiSpec.builder().stub(mutateStub ? b : stub).linux(mutateStub ? kernel : b)
                    .initrd(resource("initrd-a.bin")).cmdline("x").osRelease(resource("os-release")).build();
            try {
                byte[] uki = UkiAssembler.assemble(spec).bytes();
                PeImage.parse("uki", uki); // whatever was accepted must still be a well-formed PE
            } catch (ArtefactInputException expected) {
                rejected++;
            } catch (RuntimeException | io.cvmboot.measure.MeasureException e) {
                throw new AssertionError("round " + round + " (" + (mutateStub ? "stub" : "kernel") + "): " + e, e);
            }
        }
        assertTrue(rejected > 50, "mutations should hit checks, got " + rejected);
    }
}
