package org.reid.service.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reid.core.util.UnitVectors;
import org.reid.service.config.ReidProperties;
import org.reid.service.store.EmbeddingStore;
import org.springframework.stereotype.Component;

/**
 * The "unknown" threshold, calibrated on the gallery the way the decision is made: sampled stored
 * crops act as queries against the other sampled crops; each gives a best genuine score (its own
 * identity's best crop from another camera: a re-ID query meets its identity across cameras, and
 * same-camera siblings score far higher than that) and a best impostor score (the best crop of
 * anyone else, which is what a stranger's query would meet). The threshold sits at the equal error
 * rate of the two: as many known people fall below it as strangers rise above it. A query whose
 * best identity scores below it is answered "unknown". A gallery whose identities are each seen by
 * one camera only falls back to same-camera genuine pairs (and says so); without two identities, or
 * without an identity of two crops, the configured {@code reid.search.unknown-threshold} is used.
 */
@Component
public class ThresholdCalibration {
    /** A threshold and where it came from. */
    public record Threshold(double value, String source, int impostorPairs) {}

    private static final int SAMPLE = 2000;
    private static final int QUERIES = 500;

    private final EmbeddingStore embeddings;
    private final ReidProperties.Search settings;

    public ThresholdCalibration(EmbeddingStore embeddings, ReidProperties properties) {
        this.embeddings = embeddings;
        this.settings = properties.getSearch();
    }

    public Threshold calibrate(long modelVersionId) {
        if (!settings.isCalibrateThreshold()) {
            return new Threshold(settings.getUnknownThreshold(), "configured", 0);
        }
        List<EmbeddingStore.Sampled> sample = embeddings.sample(modelVersionId, SAMPLE);
        long identities = sample.stream().mapToLong(EmbeddingStore.Sampled::identityId).distinct().count();
        if (identities < 2) {
            return new Threshold(settings.getUnknownThreshold(), "configured (gallery too small to calibrate)", 0);
        }
        float[][] unit = new float[sample.size()][];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = UnitVectors.of(sample.get(i).vector());
        }
        List<Float> crossCamera = new ArrayList<>();
        List<Float> sameCamera = new ArrayList<>();
        List<Float> impostor = new ArrayList<>();
        int queries = Math.min(unit.length, QUERIES);
        for (int q = 0; q < queries; q++) {
            float bestOwnOtherCamera = Float.NEGATIVE_INFINITY;
            float bestOwnSameCamera = Float.NEGATIVE_INFINITY;
            float bestOther = Float.NEGATIVE_INFINITY;
            EmbeddingStore.Sampled query = sample.get(q);
            for (int j = 0; j < unit.length; j++) {
                if (j == q) {
                    continue;
                }
                float s = dot(unit[q], unit[j]);
                EmbeddingStore.Sampled other = sample.get(j);
                if (other.identityId() != query.identityId()) {
                    bestOther = Math.max(bestOther, s);
                } else if (other.cameraId() != query.cameraId()) {
                    bestOwnOtherCamera = Math.max(bestOwnOtherCamera, s);
                } else {
                    bestOwnSameCamera = Math.max(bestOwnSameCamera, s);
                }
            }
            if (bestOwnOtherCamera > Float.NEGATIVE_INFINITY) {
                crossCamera.add(bestOwnOtherCamera);
            }
            if (bestOwnSameCamera > Float.NEGATIVE_INFINITY) {
                sameCamera.add(bestOwnSameCamera);
            }
            if (bestOther > Float.NEGATIVE_INFINITY) {
                impostor.add(bestOther);
            }
        }
        boolean cross = !crossCamera.isEmpty();
        if (!cross && sameCamera.isEmpty()) {
            return new Threshold(settings.getUnknownThreshold(), "configured (no identity has two crops to calibrate on)", 0);
        }
        float[] g = sorted(cross ? crossCamera : sameCamera);
        float[] im = sorted(impostor);
        // scan candidate thresholds: FRR(t) = genuine below t rises, FAR(t) = impostors at or above t falls
        double best = 0;
        double bestGap = Double.MAX_VALUE;
        for (int step = 0; step <= 1000; step++) {
            double t = -1 + step * 0.002;
            double frr = fractionBelow(g, t);
            double far = 1 - fractionBelow(im, t);
            if (Math.abs(frr - far) < bestGap) {
                bestGap = Math.abs(frr - far);
                best = t;
            }
        }
        double value = Math.round(best * 1000) / 1000.0;
        double err = (fractionBelow(g, best) + 1 - fractionBelow(im, best)) / 2;
        return new Threshold(value, String.format(java.util.Locale.ROOT,
                "calibrated at the equal error rate %.3f of %d best-genuine (%s) and %d best-impostor scores", err, g.length,
                cross ? "cross-camera" : "same-camera: no identity is seen by two cameras", im.length),
                im.length);
    }

    private static float[] sorted(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        Arrays.sort(a);
        return a;
    }

    /** Share of the sorted scores strictly below {@code t}. */
    private static double fractionBelow(float[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / sorted.length;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
