package org.reid.service.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.reid.core.util.UnitVectors;
import org.reid.index.DotProducts;
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
 * {@code reid.search.unknown-threshold} is used. Queries of several crops and camera pairs with
 * enough samples get thresholds of their own, by the same rule ({@link CameraPairCalibration}).
 */
@Component
public class ThresholdCalibration {
    /**
     * A threshold, where it came from, and the calibration samples behind it (null when it was not
     * calibrated), kept so that the calibration can be shown without computing it again; with the
     * thresholds of multi-crop queries and of camera pairs (every pair sampled, calibrated or not).
     */
    public record Threshold(double value, String source, int impostorPairs, Scores scores, List<FusedThreshold> fused,
            List<CameraPairThreshold> cameraPairs) {
        public Threshold(double value, String source, int impostorPairs) {
            this(value, source, impostorPairs, null, List.of(), List.of());
        }

        public Threshold(double value, String source, int impostorPairs, Scores scores, List<FusedThreshold> fused) {
            this(value, source, impostorPairs, scores, fused, List.of());
        }

        /** The threshold a query of {@code crops} crops is decided on, whatever its camera. */
        public double forCrops(int crops) {
            return forQuery(crops, null, null).value();
        }

        /**
         * The threshold a query is decided on, and which one it is. Several crops: its crop count's
         * own calibrated one, or that of the most crops calibrated below it (the gallery had too few
         * crops per identity to calibrate more). One crop from {@code queryCamera} whose answer's best
         * entry is on {@code galleryCamera}: that pair's, where it has enough samples. Otherwise the
         * threshold of all cameras (one crop).
         */
        public Applied forQuery(int crops, Integer queryCamera, Integer galleryCamera) {
            if (crops > 1) {
                FusedThreshold chosen = null;
                for (FusedThreshold f : fused) {
                    if (f.crops() <= crops) {
                        chosen = f;
                    }
                }
                if (chosen != null) {
                    return new Applied(chosen.value(), chosen.crops() + " crops");
                }
            } else if (queryCamera != null && galleryCamera != null) {
                for (CameraPairThreshold p : cameraPairs) {
                    if (p.value() != null && p.queryCamera() == queryCamera && p.galleryCamera() == galleryCamera) {
                        return new Applied(p.value(), "camera pair " + queryCamera + "->" + galleryCamera);
                    }
                }
            }
            return new Applied(value, scores == null ? "configured" : "all cameras");
        }
    }

    /** A threshold applied to a query and its scope: "all cameras", "2 crops", "camera pair 2->5" or "configured". */
    public record Applied(double value, String scope) {}

    /**
     * The threshold of single-crop queries from {@code queryCamera} whose best match is on
     * {@code galleryCamera}, with its measured rates; {@code value} and the rates are null when the
     * pair has fewer samples than the minimums (its queries use the threshold of all cameras).
     */
    public record CameraPairThreshold(int queryCamera, int galleryCamera, Double value, Double falseMatchRate,
            Double trueAcceptRate, int genuineSamples, int impostorSamples) {}

    /**
     * The threshold of queries of {@code crops} crops, fused by their best score: a person's score
     * never falls when a crop is added, but a stranger's k crops get k chances to score high, so the
     * same false match rate (or equal error) needs a threshold of its own; with its measured rates
     * and how many fused impostor and genuine scores it was chosen on.
     */
    public record FusedThreshold(int crops, double value, double falseMatchRate, double trueAcceptRate,
            int impostorSamples, int genuineSamples) {}

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
    /**
     * Sampled crops; every one acts as a query against the others. (500 queries, before camera
     * pairs, spread over the 16 (query, gallery) camera pairs of 4 cameras left about 30 impostor
     * scores a pair, never the minimum.) Runs at the end of every ingestion batch.
     */
    private static final int SAMPLE = 2000;
    private static final DotProducts DOTS = DotProducts.best();
    /** Fused impostor scores needed to calibrate a k-crop threshold. */
    static final int MIN_FUSED_SAMPLES = 20;

    private final EmbeddingStore embeddings;
    private final ReidProperties.Search settings;
    private final int maxQueryCrops;

