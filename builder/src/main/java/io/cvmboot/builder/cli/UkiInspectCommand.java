package io.cvmboot.builder.cli;

import io.cvmboot.measure.pe.PeSection;
import io.cvmboot.uki.UkiInspection;
import io.cvmboot.uki.UkiInspection.SectionInfo;
import io.cvmboot.uki.UkiInspection.SignatureInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code builder uki inspect FILE}: sections, sizes, sha256 of each, and the Authenticode digests. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a UKI's (or any PE image's) sections with their address, VirtualSize, raw size and the",
            "sha256 of their loaded (VirtualSize) bytes, text sections' contents, and the Authenticode",
            "SHA-256/SHA-384 digests (what firmware measures into PCR 4). For a signed image, also the",
            "digest each signature claims and whether it matches (the signature itself is not verified)."
        })
public final class UkiInspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The UKI or PE image to inspect.")
    Path file;

    @Override
    public Integer call() throws Exception {
        UkiInspection inspection = UkiInspection.of(file.toString(), Files.readAllBytes(file));
        PrintWriter out = spec.commandLine().getOut();
        out.println("file: " + file);
        out.println("size: " + inspection.size());
        out.println("sha256: " + inspection.sha256().hex());
        out.println("format: " + inspection.format());
        for (var d : inspection.authenticode()) {
            out.println("authenticode-" + d.algorithm().label() + ": " + d.hex());
        }
        if (inspection.signatures().isEmpty()) {
            out.println("signatures: none");
        }
        for (SignatureInfo s : inspection.signatures()) {
            out.println("signature: " + s.claimed().algorithm().label() + " " + s.claimed().hex()
                    + (s.matchesImage() ? " (matches the image)" : " (DOES NOT match the image)"));
        }
        out.println("sections:");
        out.println(String.format("  %-8s %-10s %-10s %-10s %-10s %s", "name", "vaddr", "vsize", "offset", "rawsize", "sha256"));
        for (SectionInfo s : inspection.sections()) {
            PeSection h = s.header();
            out.println(String.format("  %-8s 0x%08x 0x%08x 0x%08x 0x%08x %s", h.name(), h.virtualAddress(), h.virtualSize(),
                    h.pointerToRawData(), h.sizeOfRawData(), s.sha256().hex()));
        }
        for (SectionInfo s : inspection.sections()) {
            if (s.text().isPresent()) {
                out.println(s.header().name() + ":");
                s.text().get().strip().lines().forEach(line -> out.println("    " + line));
            }
        }
        return ExitCodes.OK;
    }
}
