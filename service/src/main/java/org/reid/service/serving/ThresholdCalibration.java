package org.reid.service.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.reid.core.util.UnitVectors;
import org.reid.service.config.ReidProperties;
import org.reid.service.store.EmbeddingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The "unknown" threshold, calibrated on the gallery the way the decision is made: sampled stored
 * crops act as queries against the other sampled crops; each gives a best genuine score (its own
 * identity's best crop from another camera: a re-ID query meets its identity across cameras, and
 * same-camera siblings score far higher than that) and a best impostor score (the best crop of
 * anyone else, which is what a stranger's query would meet). The threshold sits at the equal error
 * rate of the two: as many known people fall below it as strangers rise above it; or, with
 * {@code reid.search.false-match-rate} set, at the lowest score that at most that share of the
 * best-impostor scores reach (the operator's choice of how many strangers may be matched). A query
 * whose best identity scores below it is answered "unknown". A gallery whose identities are each
 * seen by one camera only falls back to same-camera genuine pairs (and says so); without two
 * identities, or without an identity of two crops, the configured
 * {@code reid.search.unknown-threshold} is used.
 */
@Component
public class ThresholdCalibration {
    /**
     * A threshold, where it came from, and the calibration samples behind it (null when it was not
     * calibrated), kept so that the calibration can be shown without computing it again.
     */
    public record Threshold(double value, String source, int impostorPairs, Scores scores) {
        public Threshold(double value, String source, int impostorPairs) {
            this(value, source, impostorPairs, null);
        }
    }

    /**
     * What a calibration measured: the best-genuine and best-impostor scores, each sorted ascending
     * (not to be modified); whether the genuine ones are cross-camera; the false match rate aimed at
     * (null: the equal error rate was); and the equal error point of the two.
     */
    public record Scores(float[] genuine, float[] impostor, boolean crossCamera, Double targetFalseMatchRate,
            OperatingPoint equalError) {}

    /** A threshold with the share of impostor scores and of genuine scores at or above it. */
    public record OperatingPoint(double threshold, double falseMatchRate, double trueAcceptRate) {}

    private static final Logger log = LoggerFactory.getLogger(ThresholdCalibration.class);
    private static final int SAMPLE = 2000;
    private static final int QUERIES = 500;

    private final EmbeddingStore embeddings;
    private final ReidProperties.Search settings;

    public ThresholdCalibration(EmbeddingStore embeddings, ReidProperties properties) {
        this.embeddings = embeddings;
        this.settings = properties.getSearch();
        Double fmr = settings.getFalseMatchRate(); // its range is checked where it is bound (ReidProperties)
        if (fmr != null && !settings.isCalibrateThreshold()) {
            log.warn("reid.search.false-match-rate={} has no effect: reid.search.calibrate-threshold=false serves the"
                    + " configured reid.search.unknown-threshold={}", fmr, settings.getUnknownThreshold());
        }
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
        String genuineKind = cross ? "cross-camera" : "same-camera: no identity is seen by two cameras";
        OperatingPoint equalError = pointAt(g, im, value);
        Double target = settings.getFalseMatchRate();
        if (target == null) {
            return new Threshold(value, String.format(Locale.ROOT,
                    "calibrated at the equal error rate %.3f of %d best-genuine (%s) and %d best-impostor scores", err,
                    g.length, genuineKind, im.length),
                    im.length, new Scores(g, im, cross, null, equalError));
        }
        OperatingPoint p = atFalseMatchRate(g, im, target);
        return new Threshold(p.threshold(), String.format(Locale.ROOT,
                "calibrated at false match rate %.4f (at most %.4f) of %d best-impostor scores, accepting %.3f of %d"
                        + " best-genuine (%s) scores", p.falseMatchRate(), target, im.length, p.trueAcceptRate(),
                g.length, genuineKind),
                im.length, new Scores(g, im, cross, target, equalError));
    }

    /**
     * The lowest threshold (on a 0.001 grid) that at most {@code target} of the sorted impostor
     * scores reach, with the shares of impostor and genuine scores at or above it. With fewer than
     * 1/target impostor scores no impostor may reach it: it then sits just above the best impostor.
     */
    public static OperatingPoint atFalseMatchRate(float[] genuine, float[] impostor, double target) {
        int n = impostor.length;
        int allowed = (int) Math.floor(target * n + 1e-9); // impostor scores that may reach the threshold
        double t;
        if (allowed >= n) {
            t = -1;
        } else {
            // every score up to the (n - allowed)-th smallest must fall below t
            t = (Math.floor(impostor[n - allowed - 1] * 1000.0) + 1) / 1000.0;
            while (n - countBelow(impostor, t) > allowed) { // guards the grid's rounding
                t = Math.round(t * 1000 + 1) / 1000.0;
            }
        }
        return pointAt(genuine, impostor, t);
    }

    /** The shares of impostor and genuine scores at or above {@code t}. */
    public static OperatingPoint pointAt(float[] genuine, float[] impostor, double t) {
        return new OperatingPoint(t, impostor.length == 0 ? 0 : 1 - fractionBelow(impostor, t),
                genuine.length == 0 ? 0 : 1 - fractionBelow(genuine, t));
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
        return (double) countBelow(sorted, t) / sorted.length;
    }

    /** How many of the sorted scores are strictly below {@code t}. */
    private static int countBelow(float[] sorted, double t) {
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
        return lo;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
