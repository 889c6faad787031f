package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.boot.pcr.PcrTestUkis;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code builder eventlog}: decoding and replaying a captured log (measure/src/test/resources/tpm/logs). */
class EventlogCommandTest {
    @TempDir
    Path dir;

    @Test
    void json_replaysToTheGuestPcrs() throws Exception {
        var r = MeasurePcrCommandTest.run("eventlog", "--json", PcrTestUkis.capturedLog("252-secureboot").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        Map<HashAlgorithm, Map<Integer, Digest>> guest = PcrTestUkis.capturedPcrs("252-secureboot");
        for (HashAlgorithm bank : HashAlgorithm.values()) {
            for (int pcr : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 9, 11}) {
                assertEquals(guest.get(bank).get(pcr).hex(), json.get("pcrs").get(bank.label()).get(Integer.toString(pcr)).asText(),
                        bank.label() + " PCR " + pcr);
            }
        }
        assertEquals(4, json.get("header").get("algorithms").size());
        assertTrue(json.get("events").toString().contains("EV_EFI_VARIABLE_AUTHORITY"));
    }

    @Test
    void text_listsEventsAndPcrs() {
        var r = MeasurePcrCommandTest.run("eventlog", PcrTestUkis.capturedLog("252-a").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("EV_EFI_ACTION                      \"Calling EFI Application from Boot Option\""), r.out());
        assertTrue(r.out().contains("tag 0x8f3b22ec \"Linux initrd\""), r.out());
        assertTrue(r.out().contains("sha256:\n"), r.out());
    }

    @Test
    void truncatedLog_isUnusableInput_withOneLineError() throws Exception {
        byte[] log = Files.readAllBytes(PcrTestUkis.capturedLog("252-a"));
        Path cut = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(log, log.length - 3));
        var r = MeasurePcrCommandTest.run("eventlog", cut.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("cut.bin: truncated") || r.err().contains("runs past the end"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void notAnEventLog_isUnusableInput() throws Exception {
        Path junk = Files.write(dir.resolve("junk.bin"), "not a log at all, just some text here..".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var r = MeasurePcrCommandTest.run("eventlog", junk.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("not a crypto-agile event log"), r.err());
    }
}
