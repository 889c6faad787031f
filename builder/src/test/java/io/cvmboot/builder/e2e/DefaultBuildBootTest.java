package io.cvmboot.builder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.Main;
import io.cvmboot.builder.boot.LocalBoot;
import io.cvmboot.builder.boot.MetadataServer;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.Swtpm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, end to end: {@code builder build} of the built-in spec (packages fetched
 * once into the user's cache), then {@code builder boot}: OVMF, the UKI, stage1 as PID 1 fetching
 * its config from the played metadata service, stage2 running. The guest's PCRs, printed by the
 * demo stage2, must equal expected-measurement.json.
 */
class DefaultBuildBootTest {
    private static final Pattern PCR_LINE = Pattern.compile("PCR(\\d+)=([0-9A-Fa-f]{64})");

    @Test
    void defaultBuild_bootsToStage2_andPcrsEqualThePrediction(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(Qemu.available(), "qemu-system-x86_64 absent");
        Assumptions.assumeTrue(Swtpm.available(), "swtpm absent");
        Path out = work.resolve("out");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "build", "-o", out.toString());
        assertEquals(0, code, err::toString);

        StringBuilder progress = new StringBuilder();
        BootResult boot = new LocalBoot(out, "tcg", 1024, MetadataServer.Cloud.AWS).run(Duration.ofMinutes(8),
                line -> line.equals("STAGE2-DONE"), line -> {}, line -> progress.append(line).append('\n'));
        String serial = boot.serial();
        assertTrue(serial.contains("STAGE2-RUNNING"), () -> "stage2 did not start:\n" + tail(serial) + progress);
        assertTrue(boot.stopped(), () -> "stage2 did not finish:\n" + tail(serial));

        // The default spec's cloud NICs (docs/stage1.md, kernel modules): ena and gve load without their
        // device; outside Hyper-V hv_vmbus is refused with ENODEV and hv_netvsc then with ENOENT, both optional.
        String modules = String.join("\n", serial.lines().filter(l -> l.contains("module")).toList());
        for (String nic : List.of("virtio_net", "ena", "gve")) {
            assertTrue(serial.contains("stage1: loaded module /lib/modules/cvmboot/" + nic + ".ko"), () -> nic + ":\n" + modules);
        }
        assertTrue(serial.contains("stage1: module hv_vmbus not loaded: ENODEV (optional)"), () -> modules);
        assertTrue(serial.contains("stage1: module hv_netvsc not loaded: ENOENT (optional)"), () -> modules);

        byte[] config = Files.readAllBytes(out.resolve("stage1-config.json"));
        assertTrue(serial.contains("config: " + new String(config, StandardCharsets.UTF_8)),
                () -> "stage2 did not get the published config:\n" + tail(serial));

        JsonNode expected = new ObjectMapper().readTree(out.resolve("expected-measurement.json").toFile()).path("tpm").path("sha256");
        Matcher m = PCR_LINE.matcher(serial);
        int compared = 0;
        while (m.find()) {
            String pcr = m.group(1);
            String guest = m.group(2).toLowerCase(Locale.ROOT);
            assertTrue(expected.has(pcr), "PCR " + pcr + " was not predicted: " + expected);
            assertEquals(expected.path(pcr).asText(), guest, "PCR " + pcr);
            compared++;
        }
        assertEquals(List.of("4", "7", "9", "11", "12", "14", "15").size(), compared, () -> tail(serial));
    }

    private static String tail(String s) {
        List<String> lines = s.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
