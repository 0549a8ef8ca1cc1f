package org.reid.core.loss;

import java.util.Locale;
import java.util.Optional;

/**
 * Watches the first steps of an {@link MvpMatchingLoss} run and says, once, when its margin does
 * not fit the scale of the features: when over those steps nearly every negative pair of the
 * batch (all of them, not only the matched ones) was closer than {@code alpha + epsilon}, the
 * margin lies beyond even the farthest pairs, L- pushes every pair alike and the loss hardly moves.
 * It then returns a one-line warning naming the parameters to change. The authors' margin (200)
 * on the training job's raw pre-BN features (squared distances 1-15) does exactly this: the loss
 * stays near 190 (docs/experiments.md).
 *
 * <p>Why all pairs and not the matched ones: MVP matches every sample to its hardest free
 * negative, so in a short run nearly all matched negatives are inside any useful margin (measured
 * on the randomised world: 94-100% over the first 60 steps for unit margins 0.3 to 1.5, which all
 * train well). Judged on the mean over a window of steps, not on one step.
 */
public final class MvpMarginCheck {
    /** Steps the check looks at; 60 steps are 3-4 epochs of the small synthetic worlds. */
    public static final int DEFAULT_STEPS = 60;
    /** Mean share of the batch's negative pairs inside the margin at or above which it is too large. */
    public static final double DEFAULT_THRESHOLD = 0.95;

    private final int steps;
    private final double threshold;
    private int seen;
    private double insideSum;
    private double matchedNegativeSum;
    private double matchedPositiveSum;
    private boolean done;

    public MvpMarginCheck() {
        this(DEFAULT_STEPS, DEFAULT_THRESHOLD);
    }

    /**
     * @param steps how many first steps to average over, >= 1
     * @param threshold mean share of negative pairs inside the margin that triggers the warning, in (0, 1]
     */
    public MvpMarginCheck(int steps, double threshold) {
        if (steps < 1) {
            throw new IllegalArgumentException("MVP margin check: steps must be >= 1, got " + steps);
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("MVP margin check: threshold must be in (0, 1], got " + threshold);
        }
        this.steps = steps;
        this.threshold = threshold;
    }

    /**
     * Feeds the step {@code loss} just evaluated. Returns the warning at the step that completes the
     * window when the margin was too large over it, and nothing at every other call.
     */
    public Optional<String> observe(MvpMatchingLoss loss) {
        if (done) {
            return Optional.empty();
        }
        Optional<MvpMatching> m = loss.lastMatching();
        if (m.isEmpty()) {
            return Optional.empty();
        }
        insideSum += m.get().negativePairsInsideFraction();
        matchedNegativeSum += m.get().negativeActiveFraction();
        matchedPositiveSum += m.get().positiveActiveFraction();
        if (++seen < steps) {
            return Optional.empty();
        }
        done = true;
        double inside = insideSum / seen;
        if (inside < threshold) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "warning: loss mvp: over the first %d steps %.0f%% of all "
                + "negative pairs were inside the margin alpha + epsilon = %.4g (matched pairs active: %.0f%% "
                + "negative, %.0f%% positive; normalize=%s), so the loss pushes every pair alike and hardly moves: "
                + "the margins are too large for these features; use the defaults (normalize=true, alpha=%s, "
                + "epsilon=%s) or lower --loss-param alpha=... and --loss-param epsilon=... to the scale of the "
                + "squared distances", seen, 100 * inside, loss.alpha() + loss.epsilon(), 100 * matchedNegativeSum / seen,
                100 * matchedPositiveSum / seen, loss.normalizes(), MvpMatchingLoss.DEFAULT_ALPHA,
                MvpMatchingLoss.DEFAULT_EPSILON));
    }
}