    public ThresholdCalibration(EmbeddingStore embeddings, ReidProperties properties) {
        this.embeddings = embeddings;
        this.settings = properties.getSearch();
        this.maxQueryCrops = properties.getLimits().getMaxQueryImages();
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
        int n = sample.size();
        long[] identity = new long[n];
        int[] queryCamera = new int[n];
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            identity[i] = sample.get(i).identityId();
            queryCamera[i] = sample.get(i).cameraId();
            vectors[i] = sample.get(i).vector();
        }
        BestScores best = BestScores.of(identity, queryCamera, vectors);
        float[] ownCross = best.ownCross();
        float[] ownSame = best.ownSame();
        float[] bestOthers = best.bestOther();
        int[] ownCrossCamera = best.ownCrossCamera();
        int[] bestOtherCamera = best.bestOtherCamera();
        List<Float> crossCamera = new ArrayList<>();
        List<Float> sameCamera = new ArrayList<>();
        List<Float> impostor = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            if (ownCross[q] > Float.NEGATIVE_INFINITY) {
                crossCamera.add(ownCross[q]);
            }
            if (ownSame[q] > Float.NEGATIVE_INFINITY) {
                sameCamera.add(ownSame[q]);
            }
            if (bestOthers[q] > Float.NEGATIVE_INFINITY) {
                impostor.add(bestOthers[q]);
            }
        }
        boolean cross = !crossCamera.isEmpty();
        if (!cross && sameCamera.isEmpty()) {
            return new Threshold(settings.getUnknownThreshold(), "configured (no identity has two crops to calibrate on)", 0);
        }
        float[] g = sorted(cross ? crossCamera : sameCamera);
        float[] im = sorted(impostor);
        double value = equalErrorThreshold(g, im);
        double err = (fractionBelow(g, value) + 1 - fractionBelow(im, value)) / 2;
        String genuineKind = cross ? "cross-camera" : "same-camera: no identity is seen by two cameras";
        OperatingPoint equalError = pointAt(g, im, value);
        Double target = settings.getFalseMatchRate();
        List<FusedThreshold> fused = fusedThresholds(identity, cross ? ownCross : ownSame, bestOthers,
                maxQueryCrops, target);
        // same-camera genuine crops (the fallback) share the query's camera
        List<CameraPairThreshold> pairs = CameraPairCalibration.calibrate(queryCamera, cross ? ownCross : ownSame,
                cross ? ownCrossCamera : queryCamera, bestOthers, bestOtherCamera, target,
                settings.getCameraPairMinGenuine(), settings.getCameraPairMinImpostor());
        log.info("camera pairs: {} of {} sampled have a threshold of their own (at least {} genuine and {} impostor"
                + " scores each; the others use the threshold of all cameras)",
                pairs.stream().filter(p -> p.value() != null).count(), pairs.size(),
                settings.getCameraPairMinGenuine(), settings.getCameraPairMinImpostor());
        if (target == null) {
            return new Threshold(value, String.format(Locale.ROOT,
                    "calibrated at the equal error rate %.3f of %d best-genuine (%s) and %d best-impostor scores", err,
                    g.length, genuineKind, im.length),
                    im.length, new Scores(g, im, cross, null, equalError), fused, pairs);
        }
        OperatingPoint p = atFalseMatchRate(g, im, target);
        return new Threshold(p.threshold(), String.format(Locale.ROOT,
                "calibrated at false match rate %.4f (at most %.4f) of %d best-impostor scores, accepting %.3f of %d"
                        + " best-genuine (%s) scores", p.falseMatchRate(), target, im.length, p.trueAcceptRate(),
                g.length, genuineKind),
                im.length, new Scores(g, im, cross, target, equalError), fused, pairs);
    }

    /**
     * Thresholds for queries of 2..{@code maxCrops} crops, on simulated multi-crop queries: the
     * sampled queries of one identity, taken k at a time (windows that do not overlap), score as a
     * k-crop query fused by its best score would: the best of their best-genuine scores and the best
     * of their best-impostor scores. Each k is decided by the same rule as one crop (the equal error
     * rate, or {@code targetFalseMatchRate}); k stops where fewer than {@link #MIN_FUSED_SAMPLES}
     * windows remain. A query's missing genuine score is negative infinity.
     */
    static List<FusedThreshold> fusedThresholds(long[] identityOf, float[] genuine, float[] impostor, int maxCrops,
            Double targetFalseMatchRate) {
        java.util.Map<Long, List<Integer>> byIdentity = new java.util.LinkedHashMap<>();
        for (int q = 0; q < identityOf.length; q++) {
            byIdentity.computeIfAbsent(identityOf[q], k -> new ArrayList<>()).add(q);
        }
        List<FusedThreshold> out = new ArrayList<>();
        for (int k = 2; k <= maxCrops; k++) {
            List<Float> g = new ArrayList<>();
            List<Float> im = new ArrayList<>();
            for (List<Integer> queries : byIdentity.values()) {
                for (int from = 0; from + k <= queries.size(); from += k) {
                    float bestGenuine = Float.NEGATIVE_INFINITY;
                    float bestImpostor = Float.NEGATIVE_INFINITY;
                    for (int q : queries.subList(from, from + k)) {
                        bestGenuine = Math.max(bestGenuine, genuine[q]);
                        bestImpostor = Math.max(bestImpostor, impostor[q]);
                    }
                    if (bestGenuine > Float.NEGATIVE_INFINITY) {
                        g.add(bestGenuine);
                    }
                    if (bestImpostor > Float.NEGATIVE_INFINITY) {
                        im.add(bestImpostor);
                    }
                }
            }
            if (im.size() < MIN_FUSED_SAMPLES || g.isEmpty()) {
                break;
            }
            float[] gs = sorted(g);
            float[] ims = sorted(im);
            OperatingPoint p = targetFalseMatchRate == null ? pointAt(gs, ims, equalErrorThreshold(gs, ims))
                    : atFalseMatchRate(gs, ims, targetFalseMatchRate);
            out.add(new FusedThreshold(k, p.threshold(), p.falseMatchRate(), p.trueAcceptRate(), ims.length, gs.length));
        }
        return List.copyOf(out);
    }

    /** The threshold (on a 0.001 grid) where as many genuine scores fall below it as impostor scores reach it. */
    static double equalErrorThreshold(float[] genuine, float[] impostor) {
        // scan candidate thresholds: FRR(t) = genuine below t rises, FAR(t) = impostors at or above t falls
        double best = 0;
        double bestGap = Double.MAX_VALUE;
        for (int step = 0; step <= 1000; step++) {
            double t = -1 + step * 0.002;
            double frr = fractionBelow(genuine, t);
            double far = 1 - fractionBelow(impostor, t);
            if (Math.abs(frr - far) < bestGap) {
                bestGap = Math.abs(frr - far);
                best = t;
            }
        }
        return Math.round(best * 1000) / 1000.0;
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

    static float[] sorted(List<Float> l) {
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

    /**
     * Each sampled crop's best scores as a query against the others: its own identity's best crop
     * from another camera ({@code ownCross}, with that crop's camera), from its own camera
     * ({@code ownSame}), and anyone else's best crop ({@code bestOther}, with its camera); negative
     * infinity where there is none, a camera of 0 with it. A tie keeps the first crop in sample order.
     */
    record BestScores(float[] ownCross, int[] ownCrossCamera, float[] ownSame, float[] bestOther, int[] bestOtherCamera) {
        static BestScores of(long[] identity, int[] camera, float[][] vectors) {
            int n = vectors.length;
            // unit vectors in one row-major block, for the index's (SIMD) kernel
            int dim = vectors[0].length;
            float[][] unit = new float[n][];
            float[] block = new float[n * dim];
            for (int i = 0; i < n; i++) {
                unit[i] = UnitVectors.of(vectors[i]);
                System.arraycopy(unit[i], 0, block, i * dim, dim);
            }
            BestScores b = new BestScores(new float[n], new int[n], new float[n], new float[n], new int[n]);
            java.util.Arrays.fill(b.ownCross, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(b.ownSame, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(b.bestOther, Float.NEGATIVE_INFINITY);
            float[] scores = new float[n];
            // Each pair once, for both of its crops: a . b equals b . a (the same products summed in
            // the same order), so the other half of the matrix would only repeat it. Crop q meets the
            // crops before it in its own row and those after it in theirs, both in ascending order: a
            // tie keeps the first best, as a scan of q's full row does.
            for (int q = 1; q < n; q++) {
                DOTS.dotRows(unit[q], block, q, dim, scores);
                for (int j = 0; j < q; j++) {
                    float s = scores[j];
                    if (identity[j] != identity[q]) {
                        b.meet(b.bestOther, b.bestOtherCamera, q, s, camera[j]);
                        b.meet(b.bestOther, b.bestOtherCamera, j, s, camera[q]);
                    } else if (camera[j] != camera[q]) {
                        b.meet(b.ownCross, b.ownCrossCamera, q, s, camera[j]);
                        b.meet(b.ownCross, b.ownCrossCamera, j, s, camera[q]);
                    } else {
                        b.ownSame[q] = Math.max(b.ownSame[q], s);
                        b.ownSame[j] = Math.max(b.ownSame[j], s);
                    }
                }
            }
            return b;
        }

        private void meet(float[] best, int[] bestCamera, int crop, float score, int otherCamera) {
            if (score > best[crop]) {
                best[crop] = score;
                bestCamera[crop] = otherCamera;
            }
        }
    }
}
