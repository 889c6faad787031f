package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The EFI_SIGNATURE_LISTs of an authenticated variable such as db (UEFI 2.10, 32.4.1): each list
 * has SignatureType GUID, SignatureListSize u32, SignatureHeaderSize u32, SignatureSize u32, a
 * header, then entries of SignatureSize bytes (EFI_SIGNATURE_DATA: SignatureOwner GUID + data).
 */
public final class EfiSignatureList {
    static final int LIST_HEADER_SIZE = 16 + 4 + 4 + 4;
    static final int OWNER_SIZE = 16;

    private EfiSignatureList() {}

    /**
     * One EFI_SIGNATURE_DATA entry.
     *
     * @param type the SignatureType of its list (X.509, SHA-256, ...)
     * @param entry the whole EFI_SIGNATURE_DATA (owner GUID followed by the signature data): what an
     *     EV_EFI_VARIABLE_AUTHORITY event carries as VariableData
     */
    public record Entry(EfiGuid type, EfiGuid owner, byte[] entry) {
        public Entry {
            entry = entry.clone();
        }

        @Override
        public byte[] entry() {
            return entry.clone();
        }

        /** The signature data without the owner: a DER certificate, a digest, ... */
        public byte[] signatureData() {
            return Arrays.copyOfRange(entry, OWNER_SIZE, entry.length);
        }
    }

    /** Splits a variable's data into its entries, in order. */
    public static List<Entry> parse(String inputName, byte[] variableData) throws MeasureException {
        List<Entry> out = new ArrayList<>();
        LogReader r = new LogReader(inputName, variableData, 0);
        while (!r.atEnd()) {
            int start = r.position();
            EfiGuid type = EfiGuid.fromBytes(r.bytes(16, "SignatureType"), 0);
            long listSize = r.u32("SignatureListSize");
            long headerSize = r.u32("SignatureHeaderSize");
            long signatureSize = r.u32("SignatureSize");
            long body = listSize - LIST_HEADER_SIZE - headerSize;
            if (listSize < LIST_HEADER_SIZE || body < 0 || start + listSize > variableData.length
                    || signatureSize < OWNER_SIZE || body % signatureSize != 0) {
                throw new MeasureException(inputName + ": EFI_SIGNATURE_LIST at offset " + start + " is malformed"
                        + " (SignatureListSize " + listSize + ", SignatureHeaderSize " + headerSize + ", SignatureSize "
                        + signatureSize + ", " + (variableData.length - start) + " bytes left)");
            }
            r.bytes(headerSize, "SignatureHeader");
            for (long i = 0; i < body / signatureSize; i++) {
                byte[] entry = r.bytes(signatureSize, "EFI_SIGNATURE_DATA");
                out.add(new Entry(type, EfiGuid.fromBytes(entry, 0), entry));
            }
        }
        return List.copyOf(out);
    }
}
