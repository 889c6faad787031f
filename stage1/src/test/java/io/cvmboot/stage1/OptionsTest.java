package io.cvmboot.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.stage1.tpm.AkTemplate;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void parse_noArguments_isProductionWithDefaults() throws Exception {
        Options o = Options.parse(new String[0]);
        assertEquals(Options.Mode.PRODUCTION, o.mode());
        assertEquals("device:/dev/tpmrm0", o.tpm());
        assertEquals(Path.of("/tmp"), o.tmpDir());
        assertEquals("http://169.254.169.254", o.awsBase().toString());
        assertEquals(AkTemplate.ECC_P256, o.akTemplate());
        assertEquals(3, o.retry().attempts());
    }

    @Test
    void parse_makeConfig_optionalExistingFile() throws Exception {
        assertEquals(List.of("x86_64", "http://h/b"), Options.parse(new String[] {"--make-config", "x86_64", "http://h/b"}).operands());
        assertEquals(List.of("aarch64", "http://h/b", "c.json"),
                Options.parse(new String[] {"--make-config", "aarch64", "http://h/b", "c.json", "--tpm", "none"}).operands());
    }

    @Test
    void parse_attest_challengeOptional() throws Exception {
        assertEquals(List.of(), Options.parse(new String[] {"--attest"}).operands());
        assertEquals(List.of("abc"), Options.parse(new String[] {"--attest", "abc", "--ak", "rsa"}).operands());
    }

    @Test
    void parse_twoModes_rejected() {
        String m = assertThrows(Stage1Exception.class, () -> Options.parse(new String[] {"--file", "a", "--url", "http://h/"}))
                .getMessage();
        assertTrue(m.contains("only one of"), m);
    }

    @Test
    void parse_badValues_namedInTheMessage() {
        assertTrue(assertThrows(Stage1Exception.class, () -> Options.parse(new String[] {"--ak", "dsa"}))
                .getMessage().contains("'dsa'"));
        assertTrue(assertThrows(Stage1Exception.class, () -> Options.parse(new String[] {"--retries", "0"}))
                .getMessage().contains("1..20"));
        assertTrue(assertThrows(Stage1Exception.class, () -> Options.parse(new String[] {"--metadata-base", "ftp://x"}))
                .getMessage().contains("http:// or https://"));
        assertTrue(assertThrows(Stage1Exception.class, () -> Options.parse(new String[] {"--file"}))
                .getMessage().contains("--file needs a value"));
        assertTrue(assertThrows(Stage1Exception.class, () -> Options.parse(new String[] {"--bogus"}))
                .getMessage().contains("unknown argument '--bogus'"));
    }

    @Test
    void main_exitCodes_usageIs2() {
        assertEquals(2, Main.run(new String[] {"--bogus"}, System.out, Log.NONE));
        assertEquals(0, Main.run(new String[] {"--help"}, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), Log.NONE));
    }

    @Test
    void main_tpmNoneInProduction_refused() {
        java.util.List<String> log = new java.util.ArrayList<>();
        assertEquals(1, Main.run(new String[] {"--tpm", "none", "--metadata-base", "http://127.0.0.1:1", "--retries", "1"},
                System.out, log::add));
        assertTrue(log.stream().anyMatch(l -> l.contains("--tpm none is only allowed with --file or --url")), log.toString());
    }
}
