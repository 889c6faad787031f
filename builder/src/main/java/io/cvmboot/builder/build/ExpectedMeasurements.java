package io.cvmboot.builder.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.measure.Digest;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * expected-measurement.json: what a verifier compares attestation evidence with. PCRs that were not
 * fully predicted are absent, never guessed; {@code notPredicted} says which and why.
 *
 * @param cmdline the kernel command line in the UKI
 * @param snp the SNP launch digests, one per target configuration
 * @param pcrs predicted PCR values: bank label → PCR index → value
 * @param notPredicted PCR index → reason, for the PCRs a verifier must take from elsewhere
 */
public record ExpectedMeasurements(String cmdline, List<SnpDigest> snp, SortedMap<String, SortedMap<Integer, Digest>> pcrs,
        SortedMap<Integer, String> notPredicted) {
    public static final String FILE_NAME = OutputLayout.EXPECTED;

    public ExpectedMeasurements {
        snp = List.copyOf(snp);
        var copy = new TreeMap<String, SortedMap<Integer, Digest>>();
        pcrs.forEach((bank, values) -> copy.put(bank, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values))));
        pcrs = java.util.Collections.unmodifiableSortedMap(copy);
        notPredicted = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(notPredicted));
    }

    /**
     * One SNP launch configuration and its digest.
     *
     * @param ovmfSha256 SHA-256 of the firmware image measured
     * @param measurement the launch digest (SHA-384), as MEASUREMENT in the attestation report
     */
    public record SnpDigest(String mode, int vcpus, String vcpuType, String vmmType, String guestFeatures,
            String ovmfSha256, Digest measurement) {}

    public byte[] toJson() {
        ObjectNode root = ManifestJson.MAPPER.createObjectNode();
        root.put("version", 1);
        root.put("cmdline", cmdline);
        ArrayNode snpNode = root.putArray("snp");
        for (SnpDigest d : snp) {
            ObjectNode n = snpNode.addObject();
            n.put("mode", d.mode());
            n.put("vcpus", d.vcpus());
            n.put("vcpuType", d.vcpuType());
            n.put("vmmType", d.vmmType());
            n.put("guestFeatures", d.guestFeatures());
            n.put("ovmfSha256", d.ovmfSha256());
            n.put("measurement", d.measurement().hex());
        }
        ObjectNode tpm = root.putObject("tpm");
        for (Map.Entry<String, SortedMap<Integer, Digest>> bank : pcrs.entrySet()) {
            ObjectNode b = tpm.putObject(bank.getKey());
            bank.getValue().forEach((pcr, value) -> b.put(Integer.toString(pcr), value.hex()));
        }
        ObjectNode np = root.putObject("notPredicted");
        notPredicted.forEach((pcr, why) -> np.put(Integer.toString(pcr), why));
        return ManifestJson.bytes(root);
    }
}
