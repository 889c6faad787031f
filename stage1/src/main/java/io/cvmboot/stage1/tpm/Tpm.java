package io.cvmboot.stage1.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The TPM 2.0 commands stage1 needs, marshalled by hand per TPM 2.0 Library Part 3 (section numbers
 * of revision 1.59) with structures from Part 2. All I/O goes through one {@link TpmTransport}.
 * Authorisation uses the password session TPM_RS_PW with empty auth, as the endorsement and owner
 * hierarchies and PCRs have on a fresh (cloud) vTPM.
 */
public final class Tpm implements AutoCloseable {
    // Part 2, Table 19 (TPM_ST).
    static final int TPM_ST_NO_SESSIONS = 0x8001;
    static final int TPM_ST_SESSIONS = 0x8002;
    static final int TPM_ST_ATTEST_QUOTE = 0x8018;
    // Part 2, Table 12 (TPM_CC).
    static final int TPM_CC_NV_READ = 0x0000014E;
    static final int TPM_CC_CREATE_PRIMARY = 0x00000131;
    static final int TPM_CC_STARTUP = 0x00000144;
    static final int TPM_CC_QUOTE = 0x00000158;
    static final int TPM_CC_FLUSH_CONTEXT = 0x00000165;
    static final int TPM_CC_NV_READ_PUBLIC = 0x00000169;
    static final int TPM_CC_READ_PUBLIC = 0x00000173;
    static final int TPM_CC_GET_CAPABILITY = 0x0000017A;
    static final int TPM_CC_PCR_READ = 0x0000017E;
    static final int TPM_CC_PCR_EXTEND = 0x00000182;
    // Part 2, Table 28 (TPM_HANDLE / TPM_RH).
    public static final int TPM_RH_OWNER = 0x40000001;
    public static final int TPM_RH_ENDORSEMENT = 0x4000000B;
    static final int TPM_RS_PW = 0x40000009;
    // Part 2, Table 23 (TPM_CAP) and Table 22 (TPM_PT).
    static final int TPM_CAP_HANDLES = 0x00000001;
    static final int TPM_CAP_PCRS = 0x00000005;
    static final int TPM_CAP_TPM_PROPERTIES = 0x00000006;
    public static final int TPM_PT_MANUFACTURER = 0x00000105;
    public static final int TPM_PT_NV_BUFFER_MAX = 0x0000012C;
    // Part 2, Table 35 (TPMA_NV): OWNERREAD bit 17, AUTHREAD bit 18.
    static final int TPMA_NV_OWNERREAD = 1 << 17;
    static final int TPMA_NV_AUTHREAD = 1 << 18;
    /** PC Client platforms have 24 PCRs; TPML_PCR_SELECTION bitmaps are 3 bytes. */
    static final int PCR_SELECT_BYTES = 3;

    private final TpmTransport transport;

    public Tpm(TpmTransport transport) {
        this.transport = Objects.requireNonNull(transport);
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }

    /** A decoded response: its handles and a reader over its parameters. */
    private record Response(int[] handles, TpmReader parameters) {}

