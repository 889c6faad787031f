package io.cvmboot.measure.pe;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;

/**
 * The Authenticode image hash: what a signer signs, what UEFI firmware checks against db/dbx and
 * what it extends into PCR 4 (EV_EFI_BOOT_SERVICES_APPLICATION). Follows "Windows Authenticode
 * Portable Executable Signature Format", "Calculating the PE Image Hash", with the details of
 * edk2's DxeImageVerificationLib/Tcg2 measurement (HashPeImage): trailing data starts at
 * SizeOfHeaders plus the summed SizeOfRawData, not at the end of the last section.
 */
public final class Authenticode {
    private Authenticode() {}

    /** The Authenticode digest of {@code image} with {@code algorithm}. */
    public static Digest digest(PeImage image, HashAlgorithm algorithm) throws MeasureException {
        byte[] data = image.internalBytes();
        MessageDigest md = algorithm.newMessageDigest();
        long sizeOfHeaders = image.optionalHeader().sizeOfHeaders();
        int checkSum = image.checkSumOffset();
        // The CheckSum and the certificate-table directory entry are skipped: signing changes both.
        md.update(data, 0, checkSum);
        int afterCheckSum = checkSum + 4;
        if (image.optionalHeader().dataDirectories().size() > DataDirectory.CERTIFICATE_TABLE) {
            int certEntry = image.dataDirectoryOffset(DataDirectory.CERTIFICATE_TABLE);
            requireOrdered(image, afterCheckSum, certEntry + DataDirectory.ENTRY_SIZE, sizeOfHeaders);
            md.update(data, afterCheckSum, certEntry - afterCheckSum);
            int afterCertEntry = certEntry + DataDirectory.ENTRY_SIZE;
            md.update(data, afterCertEntry, (int) sizeOfHeaders - afterCertEntry);
        } else {
            requireOrdered(image, afterCheckSum, afterCheckSum, sizeOfHeaders);
            md.update(data, afterCheckSum, (int) sizeOfHeaders - afterCheckSum);
        }
        long hashed = sizeOfHeaders;
        List<PeSection> byFileOffset = image.sections().stream()
                .sorted(Comparator.comparingLong(PeSection::pointerToRawData)) // List.sort is stable, as edk2's
                .toList();
        for (PeSection s : byFileOffset) {
            if (s.sizeOfRawData() == 0) {
                continue;
            }
            md.update(data, (int) s.pointerToRawData(), (int) s.sizeOfRawData());
            hashed += s.sizeOfRawData();
        }
        long certSize = image.optionalHeader().certificateTable().size();
        if (data.length > hashed) {
            if (data.length < hashed + certSize) {
                throw new MeasureException(image.inputName() + ": certificate table of " + certSize
                        + " bytes does not fit after the " + hashed + " hashed bytes of a " + data.length + "-byte file");
            }
            md.update(data, (int) hashed, (int) (data.length - certSize - hashed));
        }
        return Digest.of(algorithm, md.digest());
    }

    /** Parses {@code bytes} and returns their Authenticode digest. */
    public static Digest digest(String inputName, byte[] bytes, HashAlgorithm algorithm) throws MeasureException {
        return digest(PeImage.parse(inputName, bytes), algorithm);
    }

    private static void requireOrdered(PeImage image, int checkSumEnd, int certEntryEnd, long sizeOfHeaders)
            throws MeasureException {
        if (certEntryEnd > sizeOfHeaders || checkSumEnd > sizeOfHeaders) {
            throw new MeasureException(image.inputName() + ": SizeOfHeaders 0x" + Long.toHexString(sizeOfHeaders)
                    + " ends inside the optional header (which runs to 0x" + Integer.toHexString(certEntryEnd) + ")");
        }
    }
}
