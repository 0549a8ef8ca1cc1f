package org.reid.service.models;

import java.util.ArrayList;
import java.util.List;
import org.reid.service.config.ReidProperties;
import org.reid.service.serving.ServingModel;
import org.reid.service.serving.ThresholdCalibration;

/**
 * {@code GET /api/v1/models/active/calibration}: how the serving model's "unknown" threshold was
 * chosen, from the samples its last calibration kept: the method, the threshold and its measured
 * rates, the equal error point, the true accept rate at a few false match rates, histograms and the
 * sorted scores themselves, the thresholds of multi-crop queries, and those of camera pairs (every
 * pair sampled, with its sample counts; a threshold only where it reaches the minimums, which are
 * listed). Without a calibration (switched off, or the gallery too small) only the configured
 * threshold and why.
 */
public record CalibrationView(ModelRef model, String method, Double targetFalseMatchRate, double threshold,
        String source, String genuinePairs, int genuineSamples, int impostorSamples, Double falseMatchRate,
        Double trueAcceptRate, Point equalError, List<Point> operatingPoints, Histogram histogram,
        float[] genuineScores, float[] impostorScores, List<ThresholdCalibration.FusedThreshold> multiCropThresholds,
        List<ThresholdCalibration.CameraPairThreshold> cameraPairThresholds, CameraPairMinimums cameraPairMinimums) {

    /** False match rates the answer reports the true accept rate at. */
    static final double[] REPORTED_RATES = {0.001, 0.01, 0.05, 0.1};
    static final double HISTOGRAM_FROM = -1;
    static final double HISTOGRAM_TO = 1;
    static final int HISTOGRAM_BINS = 100;

    public record ModelRef(long id, String name, String version) {}

    /** Samples a camera pair needs for a threshold of its own ({@code reid.search.camera-pair-min-*}). */
    public record CameraPairMinimums(int genuineSamples, int impostorSamples) {}

    /**
     * A threshold with the measured shares of impostor and genuine scores at or above it; for a
     * target rate, {@code measurable} says whether the impostor sample is large enough for one
     * impostor to be allowed (impostorSamples x target >= 1): otherwise the threshold merely sits
     * above every sampled impostor.
     */
    public record Point(Double targetFalseMatchRate, double threshold, double falseMatchRate, double trueAcceptRate,
            Boolean measurable) {}

    /** Counts per bin of width {@code binWidth} from {@code from} (the last bin includes {@code to}). */
    public record Histogram(double from, double to, double binWidth, int[] genuine, int[] impostor) {}

    /** The view of a serving model's calibration, under {@code settings} (its fallback threshold, the pair minimums). */
    static CalibrationView of(ServingModel m, ReidProperties.Search settings) {
        ModelRef ref = new ModelRef(m.id(), m.registered().name(), m.registered().version());
        CameraPairMinimums minimums = new CameraPairMinimums(settings.getCameraPairMinGenuine(),
                settings.getCameraPairMinImpostor());
        ThresholdCalibration.Threshold t = m.threshold();
        if (t == null) {
            return new CalibrationView(ref, "configured", null, settings.getUnknownThreshold(),
                    "configured (not calibrated yet)", null, 0, 0, null, null, null, List.of(), null, new float[0],
                    new float[0], List.of(), List.of(), minimums);
        }
        ThresholdCalibration.Scores s = t.scores();
        if (s == null) {
            return new CalibrationView(ref, "configured", null, t.value(), t.source(), null, 0, 0, null, null, null,
                    List.of(), null, new float[0], new float[0], List.of(), List.of(), minimums);
        }
        float[] g = s.genuine();
        float[] im = s.impostor();
        ThresholdCalibration.OperatingPoint chosen = ThresholdCalibration.pointAt(g, im, t.value());
        List<Point> points = new ArrayList<>();
        for (double rate : REPORTED_RATES) {
            points.add(point(rate, ThresholdCalibration.atFalseMatchRate(g, im, rate), im.length));
        }
        ThresholdCalibration.OperatingPoint eer = s.equalError();
        return new CalibrationView(ref, s.targetFalseMatchRate() == null ? "equal-error-rate" : "false-match-rate",
                s.targetFalseMatchRate(), t.value(), t.source(), s.crossCamera() ? "cross-camera" : "same-camera",
                g.length, im.length, chosen.falseMatchRate(), chosen.trueAcceptRate(),
                new Point(null, eer.threshold(), eer.falseMatchRate(), eer.trueAcceptRate(), null), points,
                new Histogram(HISTOGRAM_FROM, HISTOGRAM_TO, (HISTOGRAM_TO - HISTOGRAM_FROM) / HISTOGRAM_BINS, bins(g),
                        bins(im)),
                g.clone(), im.clone(), t.fused(), t.cameraPairs(), minimums);
    }

    private static Point point(double target, ThresholdCalibration.OperatingPoint p, int impostors) {
        return new Point(target, p.threshold(), p.falseMatchRate(), p.trueAcceptRate(), impostors * target >= 1 - 1e-9);
    }

    private static int[] bins(float[] scores) {
        int[] counts = new int[HISTOGRAM_BINS];
        double width = (HISTOGRAM_TO - HISTOGRAM_FROM) / HISTOGRAM_BINS;
        for (float v : scores) {
            int b = (int) Math.floor((v - HISTOGRAM_FROM) / width);
            counts[Math.max(0, Math.min(HISTOGRAM_BINS - 1, b))]++;
        }
        return counts;
    }
}
