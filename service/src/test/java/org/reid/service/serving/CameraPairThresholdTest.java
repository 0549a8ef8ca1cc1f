package org.reid.service.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reid.service.serving.ThresholdCalibration.CameraPairThreshold;

/**
 * Thresholds per (query camera, gallery camera) pair on synthetic calibration samples: queries from
 * camera 1 meet strangers on camera 3 who look far more alike (a harder pair) than those on
 * camera 2, so each pair's threshold moves away from the global one, each by the global rule;
 * a pair under the minimum sample counts gets none; and a single-crop query is decided on its
 * pair's threshold only where there is one.
 */
class CameraPairThresholdTest {
    private static final int MIN_GENUINE = 50;
    private static final int MIN_IMPOSTOR = 100;

    /** Sampled queries: each one's camera, best genuine score and its camera, best impostor score and its camera. */
    private static final class Samples {
        final List<int[]> cameras = new ArrayList<>(); // {query, genuine, impostor}
        final List<float[]> scores = new ArrayList<>(); // {genuine, impostor}

        void add(int n, int queryCamera, int galleryCamera, Random r, float genuineFrom, float genuineTo, float impostorFrom,
                float impostorTo) {
            for (int i = 0; i < n; i++) {
                cameras.add(new int[] {queryCamera, galleryCamera, galleryCamera});
                scores.add(new float[] {between(r, genuineFrom, genuineTo), between(r, impostorFrom, impostorTo)});
            }
        }

        /** Queries whose best genuine match is missing (a query with no other-camera crop of its identity). */
        void addImpostorOnly(int n, int queryCamera, int galleryCamera, Random r, float from, float to) {
            for (int i = 0; i < n; i++) {
                cameras.add(new int[] {queryCamera, 0, galleryCamera});
                scores.add(new float[] {Float.NEGATIVE_INFINITY, between(r, from, to)});
            }
        }

        int[] column(int c) {
            return cameras.stream().mapToInt(a -> a[c]).toArray();
        }

        float[] scores(int c) {
            float[] out = new float[scores.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = scores.get(i)[c];
            }
            return out;
        }

        List<CameraPairThreshold> calibrate(Double target, int minGenuine, int minImpostor) {
            return CameraPairCalibration.calibrate(column(0), scores(0), column(1), scores(1), column(2), target, minGenuine,
                    minImpostor);
        }

        /** The global threshold of the same samples, by the same rule. */
        double global(Double target) {
            float[] g = finite(scores(0));
            float[] im = finite(scores(1));
            return target == null ? ThresholdCalibration.equalErrorThreshold(g, im)
                    : ThresholdCalibration.atFalseMatchRate(g, im, target).threshold();
        }

        private static float between(Random r, float from, float to) {
            return from + (to - from) * r.nextFloat();
        }

        /** The finite scores, sorted. */
        private static float[] finite(float[] a) {
            float[] out = new float[a.length];
            int n = 0;
            for (float v : a) {
                if (v > Float.NEGATIVE_INFINITY) {
                    out[n++] = v;
                }
            }
            out = Arrays.copyOf(out, n);
            Arrays.sort(out);
            return out;
        }
    }

    /** Camera 1 -> 2: strangers score low; 1 -> 3: strangers score high (a hard pair); 2 -> 1: a few samples only. */
    private static Samples cameras() {
        Random r = new Random(7);
        Samples s = new Samples();
        s.add(120, 1, 2, r, 0.6f, 0.9f, 0.0f, 0.5f);
        s.add(120, 1, 3, r, 0.6f, 0.9f, 0.4f, 0.9f);
        s.add(10, 2, 1, r, 0.6f, 0.9f, 0.0f, 0.5f);
        s.addImpostorOnly(10, 2, 1, r, 0.0f, 0.5f);
        return s;
    }

    @Test
    void aHarderPairGetsAHigherThresholdThanTheGlobalOneAndAnEasierPairALowerOne() {
        for (Double target : new Double[] {null, 0.01}) {
            Samples s = cameras();
            double global = s.global(target);
            List<CameraPairThreshold> pairs = s.calibrate(target, MIN_GENUINE, MIN_IMPOSTOR);
            CameraPairThreshold easy = pair(pairs, 1, 2);
            CameraPairThreshold hard = pair(pairs, 1, 3);
            System.out.printf("rule %s: global %.3f, camera pair 1->2 %.3f, 1->3 %.3f%n", target == null ? "EER" : "FMR " + target,
                    global, easy.value(), hard.value());
            assertThat(easy.genuineSamples()).isEqualTo(120);
            assertThat(easy.impostorSamples()).isEqualTo(120);
            assertThat(easy.value()).as("rule %s: the easy pair's threshold vs the global %s", target, global)
                    .isLessThan(global - 0.1);
            if (target == null) {
                assertThat(hard.value()).as("the hard pair's equal error threshold vs the global %s", global)
                        .isGreaterThan(global + 0.02);
                continue;
            }
            // at a false match rate the global threshold is already set by the hard pair's strangers (the
            // easy pair has none near it), so the hard pair's own sits at or above it, and the easy pair's
            // far below: at the global threshold its people were rejected for strangers of another pair
            assertThat(hard.value()).as("the hard pair's 1%% threshold vs the global %s", global).isGreaterThan(global);
            for (CameraPairThreshold p : List.of(easy, hard)) {
                assertThat(p.falseMatchRate()).as("%d->%d", p.queryCamera(), p.galleryCamera()).isLessThanOrEqualTo(target);
            }
            assertThat(share(s, 1, 3, global)).as("FMR of 1->3 at the global threshold").isGreaterThan(target);
            assertThat(easy.trueAcceptRate()).as("TAR of 1->2 at its own threshold").isEqualTo(1.0);
        }
    }

