package org.reid.core.loss;

import java.util.Arrays;

/**
 * The two maximum-value perfect matchings of one {@link MvpMatchingLoss} step, on the host, for
 * plots, logs and tests. Row {@code i} of the batch was matched to column
 * {@code positivePartner[i]} in the positive graph and to {@code negativePartner[i]} in the
 * negative graph; a sample matched to itself in the positive graph has no other sample of its
 * identity in the batch (or self-matches were allowed and chosen). The two parts of the loss are
 * the means of the matched edge weights: {@code loss = positiveLoss + negativeLoss}.
 *
 * @param positivePartner column matched to each row in the positive graph
 * @param negativePartner column matched to each row in the negative graph
 * @param positiveLoss L+ = mean over the batch of the matched positive edge weights
 * @param negativeLoss L- = mean over the batch of the matched negative edge weights
 */
public record MvpMatching(int[] positivePartner, int[] negativePartner, double positiveLoss, double negativeLoss) {

    public MvpMatching {
        positivePartner = positivePartner.clone();
        negativePartner = negativePartner.clone();
    }

    @Override
    public int[] positivePartner() {
        return positivePartner.clone();
    }

    @Override
    public int[] negativePartner() {
        return negativePartner.clone();
    }

    /** L+ + L-, the value the loss returned for that step. */
    public double loss() {
        return positiveLoss + negativeLoss;
    }

    @Override
    public String toString() {
        return "MvpMatching{positive=" + Arrays.toString(positivePartner) + ", negative="
                + Arrays.toString(negativePartner) + ", L+=" + positiveLoss + ", L-=" + negativeLoss + "}";
    }
}
