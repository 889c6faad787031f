package io.cvmboot.uki;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.measure.pe.EmbeddedSignature;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.pe.PeSection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code builder uki inspect} shows about a PE image (a UKI or any EFI binary): its sections
 * with the sha256 of their loaded bytes (VirtualSize, as systemd-stub measures them), its
 * Authenticode digests (what firmware extends into PCR 4) and, when signed, whether each
 * signature's claimed digest equals the computed one.
 *
 * @param sha256 of the whole file
 * @param authenticode SHA-256 and SHA-384 Authenticode digests
 * @param signatures each embedded signature's claimed digest (empty when unsigned)
 */
public record UkiInspection(
        String inputName,
        long size,
        Digest sha256,
        String format,
        List<SectionInfo> sections,
        List<Digest> authenticode,
        List<SignatureInfo> signatures) {

    /** Sections whose contents are text and worth printing (ukify inspect shows the same ones as text). */
    private static final Set<String> TEXT_SECTIONS = Set.of(".cmdline", ".osrel", ".uname", ".sbat", ".pcrpkey");

    /** Text sections larger than this are not shown (none of the real ones comes close). */
    private static final long MAX_TEXT = 64 * 1024;

    public UkiInspection {
        sections = List.copyOf(sections);
        authenticode = List.copyOf(authenticode);
        signatures = List.copyOf(signatures);
    }

    /**
     * One section.
     *
     * @param sha256 of the VirtualSize bytes (raw data truncated or zero-extended)
     * @param text the section as UTF-8 text up to the first NUL, for text sections that decode cleanly
     */
    public record SectionInfo(PeSection header, Digest sha256, Optional<String> text) {}

    /**
     * One embedded signature: the image digest it claims and whether that equals the digest computed
     * over this file with the same algorithm. (The signature itself is not verified here.)
     */
    public record SignatureInfo(Digest claimed, boolean matchesImage) {}

    /** Inspects {@code bytes}. */
    public static UkiInspection of(String inputName, byte[] bytes) throws ArtefactInputException {
        try {
            PeImage pe = PeImage.parse(inputName, bytes);
            List<SectionInfo> sections = new ArrayList<>();
            for (PeSection s : pe.sections()) {
                sections.add(new SectionInfo(s, pe.sectionDigest(s, HashAlgorithm.SHA256), text(pe, s)));
            }
            String format = pe.optionalHeader().format().name().replace("_PLUS", "+")
                    + String.format(", machine 0x%04x, subsystem %d", pe.coffHeader().machine(), pe.optionalHeader().subsystem());
            return new UkiInspection(inputName, bytes.length, Digest.compute(HashAlgorithm.SHA256, bytes), format, sections,
                    List.of(Authenticode.digest(pe, HashAlgorithm.SHA256), Authenticode.digest(pe, HashAlgorithm.SHA384)),
                    signatures(pe));
        } catch (MeasureException e) {
            throw new ArtefactInputException(e.getMessage(), e);
        }
    }

    /** The Authenticode digest for {@code algorithm} (SHA-256 or SHA-384). */
    public Optional<Digest> authenticode(HashAlgorithm algorithm) {
        return authenticode.stream().filter(d -> d.algorithm() == algorithm).findFirst();
    }

    private static List<SignatureInfo> signatures(PeImage pe) throws MeasureException {
        List<SignatureInfo> out = new ArrayList<>();
        for (Digest claimed : EmbeddedSignature.claimedDigests(pe)) {
            out.add(new SignatureInfo(claimed, claimed.equals(Authenticode.digest(pe, claimed.algorithm()))));
        }
        return out;
    }

    private static Optional<String> text(PeImage pe, PeSection section) {
        if (!TEXT_SECTIONS.contains(section.name()) || section.virtualSize() > MAX_TEXT) {
            return Optional.empty();
        }
        byte[] loaded = pe.sectionBytes(section);
        int end = 0;
        while (end < loaded.length && loaded[end] != 0) {
            end++;
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(loaded, 0, end)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
