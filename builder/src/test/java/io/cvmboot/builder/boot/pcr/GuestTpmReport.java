package io.cvmboot.builder.boot.pcr;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link PcrProbeInitrd} printed: the guest's PCRs per bank (from sysfs), the Stub* variables
 * (hex of their data) and the binary event log.
 */
public record GuestTpmReport(Map<HashAlgorithm, Map<Integer, Digest>> pcrs, Map<String, String> variables, byte[] eventLog) {
    public static final String DONE = "CVM-DONE";

    public static GuestTpmReport parse(String serial) {
        Map<HashAlgorithm, Map<Integer, Digest>> pcrs = new EnumMap<>(HashAlgorithm.class);
        Map<String, String> vars = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        boolean inLog = false;
        boolean logEnded = false;
        for (String line : serial.lines().toList()) {
            String l = line.strip();
            if (l.equals("CVM-LOG-BEGIN")) {
                inLog = true;
            } else if (l.equals("CVM-LOG-END")) {
                inLog = false;
                logEnded = true;
            } else if (inLog) {
                log.append(l);
            } else if (l.startsWith("CVM-PCR ")) {
                String[] f = l.split(" ");
                if (f.length == 4) {
                    HashAlgorithm bank = HashAlgorithm.fromLabel(f[1]);
                    pcrs.computeIfAbsent(bank, b -> new TreeMap<>())
                            .put(Integer.parseInt(f[2]), Digest.ofHex(bank, f[3].toLowerCase(java.util.Locale.ROOT)));
                }
            } else if (l.startsWith("CVM-VAR ")) {
                String[] f = l.split(" ");
                vars.put(f[1], f.length > 2 ? f[2] : "");
            }
        }
        if (!logEnded || pcrs.isEmpty()) {
            throw new IllegalStateException("the guest did not report its PCRs and event log; serial console:\n" + serial);
        }
        return new GuestTpmReport(pcrs, vars, Base64.getDecoder().decode(log.toString()));
    }

    public Digest pcr(HashAlgorithm bank, int index) {
        return pcrs.get(bank).get(index);
    }
}
