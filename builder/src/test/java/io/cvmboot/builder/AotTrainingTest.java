package io.cvmboot.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/builder drops its AOT cache when a training command fails, and then every run is slower with
 * nothing said: every initrd training command must succeed, and a failure must be reported.
 */
class AotTrainingTest {
    /** One training run (several seconds): a file that is no firmware makes exactly the snp command fail. */
    @Test
    void initrdCommandsSucceed_andAFailingCommandIsReportedWithItsError(@TempDir Path dir) throws Exception {
        Path notFirmware = Files.writeString(dir.resolve("not-a-firmware.fd"), "x");
        List<String> failed = AotTraining.train(notFirmware);
        assertEquals(1, failed.size(), failed::toString);
        assertTrue(failed.get(0).startsWith("measure snp") && failed.get(0).contains("exited 2")
                && failed.get(0).contains("not-a-firmware.fd"), failed::toString);
    }
}
