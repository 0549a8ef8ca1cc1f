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
 * @param positiveEdges matched positive edges between two samples (self-matches of singletons not counted)
 * @param positiveActive of those, the ones with weight > 0 (farther apart than alpha)
 * @param negativeActive matched negative edges with weight > 0 (closer than alpha + epsilon), out of
 *     {@code negativePartner.length}
 * @param negativePairs ordered pairs of the batch with different identities, matched or not
 * @param negativePairsInside of those, the ones closer than alpha + epsilon
 */
public record MvpMatching(int[] positivePartner, int[] negativePartner, double positiveLoss, double negativeLoss,
        int positiveEdges, int positiveActive, int negativeActive, int negativePairs, int negativePairsInside) {

    public MvpMatching {
        positivePartner = positivePartner.clone();
        negativePartner = negativePartner.clone();
        if (positiveActive < 0 || positiveActive > positiveEdges || positiveEdges > positivePartner.length
                || negativeActive < 0 || negativeActive > negativePartner.length
                || negativePairsInside < 0 || negativePairsInside > negativePairs) {
            throw new IllegalArgumentException("active edge counts out of range: positive " + positiveActive + " of "
                    + positiveEdges + ", negative " + negativeActive + " of " + negativePartner.length);
        }
    }

    /**
     * Share of matched positive edges still inside the margin (weight > 0); 0 when the batch has no
     * positive pair. Near 1 for every step means alpha sits below nearly every positive distance.
     */
    public double positiveActiveFraction() {
        return positiveEdges == 0 ? 0 : (double) positiveActive / positiveEdges;
    }

    /**
     * Share of all negative pairs of the batch (not only the matched ones) inside the margin
     * alpha + epsilon; near 1 means the margin is beyond even the farthest pairs.
     */
    public double negativePairsInsideFraction() {
        return negativePairs == 0 ? 0 : (double) negativePairsInside / negativePairs;
    }

    /** Share of matched negative edges inside the margin alpha + epsilon (weight > 0). */
    public double negativeActiveFraction() {
        return negativePartner.length == 0 ? 0 : (double) negativeActive / negativePartner.length;
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
                + Arrays.toString(negativePartner) + ", L+=" + positiveLoss + ", L-=" + negativeLoss
                + ", active positive " + positiveActive + "/" + positiveEdges + ", active negative " + negativeActive + "/" + negativePartner.length + "}";
    }
}
