package org.reid.service.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reid.core.util.UnitVectors;
import org.reid.index.DotProducts;

/**
 * The calibration's best scores, each pair of sampled crops scored once, are those of a full scan
 * of every crop's row (the way it was computed before): the same scores, the same cameras, ties
 * resolved the same way (crops with identical vectors make ties).
 */
class BestScoresTest {
    @Test
    void eachPairScoredOnceGivesWhatAFullScanOfEveryRowGives() {
        Random random = new Random(7);
        int n = 301;
        int dim = 20;
        long[] identity = new long[n];
        int[] camera = new int[n];
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            identity[i] = random.nextInt(40);
            camera[i] = 1 + random.nextInt(4);
            if (i > 10 && random.nextInt(5) == 0) {
                vectors[i] = vectors[random.nextInt(i)].clone(); // a tie for every crop that meets both
            } else {
                vectors[i] = new float[dim];
                for (int d = 0; d < dim; d++) {
                    vectors[i][d] = (float) random.nextGaussian();
                }
            }
        }
        ThresholdCalibration.BestScores fast = ThresholdCalibration.BestScores.of(identity, camera, vectors);
        ThresholdCalibration.BestScores full = fullScan(identity, camera, vectors);
        assertArrayEquals(full.ownCross(), fast.ownCross());
        assertArrayEquals(full.ownCrossCamera(), fast.ownCrossCamera());
        assertArrayEquals(full.ownSame(), fast.ownSame());
        assertArrayEquals(full.bestOther(), fast.bestOther());
        assertArrayEquals(full.bestOtherCamera(), fast.bestOtherCamera());
    }

    /** Every crop against every other, row by row, keeping the first best: the calibration's loop before. */
    private static ThresholdCalibration.BestScores fullScan(long[] identity, int[] camera, float[][] vectors) {
        int n = vectors.length;
        int dim = vectors[0].length;
        float[][] unit = new float[n][];
        float[] block = new float[n * dim];
        for (int i = 0; i < n; i++) {
            unit[i] = UnitVectors.of(vectors[i]);
            System.arraycopy(unit[i], 0, block, i * dim, dim);
        }
        float[] ownCross = new float[n];
        float[] ownSame = new float[n];
        float[] bestOther = new float[n];
        Arrays.fill(ownCross, Float.NEGATIVE_INFINITY);
        Arrays.fill(ownSame, Float.NEGATIVE_INFINITY);
        Arrays.fill(bestOther, Float.NEGATIVE_INFINITY);
        int[] ownCrossCamera = new int[n];
        int[] bestOtherCamera = new int[n];
        float[] scores = new float[n];
        for (int q = 0; q < n; q++) {
            DotProducts.best().dotRows(unit[q], block, n, dim, scores);
            for (int j = 0; j < n; j++) {
                if (j == q) {
                    continue;
                }
                float s = scores[j];
                if (identity[j] != identity[q]) {
                    if (s > bestOther[q]) {
                        bestOther[q] = s;
                        bestOtherCamera[q] = camera[j];
                    }
                } else if (camera[j] != camera[q]) {
                    if (s > ownCross[q]) {
                        ownCross[q] = s;
                        ownCrossCamera[q] = camera[j];
                    }
                } else {
                    ownSame[q] = Math.max(ownSame[q], s);
                }
            }
        }
        return new ThresholdCalibration.BestScores(ownCross, ownCrossCamera, ownSame, bestOther, bestOtherCamera);
    }
}
