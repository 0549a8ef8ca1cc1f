package org.reid.service.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thresholds of multi-crop queries: a query's score is the best of its crops' scores, so a stranger
 * with k crops gets k chances; at the same false match rate the threshold must rise with k, and a
 * query is decided on the threshold of its own crop count.
 */
class MultiCropThresholdTest {
    private static final int IDENTITIES = 60;
    private static final int QUERIES_PER_IDENTITY = 4;

    @Test
    void atTheSameFalseMatchRateMoreCropsNeedAHigherThreshold() {
        Random random = new Random(3);
        int n = IDENTITIES * QUERIES_PER_IDENTITY;
        long[] identity = new long[n];
        float[] genuine = new float[n];
        float[] impostor = new float[n];
        for (int q = 0; q < n; q++) {
            identity[q] = q / QUERIES_PER_IDENTITY;
            genuine[q] = 0.6f + 0.3f * random.nextFloat();
            impostor[q] = 0.6f * random.nextFloat(); // independent chances: the best of k rises with k
        }
        List<ThresholdCalibration.FusedThreshold> fused = ThresholdCalibration.fusedThresholds(identity, genuine, impostor, 8, 0.05);

        // 60 identities of 4 queries: 120 windows of 2, 60 of 3 and of 4, none of 5 (fewer than 20: stop)
        assertThat(fused).extracting(ThresholdCalibration.FusedThreshold::crops).containsExactly(2, 3, 4);
        assertThat(fused).extracting(ThresholdCalibration.FusedThreshold::impostorSamples).containsExactly(120, 60, 60);
        float[] single = impostor.clone();
        java.util.Arrays.sort(single);
        double one = ThresholdCalibration.atFalseMatchRate(new float[] {1}, single, 0.05).threshold();
        assertThat(fused.get(0).value()).isGreaterThan(one);
        assertThat(fused.get(2).value()).isGreaterThan(fused.get(0).value());
        for (ThresholdCalibration.FusedThreshold f : fused) {
            assertThat(f.falseMatchRate()).as("k=%d", f.crops()).isLessThanOrEqualTo(0.05 + 1e-9);
        }
    }

    @Test
    void aQueryIsDecidedOnTheThresholdOfItsCropCount() {
        ThresholdCalibration.Threshold t = new ThresholdCalibration.Threshold(0.5, "test", 10, null, List.of(
                new ThresholdCalibration.FusedThreshold(2, 0.55, 0.01, 0.9, 40, 40),
                new ThresholdCalibration.FusedThreshold(3, 0.58, 0.01, 0.9, 25, 25)));
        assertThat(t.forCrops(1)).isEqualTo(0.5);
        assertThat(t.forCrops(2)).isEqualTo(0.55);
        assertThat(t.forCrops(3)).isEqualTo(0.58);
        assertThat(t.forCrops(8)).as("beyond the counts calibrated: the most crops calibrated").isEqualTo(0.58);
        assertThat(new ThresholdCalibration.Threshold(0.4, "configured", 0).forCrops(5)).isEqualTo(0.4);
    }
}
