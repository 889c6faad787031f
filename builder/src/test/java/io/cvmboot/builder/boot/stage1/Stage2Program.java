package io.cvmboot.builder.boot.stage1;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The stage2 of the boot test: a static C program (stage1 execs an ELF from a memfd, so no shell
 * script) that prints what it was given (argv, environment, the config file, the attestation)
 * and what the TPM says (PCR 14/15 of every bank through sysfs), then powers off. Built with the
 * host's gcc and static glibc; the test skips without them.
 */
public final class Stage2Program {
    static final String SOURCE = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <unistd.h>
            #include <sys/reboot.h>

            static void dump(const char *label, const char *path) {
                FILE *f = fopen(path, "r");
                if (!f) { printf("STAGE2 %s=<absent>\\n", label); return; }
                printf("STAGE2-BEGIN %s\\n", label);
                char buf[4096];
                size_t n;
                while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
                fclose(f);
                printf("\\nSTAGE2-END %s\\n", label);
            }

            static void pcr(const char *bank, int i) {
                char path[128], value[256] = {0};
                snprintf(path, sizeof path, "/sys/class/tpm/tpm0/pcr-%s/%d", bank, i);
                FILE *f = fopen(path, "r");
                if (!f) return;
                if (fgets(value, sizeof value, f)) {
                    value[strcspn(value, "\\n")] = 0;
                    printf("STAGE2 pcr-%s/%d=%s\\n", bank, i, value);
                }
                fclose(f);
            }

            int main(int argc, char **argv) {
                char up[64] = {0};
                FILE *u = fopen("/proc/uptime", "r");
                if (u) { if (!fgets(up, sizeof up, u)) up[0] = 0; fclose(u); }
                up[strcspn(up, " \\n")] = 0;
                printf("STAGE2 started uptime=%s pid=%d\\n", up, (int) getpid());
                for (int i = 0; i < argc; i++) printf("STAGE2 argv[%d]=%s\\n", i, argv[i]);
                const char *path = getenv("PATH");
                printf("STAGE2 PATH=%s\\n", path ? path : "<unset>");
                const char *banks[] = {"sha1", "sha256", "sha384", "sha512"};
                for (int b = 0; b < 4; b++) { pcr(banks[b], 14); pcr(banks[b], 15); }
                dump("config", "/tmp/stage2-config.json");
                dump("attest", "/tmp/stage1.attest");
                printf("STAGE2-DONE\\n");
                fflush(stdout);
                sync();
                reboot(RB_POWER_OFF);
                return 0;
            }
            """;

    private Stage2Program() {}

    /** Compiles the program into {@code dir} and returns the binary's bytes. */
    public static byte[] build(Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc absent (Debian: apt-get install gcc)");
        Path source = dir.resolve("stage2.c");
        Path binary = dir.resolve("stage2");
        Files.writeString(source, SOURCE, StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder("/usr/bin/gcc", "-static", "-Os", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Assumptions.assumeTrue(rc == 0, "gcc -static failed (static glibc, Debian libc6-dev, absent?): " + out);
        return Files.readAllBytes(binary);
    }
}
