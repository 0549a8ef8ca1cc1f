package org.reid.core.loss.miner;

/**
 * The triplets a loss's miner chose ({@link EphnTriplets#toHost()}), copied to the host as the
 * points of a triplet scatter diagram (Figure 1 of the extreme-triplet paper): for anchor
 * {@code i} the point {@code (positiveSimilarity[i], negativeSimilarity[i])}; points above the
 * diagonal are triplets in the wrong order. {@code kept[i]} says whether the anchor took part in
 * the loss.
 */
public record MinedTripletScatter(double[] positiveSimilarity, double[] negativeSimilarity, boolean[] kept) {

    public MinedTripletScatter {
        positiveSimilarity = positiveSimilarity.clone();
        negativeSimilarity = negativeSimilarity.clone();
        kept = kept.clone();
    }

    @Override
    public double[] positiveSimilarity() {
        return positiveSimilarity.clone();
    }

    @Override
    public double[] negativeSimilarity() {
        return negativeSimilarity.clone();
    }

    @Override
    public boolean[] kept() {
        return kept.clone();
    }

    public int size() {
        return kept.length;
    }
}
