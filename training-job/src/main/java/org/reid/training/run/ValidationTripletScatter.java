package org.reid.training.run;

import java.util.List;
import org.reid.core.data.ReidImage;

/**
 * The points of the triplet scatter diagram over the whole validation split, as the paper's
 * appendix figure draws it (extreme-triplet-ephn-2nd-order.txt), computed on the host from the
 * embeddings rather than by a loss's miner (that is {@code MinedTripletScatter} in reid-core): for
 * every validation crop used as an anchor, S_ap = cosine similarity to its easiest (most similar) other
 * crop of the same identity, S_an = similarity to its hardest (most similar) crop of another
 * identity. Points under the diagonal S_an = S_ap are satisfied triplets. Embeddings are unit rows.
 */
public record ValidationTripletScatter(double[] sAp, double[] sAn) {

    public static ValidationTripletScatter of(float[][] q, List<ReidImage> query, float[][] g, List<ReidImage> gallery) {
        int n = q.length + g.length;
        float[][] all = new float[n][];
        int[] pid = new int[n];
        for (int i = 0; i < q.length; i++) {
            all[i] = q[i];
            pid[i] = query.get(i).pid();
        }
        for (int i = 0; i < g.length; i++) {
            all[q.length + i] = g[i];
            pid[q.length + i] = gallery.get(i).pid();
        }
        double[] ap = new double[n];
        double[] an = new double[n];
        int kept = 0;
        for (int a = 0; a < n; a++) {
            double bestPos = Double.NEGATIVE_INFINITY;
            double bestNeg = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j == a) {
                    continue;
                }
                double s = 0;
                for (int d = 0; d < all[a].length; d++) {
                    s += all[a][d] * all[j][d];
                }
                if (pid[j] == pid[a]) {
                    bestPos = Math.max(bestPos, s);
                } else {
                    bestNeg = Math.max(bestNeg, s);
                }
            }
            if (bestPos > Double.NEGATIVE_INFINITY && bestNeg > Double.NEGATIVE_INFINITY) {
                ap[kept] = bestPos;
                an[kept] = bestNeg;
                kept++;
            }
        }
        return new ValidationTripletScatter(java.util.Arrays.copyOf(ap, kept), java.util.Arrays.copyOf(an, kept));
    }
}