    @Test
    void aPairUnderTheMinimumsGetsNoThresholdButIsListedWithItsCounts() {
        List<CameraPairThreshold> pairs = cameras().calibrate(null, MIN_GENUINE, MIN_IMPOSTOR);
        assertThat(pairs).extracting(p -> p.queryCamera() + "->" + p.galleryCamera()).containsExactly("1->2", "1->3", "2->1");
        CameraPairThreshold few = pair(pairs, 2, 1);
        assertThat(few.genuineSamples()).isEqualTo(10);
        assertThat(few.impostorSamples()).isEqualTo(20);
        assertThat(few.value()).as("10 genuine and 20 impostor samples, under 50 and 100").isNull();
        assertThat(few.falseMatchRate()).isNull();

        // enough genuine samples but too few impostors: still none
        List<CameraPairThreshold> strict = cameras().calibrate(null, MIN_GENUINE, 121);
        assertThat(strict).allSatisfy(p -> assertThat(p.value()).as("%d->%d", p.queryCamera(), p.galleryCamera()).isNull());
        // and the minimums lowered to what 2->1 has: it gets one
        assertThat(pair(cameras().calibrate(null, 10, 20), 2, 1).value()).isNotNull();
    }

    @Test
    void aSingleCropQueryIsDecidedOnItsPairsThresholdOnlyWhereThereIsOne() {
        ThresholdCalibration.Scores scores = new ThresholdCalibration.Scores(new float[] {0.7f}, new float[] {0.3f}, true, null,
                new ThresholdCalibration.OperatingPoint(0.6, 0, 1));
        ThresholdCalibration.Threshold t = new ThresholdCalibration.Threshold(0.6, "test", 200, scores,
                List.of(new ThresholdCalibration.FusedThreshold(2, 0.65, 0.01, 0.9, 40, 40)),
                List.of(new CameraPairThreshold(1, 3, 0.72, 0.01, 0.8, 60, 120),
                        new CameraPairThreshold(2, 1, null, null, null, 10, 20)));
        assertThat(t.forQuery(1, 1, 3)).isEqualTo(new ThresholdCalibration.Applied(0.72, "camera pair 1->3"));
        assertThat(t.forQuery(1, 2, 1)).as("a pair under the minimums").isEqualTo(new ThresholdCalibration.Applied(0.6, "all cameras"));
        assertThat(t.forQuery(1, 3, 1)).as("a pair not sampled").isEqualTo(new ThresholdCalibration.Applied(0.6, "all cameras"));
        assertThat(t.forQuery(1, null, 3)).as("no query camera").isEqualTo(new ThresholdCalibration.Applied(0.6, "all cameras"));
        assertThat(t.forQuery(2, 1, 3)).as("two crops keep their crop count's threshold")
                .isEqualTo(new ThresholdCalibration.Applied(0.65, "2 crops"));
        assertThat(new ThresholdCalibration.Threshold(0.5, "configured", 0).forQuery(1, 1, 3))
                .isEqualTo(new ThresholdCalibration.Applied(0.5, "configured"));
    }

    private static CameraPairThreshold pair(List<CameraPairThreshold> pairs, int query, int gallery) {
        return pairs.stream().filter(p -> p.queryCamera() == query && p.galleryCamera() == gallery).findFirst()
                .orElseThrow(() -> new AssertionError("no pair " + query + "->" + gallery + " in " + pairs));
    }

    /** The share of the pair's impostor scores at or above {@code t}. */
    private static double share(Samples s, int query, int gallery, double t) {
        float[] im = s.scores(1);
        int n = 0;
        int above = 0;
        for (int i = 0; i < im.length; i++) {
            int[] c = s.cameras.get(i);
            if (c[0] == query && c[2] == gallery) {
                n++;
                above += im[i] >= t ? 1 : 0;
            }
        }
        return (double) above / n;
    }
}
