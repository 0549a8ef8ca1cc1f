package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * One mined triplet per anchor, on the device: anchor-positive similarity {@code S_ap} {@code [B]},
 * anchor-negative similarity {@code S_an} {@code [B]} (both differentiable) and {@code kept}
 * {@code [B]}, 1 for anchors that take part in the loss and 0 for those left out.
 */
public record EphnTriplets(NDArray positive, NDArray negative, NDArray kept) {

    /** Copies the triplets to the host, for the triplet scatter diagram. */
    public MinedTripletScatter toHost() {
        double[] sap = positive.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        double[] san = negative.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        double[] k = kept.toType(DataType.FLOAT64, false).toDoubleArray();
        boolean[] keptHost = new boolean[k.length];
        for (int i = 0; i < k.length; i++) {
            keptHost[i] = k[i] > 0;
        }
        return new MinedTripletScatter(sap, san, keptHost);
    }
}