    private Response call(String name, int commandCode, int[] handles, boolean passwordSession, byte[] parameters,
            int responseHandles) throws IOException {
        TpmWriter body = new TpmWriter();
        for (int h : handles) {
            body.u32(h);
        }
        if (passwordSession) {
            // TPMS_AUTH_COMMAND (Part 2, 10.13.2): TPM_RS_PW, empty nonce, attributes 0, empty password.
            TpmWriter auth = new TpmWriter().u32(TPM_RS_PW).tpm2b(new byte[0]).u8(0).tpm2b(new byte[0]);
            body.u32(auth.size()).bytes(auth.toByteArray());
        }
        body.bytes(parameters);
        byte[] command = new TpmWriter()
                .u16(passwordSession ? TPM_ST_SESSIONS : TPM_ST_NO_SESSIONS)
                .u32(10 + body.size())
                .u32(commandCode)
                .bytes(body.toByteArray())
                .toByteArray();
        for (int attempt = 1; ; attempt++) {
            byte[] response = transport.transmit(command);
            TpmReader r = new TpmReader(response, name + " response");
            int tag = r.u16();
            int size = r.u32();
            int rc = r.u32();
            if (size != response.length) {
                throw new IOException(name + ": response size field " + size + " but " + response.length + " bytes received");
            }
            if (rc == 0) {
                return decode(name, r, tag, responseHandles);
            }
            if (!isRetryable(rc) || attempt >= MAX_RETRIES) {
                throw new TpmResponseException(name, rc);
            }
            try {
                Thread.sleep(Math.min(100, 5L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(name + ": interrupted while the TPM asked to retry", e);
            }
        }
    }

    /** Warnings that ask the caller to send the same command again (Part 2, Table 16). */
    static boolean isRetryable(int rc) {
        return rc == 0x922 /* TPM_RC_RETRY */ || rc == 0x908 /* TPM_RC_YIELDED */ || rc == 0x90A /* TPM_RC_TESTING */;
    }

    private static final int MAX_RETRIES = 50;

    private static Response decode(String name, TpmReader r, int tag, int responseHandles) throws IOException {
        int[] outHandles = new int[responseHandles];
        for (int i = 0; i < responseHandles; i++) {
            outHandles[i] = r.u32();
        }
        if (tag == TPM_ST_SESSIONS) {
            int parameterSize = r.u32();
            return new Response(outHandles, r.slice(parameterSize, name + " parameters"));
        }
        if (tag != TPM_ST_NO_SESSIONS) {
            throw new IOException(String.format(Locale.ROOT, "%s: unexpected response tag 0x%04X", name, tag));
        }
        return new Response(outHandles, r.slice(r.remaining(), name + " parameters"));
    }

    /** TPM2_Startup(TPM_SU_CLEAR) (Part 3, 9.3): only for simulators; the kernel does it for devices. */
    public void startupClear() throws IOException {
        call("TPM2_Startup", TPM_CC_STARTUP, new int[0], false, new TpmWriter().u16(0).toByteArray(), 0);
    }

    /**
     * The allocated PCR banks (Part 3, 30.2 TPM2_GetCapability, TPM_CAP_PCRS). Banks listed with no
     * PCRs selected are not allocated and are left out. A bank with a hash stage1 does not know (e.g.
     * SM3) is an error: stage1 could not extend it, and an unextended bank would let anyone forge
     * stage1's PCR values there.
     */
    public List<PcrBank> allocatedBanks() throws IOException {
        byte[] params = new TpmWriter().u32(TPM_CAP_PCRS).u32(0).u32(16).toByteArray();
        TpmReader r = call("TPM2_GetCapability(PCRS)", TPM_CC_GET_CAPABILITY, new int[0], false, params, 0).parameters();
        r.u8(); // moreData: TPM_CAP_PCRS always fits in one answer
        if (r.u32() != TPM_CAP_PCRS) {
            throw new IOException("TPM2_GetCapability(PCRS): answer is for another capability");
        }
        List<PcrBank> banks = new ArrayList<>();
        int count = r.u32();
        for (int i = 0; i < count; i++) {
            int alg = r.u16();
            BitSet pcrs = BitSet.valueOf(r.bytes(r.u8()));
            if (pcrs.isEmpty()) {
                continue;
            }
            HashAlgorithm a;
            try {
                a = HashAlgorithm.fromTpmAlgId(alg);
            } catch (IllegalArgumentException e) {
                throw new IOException(String.format(Locale.ROOT,
                        "TPM has an allocated PCR bank with hash 0x%04X, which stage1 cannot extend", alg), e);
            }
            banks.add(new PcrBank(a, pcrs));
        }
        return banks;
    }

    /**
     * Whether an object is persisted at {@code handle} (TPM_CAP_HANDLES, Part 3, 30.2
     * TPM2_GetCapability: the TPM lists handles from the one asked for upwards). Asking is cleaner
     * than reading the object and taking TPM_RC_HANDLE for "absent".
     */
    public boolean hasPersistentObject(int handle) throws IOException {
        byte[] params = new TpmWriter().u32(TPM_CAP_HANDLES).u32(handle).u32(1).toByteArray();
        TpmReader r = call(String.format(Locale.ROOT, "TPM2_GetCapability(HANDLES, 0x%08X)", handle),
                TPM_CC_GET_CAPABILITY, new int[0], false, params, 0).parameters();
        r.u8(); // moreData: one handle asked for
        if (r.u32() != TPM_CAP_HANDLES) {
            throw new IOException("TPM2_GetCapability(HANDLES): answer is for another capability");
        }
        int count = r.u32();
        return count > 0 && r.u32() == handle;
    }

    /** One TPM property (TPM_CAP_TPM_PROPERTIES), e.g. {@link #TPM_PT_NV_BUFFER_MAX}. */
    public int property(int property) throws IOException {
        byte[] params = new TpmWriter().u32(TPM_CAP_TPM_PROPERTIES).u32(property).u32(1).toByteArray();
        TpmReader r = call("TPM2_GetCapability(TPM_PROPERTIES)", TPM_CC_GET_CAPABILITY, new int[0], false, params, 0)
                .parameters();
        r.u8();
        r.u32();
        int count = r.u32();
        for (int i = 0; i < count; i++) {
            int p = r.u32();
            int v = r.u32();
            if (p == property) {
                return v;
            }
        }
        throw new IOException(String.format(Locale.ROOT, "TPM does not report property 0x%08X", property));
    }

    private static byte[] selection(HashAlgorithm bank, BitSet pcrs) {
        byte[] bitmap = new byte[PCR_SELECT_BYTES];
        byte[] set = pcrs.toByteArray();
        System.arraycopy(set, 0, bitmap, 0, Math.min(set.length, PCR_SELECT_BYTES));
        // TPML_PCR_SELECTION (Part 2, 10.9.7) with one TPMS_PCR_SELECTION.
        return new TpmWriter().u32(1).u16(bank.tpmAlgId()).u8(PCR_SELECT_BYTES).bytes(bitmap).toByteArray();
    }

    /**
     * Reads PCRs of one bank (Part 3, 22.4 TPM2_PCR_Read). The TPM returns at most 8 digests per
     * call and says which; this loops until all asked for are read.
     */
    public Map<Integer, Digest> pcrRead(HashAlgorithm bank, BitSet pcrs) throws IOException {
        Map<Integer, Digest> values = new java.util.TreeMap<>();
        BitSet remaining = (BitSet) pcrs.clone();
        while (!remaining.isEmpty()) {
            TpmReader r = call("TPM2_PCR_Read", TPM_CC_PCR_READ, new int[0], false, selection(bank, remaining), 0)
                    .parameters();
            r.u32(); // pcrUpdateCounter
            int selections = r.u32();
            BitSet returned = new BitSet();
            for (int i = 0; i < selections; i++) {
                int alg = r.u16();
                BitSet got = BitSet.valueOf(r.bytes(r.u8()));
                if (alg == bank.tpmAlgId()) {
                    returned.or(got);
                }
            }
            int digests = r.u32();
            if (digests != returned.cardinality() || digests == 0) {
                throw new IOException("TPM2_PCR_Read " + bank.label() + ": expected digests for " + returned
                        + ", got " + digests + " (is PCR set " + remaining + " allocated?)");
            }
            for (int pcr = returned.nextSetBit(0); pcr >= 0; pcr = returned.nextSetBit(pcr + 1)) {
                byte[] d = r.tpm2b();
                if (!remaining.get(pcr)) {
                    throw new IOException("TPM2_PCR_Read returned PCR " + pcr + ", which was not asked for");
                }
                values.put(pcr, Digest.of(bank, d));
                remaining.clear(pcr);
            }
        }
        return values;
    }

    /**
     * Extends one PCR in several banks at once (Part 3, 22.2 TPM2_PCR_Extend) with a
     * TPML_DIGEST_VALUES holding one digest per bank.
     */
    public void pcrExtend(int pcr, List<Digest> digests) throws IOException {
        if (pcr < 0 || pcr > 23 || digests.isEmpty()) {
            throw new IllegalArgumentException("PCR 0..23 and at least one digest");
        }
        TpmWriter params = new TpmWriter().u32(digests.size());
        for (Digest d : digests) {
            params.u16(d.algorithm().tpmAlgId()).bytes(d.bytes());
        }
        call("TPM2_PCR_Extend(" + pcr + ")", TPM_CC_PCR_EXTEND, new int[] {pcr}, true, params.toByteArray(), 0);
    }

    /**
     * NV index public area (Part 3, 31.6 TPM2_NV_ReadPublic).
     *
     * @param attributes TPMA_NV
     * @param dataSize size of the index data
     */
    public record NvPublic(int index, int attributes, int dataSize) {}

    public NvPublic nvReadPublic(int index) throws IOException {
        TpmReader r = call(String.format(Locale.ROOT, "TPM2_NV_ReadPublic(0x%08X)", index), TPM_CC_NV_READ_PUBLIC,
                new int[] {index}, false, new byte[0], 0).parameters();
        TpmReader pub = r.slice(r.u16(), "TPMS_NV_PUBLIC");
        int nvIndex = pub.u32();
        pub.u16(); // nameAlg
        int attributes = pub.u32();
        pub.tpm2b(); // authPolicy
        int dataSize = pub.u16();
        if (nvIndex != index) {
            throw new IOException(String.format(Locale.ROOT, "TPM2_NV_ReadPublic(0x%08X) described index 0x%08X", index, nvIndex));
        }
        return new NvPublic(nvIndex, attributes, dataSize);
    }

    /**
     * Reads a whole NV index in chunks of at most {@code chunk} bytes (Part 3, 31.13 TPM2_NV_Read),
     * authorised by the index itself when it allows AUTHREAD, else by the owner hierarchy.
     */
    public byte[] nvRead(NvPublic nv, int chunk) throws IOException {
        int auth;
        if ((nv.attributes() & TPMA_NV_AUTHREAD) != 0) {
            auth = nv.index();
        } else if ((nv.attributes() & TPMA_NV_OWNERREAD) != 0) {
            auth = TPM_RH_OWNER;
        } else {
            throw new IOException(String.format(Locale.ROOT,
                    "NV index 0x%08X allows neither AUTHREAD nor OWNERREAD (attributes 0x%08X)", nv.index(), nv.attributes()));
        }
        ByteBuffer out = ByteBuffer.allocate(nv.dataSize());
        while (out.hasRemaining()) {
            int n = Math.min(chunk, out.remaining());
            byte[] params = new TpmWriter().u16(n).u16(out.position()).toByteArray();
            TpmReader r = call(String.format(Locale.ROOT, "TPM2_NV_Read(0x%08X)", nv.index()), TPM_CC_NV_READ,
                    new int[] {auth, nv.index()}, true, params, 0).parameters();
            byte[] data = r.tpm2b();
            if (data.length != n) {
                throw new IOException(String.format(Locale.ROOT, "TPM2_NV_Read(0x%08X): asked for %d bytes, got %d",
                        nv.index(), n, data.length));
            }
            out.put(data);
        }
        return out.array();
    }

    /** Creates a primary key in {@code hierarchy} (Part 3, 24.1 TPM2_CreatePrimary). */
    public CreatedKey createPrimary(int hierarchy, byte[] templatePublicArea) throws IOException {
        TpmWriter params = new TpmWriter()
                // TPM2B_SENSITIVE_CREATE: empty userAuth and data
                .u16(4).tpm2b(new byte[0]).tpm2b(new byte[0])
                .tpm2b(templatePublicArea)
                .tpm2b(new byte[0]) // outsideInfo
                .u32(0); // creationPCR: none
        Response resp = call("TPM2_CreatePrimary", TPM_CC_CREATE_PRIMARY, new int[] {hierarchy}, true,
                params.toByteArray(), 1);
        TpmReader r = resp.parameters();
        byte[] outPublic = r.tpm2b();
        r.tpm2b(); // creationData
        r.tpm2b(); // creationHash
        r.u16(); // creationTicket.tag
        r.u32(); // creationTicket.hierarchy
        r.tpm2b(); // creationTicket.digest
        byte[] name = r.tpm2b();
        return new CreatedKey(resp.handles()[0], outPublic, name);
    }

    /** Creates the attestation key of {@code template} under the endorsement hierarchy. */
    public CreatedKey createAttestationKey(AkTemplate template) throws IOException {
        return createPrimary(TPM_RH_ENDORSEMENT, template.publicArea());
    }

    /** The public area and name of a loaded or persistent object (Part 3, 12.4 TPM2_ReadPublic). */
    public CreatedKey readPublic(int handle) throws IOException {
        TpmReader r = call(String.format(Locale.ROOT, "TPM2_ReadPublic(0x%08X)", handle), TPM_CC_READ_PUBLIC,
                new int[] {handle}, false, new byte[0], 0).parameters();
        byte[] pub = r.tpm2b();
        byte[] name = r.tpm2b();
        return new CreatedKey(handle, pub, name);
    }

    /**
     * Signs PCR values (Part 3, 18.4 TPM2_Quote) with the key's own scheme.
     *
     * @param qualifyingData caller data bound into the quote, at most the key's digest size (32)
     */
    public QuoteResult quote(int signHandle, byte[] qualifyingData, HashAlgorithm bank, BitSet pcrs) throws IOException {
        if (qualifyingData.length > 32) {
            throw new IllegalArgumentException("qualifying data is at most 32 bytes for a SHA-256 key: hash the challenge");
        }
        TpmWriter params = new TpmWriter()
                .tpm2b(qualifyingData)
                .u16(AkTemplate.TPM_ALG_NULL) // inScheme: use the key's scheme
                .bytes(selection(bank, pcrs));
        TpmReader r = call("TPM2_Quote", TPM_CC_QUOTE, new int[] {signHandle}, true, params.toByteArray(), 0)
                .parameters();
        byte[] attest = r.tpm2b();
        int start = r.position();
        byte[] signature = r.bytes(r.remaining());
        if (signature.length == 0) {
            throw new IOException("TPM2_Quote: no signature after the attest structure at offset " + start);
        }
        return new QuoteResult(attest, signature);
    }

    /** Frees a transient object (Part 3, 28.4 TPM2_FlushContext; the handle is a parameter). */
    public void flush(int handle) throws IOException {
        call("TPM2_FlushContext", TPM_CC_FLUSH_CONTEXT, new int[0], false, new TpmWriter().u32(handle).toByteArray(), 0);
    }

    /** Convenience for the bank → digest shape the extend call takes. */
    public static List<Digest> digestList(Map<HashAlgorithm, Digest> byBank, List<PcrBank> banks) {
        List<Digest> list = new ArrayList<>();
        for (PcrBank b : banks) {
            Digest d = byBank.get(b.algorithm());
            if (d == null) {
                throw new IllegalArgumentException("no " + b.algorithm().label() + " digest for an allocated bank");
            }
            list.add(d);
        }
        return list;
    }
}
