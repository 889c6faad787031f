package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import java.util.Objects;

/**
 * One step of the SNP launch digest chain, for traces: the PAGE_INFO fields that vary and the
 * launch digest after the step.
 *
 * @param index position in the chain, from 0
 * @param contents the PAGE_INFO CONTENTS field (SHA-384 of the page, or zeros)
 * @param launchDigest GCTX.LD after this update
 */
public record PageUpdate(int index, PageType type, long gpa, Digest contents, Digest launchDigest) {
    public PageUpdate {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(contents, "contents");
        Objects.requireNonNull(launchDigest, "launchDigest");
    }
}
