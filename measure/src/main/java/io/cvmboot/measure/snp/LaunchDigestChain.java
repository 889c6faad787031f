package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * The SNP guest context launch digest (GCTX.LD): each SNP_LAUNCH_UPDATE page replaces LD with
 * SHA-384 of a PAGE_INFO structure that holds the old LD (SEV-SNP Firmware ABI rev 1.51, 8.17.2,
 * Table 67 "PAGE_INFO"). One method per page type; one reusable buffer, no allocation per page.
 */
public final class LaunchDigestChain {
    static final int DIGEST_LENGTH = 48;
    // PAGE_INFO field offsets (Table 67).
    static final int PAGE_INFO_LENGTH = 0x70;
    static final int OFF_DIGEST_CUR = 0x00;
    static final int OFF_CONTENTS = 0x30;
    static final int OFF_LENGTH = 0x60;
    static final int OFF_PAGE_TYPE = 0x62;
    static final int OFF_IMI_PAGE = 0x63;
    static final int OFF_GPA = 0x68;
    /**
     * KVM measures every VMSA at this GPA whatever its real location (Linux
     * arch/x86/kvm/svm/sev.c, snp_launch_update_vmsa: the RMP records the VMSA at GPA (u64)-1,
     * page-aligned); 0xFFFFFFFFF000 is the value the measured PAGE_INFO carries.
     */
    static final long VMSA_GPA = 0x0000_FFFF_FFFF_F000L;

    private final MessageDigest sha384 = HashAlgorithm.SHA384.newMessageDigest();
    private final byte[] pageInfo = new byte[PAGE_INFO_LENGTH];
    private final Consumer<PageUpdate> trace;
    private int updates;

    private LaunchDigestChain(byte[] initial, Consumer<PageUpdate> trace) {
        System.arraycopy(initial, 0, pageInfo, OFF_DIGEST_CUR, DIGEST_LENGTH);
        LittleEndian.put16(pageInfo, OFF_LENGTH, PAGE_INFO_LENGTH);
        this.trace = trace;
    }

    /** A chain starting from LD = 0 (SNP_LAUNCH_START). */
    public static LaunchDigestChain start(Consumer<PageUpdate> trace) {
        return new LaunchDigestChain(new byte[DIGEST_LENGTH], trace);
    }

    /** A chain resuming from a known LD, e.g. a precomputed firmware hash. */
    public static LaunchDigestChain resume(Digest launchDigest, Consumer<PageUpdate> trace) {
        if (launchDigest.algorithm() != HashAlgorithm.SHA384) {
            throw new IllegalArgumentException("an SNP launch digest is SHA-384, got " + launchDigest.algorithm());
        }
        return new LaunchDigestChain(launchDigest.bytes(), trace);
    }

    /** One NORMAL update per 4 KiB page of {@code data[off, off+len)}, the first at {@code gpa}. */
    public void updateNormalPages(long gpa, byte[] data, int off, int len) {
        if (len % OvmfImage.PAGE_SIZE != 0 || (gpa & 0xFFF) != 0) {
            throw new IllegalArgumentException("NORMAL pages must be whole and page-aligned: gpa=0x" + Long.toHexString(gpa)
                    + " len=" + len);
        }
        for (int p = 0; p < len; p += OvmfImage.PAGE_SIZE) {
            sha384.update(data, off + p, OvmfImage.PAGE_SIZE);
            finishContents();
            update(PageType.NORMAL, gpa + p);
        }
    }

    /** One update of {@code type} with zero CONTENTS per page of [gpa, gpa+size). */
    public void updateZeroContentPages(PageType type, long gpa, long size) {
        if (type == PageType.NORMAL || type == PageType.VMSA) {
            throw new IllegalArgumentException(type + " pages are measured with their contents");
        }
        for (long p = 0; p < size; p += OvmfImage.PAGE_SIZE) {
            java.util.Arrays.fill(pageInfo, OFF_CONTENTS, OFF_CONTENTS + DIGEST_LENGTH, (byte) 0);
            update(type, gpa + p);
        }
    }

    /** One VMSA update of a 4096-byte VMSA page. */
    public void updateVmsa(byte[] page) {
        if (page.length != OvmfImage.PAGE_SIZE) {
            throw new IllegalArgumentException("a VMSA page is 4096 bytes, got " + page.length);
        }
        sha384.update(page);
        finishContents();
        update(PageType.VMSA, VMSA_GPA);
    }

    /** One VMSA update whose page hash is already known (identical AP pages are hashed once). */
    public void updateVmsaHashed(Digest pageHash) {
        System.arraycopy(pageHash.bytes(), 0, pageInfo, OFF_CONTENTS, DIGEST_LENGTH);
        update(PageType.VMSA, VMSA_GPA);
    }

    /** The current LD. */
    public Digest digest() {
        return Digest.of(HashAlgorithm.SHA384, java.util.Arrays.copyOfRange(pageInfo, OFF_DIGEST_CUR, DIGEST_LENGTH));
    }

    public int updates() {
        return updates;
    }

    private void finishContents() {
        digestInto(OFF_CONTENTS);
    }

    private void update(PageType type, long gpa) {
        pageInfo[OFF_PAGE_TYPE] = (byte) type.code();
        pageInfo[OFF_IMI_PAGE] = 0; // not an IMI page; VMPL1-3 permissions stay 0
        LittleEndian.put64(pageInfo, OFF_GPA, gpa);
        sha384.update(pageInfo, 0, PAGE_INFO_LENGTH);
        digestInto(OFF_DIGEST_CUR);
        if (trace != null) {
            // CONTENTS is still in the buffer: only DIGEST_CUR was replaced.
            byte[] contents = java.util.Arrays.copyOfRange(pageInfo, OFF_CONTENTS, OFF_CONTENTS + DIGEST_LENGTH);
            trace.accept(new PageUpdate(updates, type, gpa, Digest.of(HashAlgorithm.SHA384, contents), digest()));
        }
        updates++;
    }

    private void digestInto(int offset) {
        try {
            sha384.digest(pageInfo, offset, DIGEST_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("a 48-byte slot always holds a SHA-384 digest", e);
        }
    }
}
