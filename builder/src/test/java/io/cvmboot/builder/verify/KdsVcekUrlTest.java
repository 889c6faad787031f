package io.cvmboot.builder.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cvmboot.measure.report.AttestationReport;
import io.cvmboot.measure.report.SnpProduct;
import io.cvmboot.measure.report.TcbVersion;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The URLs Oak recorded next to its evidence (oak_attestation_verification/testdata
 * *_endorsements.textproto, project-oak/oak@578b95116bac) are the reference: the same path and
 * the same SPL values (KDS ignores parameter order, case of the hex and leading zeros).
 */
class KdsVcekUrlTest {
    @Test
    void genoaUrl_matchesOaksRecordedKdsUrl() throws Exception {
        AttestationReport r = AttestationReport.parse("genoa", VerifyFixtures.bytes("genoa_oc_report.bin"));
        URI uri = KdsVcekUrl.of(KdsVcekUrl.AMD_KDS, SnpProduct.GENOA, r.chipId(),
                TcbVersion.decode(r.reportedTcbRaw(), SnpProduct.GENOA));
        assertSameKdsUrl("https://kdsintf.amd.com/vcek/v1/Genoa/D2421D976F95CE0BA849B7CC5C789122F1E59C77A037272C137AE4D1"
                + "88BB102ADBC7C53D0302BFF82A432C94A305DEC7A7A270CEB19A10F04A83316C6486968D?blSPL=10&teeSPL=00&snpSPL=25"
                + "&ucodeSPL=84", uri);
    }

    @Test
    void turinUrl_usesEightByteHwIdAndFmc() throws Exception {
        AttestationReport r = AttestationReport.parse("turin", VerifyFixtures.bytes("turin_oc_report.bin"));
        URI uri = KdsVcekUrl.of(KdsVcekUrl.AMD_KDS, SnpProduct.TURIN, r.chipId(),
                TcbVersion.decode(r.reportedTcbRaw(), SnpProduct.TURIN));
        assertSameKdsUrl("https://kdsintf.amd.com/vcek/v1/Turin/3b42092f69c656d3?ucodeSPL=71&snpSPL=2&teeSPL=0&blSPL=1"
                + "&fmcSPL=0", uri);
    }

    @Test
    void baseWithTrailingSlash_givesOneSlash() {
        URI uri = KdsVcekUrl.of(URI.create("http://127.0.0.1:8080/"), SnpProduct.MILAN, new byte[64],
                new TcbVersion(0, 1, 2, 3, 4));
        assertEquals("http://127.0.0.1:8080/vcek/v1/Milan/" + "00".repeat(64) + "?blSPL=1&teeSPL=2&snpSPL=3&ucodeSPL=4",
                uri.toString());
    }

    private static void assertSameKdsUrl(String reference, URI actual) {
        URI ref = URI.create(reference);
        assertEquals(ref.getScheme() + "://" + ref.getHost() + ref.getPath().toLowerCase(Locale.ROOT),
                actual.getScheme() + "://" + actual.getHost() + actual.getPath().toLowerCase(Locale.ROOT));
        assertEquals(query(ref), query(actual));
    }

    private static Map<String, Integer> query(URI u) {
        Map<String, Integer> m = new TreeMap<>();
        Arrays.stream(u.getQuery().split("&")).map(p -> p.split("=")).forEach(kv -> m.put(kv[0], Integer.parseInt(kv[1])));
        return m;
    }
}
