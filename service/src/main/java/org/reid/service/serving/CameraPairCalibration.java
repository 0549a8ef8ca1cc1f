package org.reid.service.serving;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.reid.service.serving.ThresholdCalibration.CameraPairThreshold;
import org.reid.service.serving.ThresholdCalibration.OperatingPoint;

/**
 * Thresholds per ordered (query camera, gallery camera) pair, from the calibration's own sampled
 * queries: a query's best genuine score is filed under (its camera, the camera of that genuine
 * crop), its best impostor score under (its camera, the camera of that impostor crop). A search's
 * verdict is made on the best entry of the identity answered first, so a pair's samples are the
 * scores that would decide a query from that camera whose best match lands on that gallery camera.
 * Lighting and viewpoint differ per pair, and so do impostor scores: one threshold for all of them
 * is too strict for some and too lax for others. A pair gets a threshold of its own, by the same
 * rule as all cameras together, only with at least the minimum samples of each kind (a threshold
 * on a handful of scores is noise); the others are listed with their counts and use the global one.
 */
final class CameraPairCalibration {
    private CameraPairCalibration() {}

    /**
     * @param queryCamera each sampled query's camera
     * @param genuine each query's best genuine score (negative infinity: none)
     * @param genuineCamera the camera of the crop that gave it
     * @param impostor each query's best impostor score (negative infinity: none)
     * @param impostorCamera the camera of the crop that gave it
     * @param targetFalseMatchRate the operator's false match rate; null: the equal error rate
     * @return every pair with a sample, by query camera then gallery camera; {@code value} is null
     *     where the pair has fewer than {@code minGenuine} genuine or {@code minImpostor} impostor scores
     */
    static List<CameraPairThreshold> calibrate(int[] queryCamera, float[] genuine, int[] genuineCamera, float[] impostor,
            int[] impostorCamera, Double targetFalseMatchRate, int minGenuine, int minImpostor) {
        Map<Pair, Samples> byPair = new TreeMap<>(Comparator.comparingInt(Pair::query).thenComparingInt(Pair::gallery));
        for (int q = 0; q < queryCamera.length; q++) {
            if (genuine[q] > Float.NEGATIVE_INFINITY) {
                byPair.computeIfAbsent(new Pair(queryCamera[q], genuineCamera[q]), k -> new Samples()).genuine.add(genuine[q]);
            }
            if (impostor[q] > Float.NEGATIVE_INFINITY) {
                byPair.computeIfAbsent(new Pair(queryCamera[q], impostorCamera[q]), k -> new Samples()).impostor.add(impostor[q]);
            }
        }
        List<CameraPairThreshold> out = new ArrayList<>();
        for (Map.Entry<Pair, Samples> e : byPair.entrySet()) {
            Pair pair = e.getKey();
            float[] g = ThresholdCalibration.sorted(e.getValue().genuine);
            float[] im = ThresholdCalibration.sorted(e.getValue().impostor);
            if (g.length < minGenuine || im.length < minImpostor) {
                out.add(new CameraPairThreshold(pair.query(), pair.gallery(), null, null, null, g.length, im.length));
                continue;
            }
            OperatingPoint p = targetFalseMatchRate == null
                    ? ThresholdCalibration.pointAt(g, im, ThresholdCalibration.equalErrorThreshold(g, im))
                    : ThresholdCalibration.atFalseMatchRate(g, im, targetFalseMatchRate);
            out.add(new CameraPairThreshold(pair.query(), pair.gallery(), p.threshold(), p.falseMatchRate(),
                    p.trueAcceptRate(), g.length, im.length));
        }
        return List.copyOf(out);
    }

    private record Pair(int query, int gallery) {}

    private static final class Samples {
        final List<Float> genuine = new ArrayList<>();
        final List<Float> impostor = new ArrayList<>();
    }
}
