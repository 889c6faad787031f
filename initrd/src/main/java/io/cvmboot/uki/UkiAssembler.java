package io.cvmboot.uki;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.pe.PeSection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Assembles a UKI from a {@link UkiSpec} with ukify's layout (systemd src/ukify/ukify.py,
 * {@code make_uki} and {@code pe_add_sections}; summary in docs/uki.md): sections in the order
 * .osrel .cmdline .dtb .uname .splash .pcrpkey .initrd .linux, then .sbat, which is merged from the
 * stub's, the kernel's and the user's entries and written into the stub's own .sbat section.
 * The output depends only on the spec's bytes.
 */
public final class UkiAssembler {
    /** Section characteristics ukify gives payload sections: readable initialised data. */
    static final long DATA_SECTION = PeSection.IMAGE_SCN_CNT_INITIALIZED_DATA | PeSection.IMAGE_SCN_MEM_READ;
    /** .linux is marked code: old kernels entered through the EFI handover protocol run in place. */
    static final long LINUX_SECTION = PeSection.IMAGE_SCN_CNT_CODE | PeSection.IMAGE_SCN_MEM_READ;

    private UkiAssembler() {}

    /** Builds the unsigned UKI. */
    public static Uki assemble(UkiSpec spec) throws ArtefactInputException {
        PeImage stub = parse("stub", spec.stub());
        byte[] linuxBytes = spec.linux();
        PeImage linux = parse("linux", linuxBytes);
        Optional<String> uname = spec.uname().isPresent() ? spec.uname() : KernelRelease.of(linuxBytes);

        PeEditor pe = PeEditor.forStub(stub);
        List<String> names = new ArrayList<>(stub.sections().stream().map(PeSection::name).toList());
        List<Payload> payloads = new ArrayList<>();
        spec.osRelease().ifPresent(b -> payloads.add(new Payload(".osrel", b)));
        spec.cmdline().ifPresent(b -> payloads.add(new Payload(".cmdline", b)));
        spec.dtb().ifPresent(b -> payloads.add(new Payload(".dtb", b)));
        uname.ifPresent(u -> payloads.add(new Payload(".uname", u.getBytes(StandardCharsets.US_ASCII))));
        spec.splash().ifPresent(b -> payloads.add(new Payload(".splash", b)));
        spec.pcrpkey().ifPresent(b -> payloads.add(new Payload(".pcrpkey", b)));
        payloads.add(new Payload(".initrd", joinInitrds(spec.initrds())));
        for (Payload p : payloads) {
            // ukify adds a section only for non-empty content.
            if (p.data().length > 0) {
                pe.appendSection(p.name(), p.data(), p.data().length, DATA_SECTION);
                names.add(p.name());
            }
        }
        // ukify uses the kernel's SizeOfImage as .linux VirtualSize, so that the loaded section has room
        // for the kernel image as the PE loader of newer stubs lays it out.
        pe.appendSection(".linux", linuxBytes, linux.optionalHeader().sizeOfImage(), LINUX_SECTION);
        names.add(".linux");

        byte[] sbat = mergedSbat(spec, stub, linux);
        if (pe.hasOriginalSection(".sbat")) {
            pe.replaceOriginalSection(".sbat", sbat);
        } else {
            pe.appendSection(".sbat", sbat, sbat.length, DATA_SECTION);
            names.add(".sbat");
        }
        return new Uki(Bytes.of(pe.finish()), uname, names);
    }

    private static byte[] mergedSbat(UkiSpec spec, PeImage stub, PeImage linux) throws ArtefactInputException {
        List<List<String>> parts = new ArrayList<>();
        for (PeImage image : List.of(stub, linux)) {
            Optional<PeSection> s = image.section(".sbat");
            if (s.isPresent()) {
                parts.add(Sbat.entriesOfSection(image.inputName(), image.rawData(s.get())));
            }
        }
        byte[] user = spec.sbat().orElse(Sbat.DEFAULT_UKI_ENTRY.getBytes(StandardCharsets.UTF_8));
        parts.add(Sbat.entriesOfText("sbat", user));
        return Sbat.merge(parts);
    }

    /** One initrd as is; several each zero-padded to a 4-byte multiple (ukify join_initrds). */
    static byte[] joinInitrds(List<byte[]> initrds) {
        if (initrds.size() == 1) {
            return initrds.getFirst();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] initrd : initrds) {
            out.writeBytes(initrd);
            out.writeBytes(new byte[(4 - initrd.length % 4) % 4]);
        }
        return out.toByteArray();
    }

    private static PeImage parse(String role, byte[] bytes) throws ArtefactInputException {
        try {
            return PeImage.parse(role, bytes);
        } catch (MeasureException e) {
            String hint = role.equals("linux")
                    ? " (the kernel must be an x86 bzImage built with CONFIG_EFI_STUB)"
                    : " (expected a systemd-stub such as /usr/lib/systemd/boot/efi/linuxx64.efi.stub)";
            throw new ArtefactInputException(e.getMessage() + hint, e);
        }
    }

    private record Payload(String name, byte[] data) {}
}
