package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reid.core.testing.NDManagerPerTest;

class MvpMarginCheckTest extends NDManagerPerTest {
    private static final int STEPS = 5;
    /**
     * Batches like the training job's pre-BN features: 4 identities x 4, 16-d, squared distances
     * of about 1-3 within an identity and 8-15 between identities.
     */
    private static double[][] smallFeatures(long seed, long[] ids) {
        Random r = new Random(seed);
        double[][] centres = new double[4][16];
        for (double[] c : centres) {
            for (int k = 0; k < c.length; k++) {
                c[k] = 0.5 * r.nextGaussian();
            }
        }
        double[][] f = new double[ids.length][16];
        for (int i = 0; i < ids.length; i++) {
            for (int k = 0; k < 16; k++) {
                f[i][k] = centres[(int) ids[i]][k] + 0.2 * r.nextGaussian();
            }
        }
        return f;
    }

    /** Runs {@code STEPS} batches through {@code loss} and returns what the check said. */
    private Optional<String> watch(MvpMatchingLoss loss) {
        long[] ids = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
        MvpMarginCheck check = new MvpMarginCheck(STEPS, 0.95);
        Optional<String> said = Optional.empty();
        for (int step = 0; step < STEPS; step++) {
            loss.evaluate(LossTestSupport.matrix(manager, smallFeatures(step, ids)), LossTestSupport.labels(manager, ids));
            Optional<String> now = check.observe(loss);
            assertThat(said.isPresent() && now.isPresent()).as("warns at most once").isFalse();
            said = now.isPresent() ? now : said;
        }
        return said;
    }

    @Test
    void warnsWhenTheAuthorsMarginsMeetSmallFeatures() {
        MvpMatchingLoss authors = new MvpMatchingLoss(20, 180, false, 100f, false);

        Optional<String> warning = watch(authors);

        assertThat(warning).hasValueSatisfying(w -> assertThat(w)
                .startsWith("warning: loss mvp: over the first 5 steps 100% of all negative pairs were inside the margin")
                .contains("alpha + epsilon = 200").contains("normalize=false")
                .contains("--loss-param alpha=").contains("--loss-param epsilon=").doesNotContain("\n"));
    }

    @Test
    void staysQuietWhenOnlyTheHardNegativesAreInsideTheMargin() {
        // Margin 9 amid squared distances of 5-15: the matched (hardest) negatives are mostly
        // inside it, as in any short run, but the far pairs are not, so the scale is fine.
        MvpMatchingLoss loss = new MvpMatchingLoss(1, 8, false, 1f, false);
        assertThat(watch(loss)).isEmpty();
        assertThat(loss.lastMatching().orElseThrow().negativeActiveFraction()).isGreaterThan(0.5);
    }

    @Test
    void staysQuietWithTheDefaultsOnTheSameFeatures() {
        assertThat(watch(new MvpMatchingLoss(MvpMatchingLoss.DEFAULT_ALPHA, MvpMatchingLoss.DEFAULT_EPSILON, false, 1f,
                false, MvpMatchingLoss.DEFAULT_NORMALIZE))).isEmpty();
    }

    @Test
    void saysNothingBeforeTheWindowIsFullOrWithoutABatch() {
        MvpMatchingLoss authors = new MvpMatchingLoss(20, 180, false, 100f, false);
        MvpMarginCheck check = new MvpMarginCheck(2, 0.95);
        assertThat(check.observe(authors)).as("no batch yet").isEmpty();
        long[] ids = {0, 0, 1, 1};
        authors.evaluate(LossTestSupport.matrix(manager, smallFeatures(1, ids)), LossTestSupport.labels(manager, ids));
        assertThat(check.observe(authors)).isEmpty();
        assertThat(check.observe(authors)).isPresent();
        assertThat(check.observe(authors)).as("once").isEmpty();
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new MvpMarginCheck(0, 0.95)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps must be >= 1");
        assertThatThrownBy(() -> new MvpMarginCheck(10, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold must be in (0, 1]");
    }
}
