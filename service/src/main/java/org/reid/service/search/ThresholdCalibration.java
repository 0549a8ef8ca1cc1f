package org.reid.service.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reid.service.config.ReidProperties;
import org.reid.service.gallery.EmbeddingStore;
import org.springframework.stereotype.Component;

/**
 * The "unknown" threshold, calibrated on the gallery the way the decision is made: sampled stored
 * crops act as queries against the other sampled crops; each gives a best genuine score (its own
 * identity's best other crop) and a best impostor score (the best crop of anyone else, which is
 * what a stranger's query would meet). The threshold sits at the equal error rate of the two: as
 * many known people fall below it as strangers rise above it. A query whose best identity scores
 * below it is answered "unknown". Without two identities or an identity with two crops, the
 * configured {@code reid.search.unknown-threshold} is used.
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
            unit[i] = SearchService.normalised(sample.get(i).vector());
        }
        List<Float> genuine = new ArrayList<>();
        List<Float> impostor = new ArrayList<>();
        int queries = Math.min(unit.length, QUERIES);
        for (int q = 0; q < queries; q++) {
            float bestOwn = Float.NEGATIVE_INFINITY;
            float bestOther = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < unit.length; j++) {
                if (j == q) {
                    continue;
                }
                float s = dot(unit[q], unit[j]);
                if (sample.get(j).identityId() == sample.get(q).identityId()) {
                    bestOwn = Math.max(bestOwn, s);
                } else {
                    bestOther = Math.max(bestOther, s);
                }
            }
            if (bestOwn > Float.NEGATIVE_INFINITY) {
                genuine.add(bestOwn);
            }
            if (bestOther > Float.NEGATIVE_INFINITY) {
                impostor.add(bestOther);
            }
        }
        float[] g = sorted(genuine);
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
                "calibrated at the equal error rate %.3f of %d best-genuine and %d best-impostor scores", err, g.length, im.length),
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
