package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.function.Function;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.distance.Distance;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.miner.IndicesTuple;
import org.reid.core.loss.miner.Miner;
import org.reid.core.loss.miner.Triplets;
import org.reid.core.loss.reducer.AvgNonZeroReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * PML's {@code TripletMarginLoss}, composed of four swappable parts: a {@link Distance}, an
 * optional {@link Miner}, the per-triplet penalty {@code relu(d_ap - d_an + margin)} (or its
 * softplus; on a similarity {@code s_an - s_ap + margin}) and a {@link Reducer}.
 *
 * <ul>
 *   <li>No miner: every valid triplet {@code (a, p, n)} of the batch (batch-all). They are kept as
 *       a dense {@code [B, B, B]} tensor with a validity mask, which is fine for re-ID batch sizes
 *       (B = 64: 262k cells) and cheaper than listing them on the host.
 *   <li>A triplet miner (batch-hard, EPHN): the mined triplets only.
 *   <li>A pair miner (multi-similarity): every triplet whose anchor-positive and anchor-negative
 *       pairs were both mined, as PML's {@code convert_to_triplets}.
 * </ul>
 *
 * <p>Parameters of {@code triplet}: {@code margin} (0.3), {@code soft} (false), {@code distance}
 * (euclidean|squared-euclidean, euclidean), {@code normalize} (false), {@code reducer}
 * (avg-non-zero|mean|sum, avg-non-zero), plus those of the miner it is given.
 */
public class TripletMarginLoss extends MetricLoss {
    public static final String NAME = "triplet";
    static final String REDUCER = "reducer";

    private final TripletPenalty penalty;
    private final Distance distance;
    private final Miner miner;
    private final Reducer reducer;

    /** {@code triplet} from named parameters, without a miner (see the class comment). */
    public TripletMarginLoss(LossParams params) {
        this(params, null);
    }

    /**
     * {@code triplet} from named parameters with the miner called {@code minerName} (null: none),
     * built for this loss's distance and reading its own parameters from {@code params}.
     */
    public TripletMarginLoss(LossParams params, String minerName) {
        this(params, TripletPenalty.from(params), ParamRules.euclidean(params, false), minerName);
    }

    private TripletMarginLoss(LossParams params, TripletPenalty penalty, Distance distance, String minerName) {
        this(NAME, penalty, distance, minerName == null ? null : MinerFactory.create(minerName, params, distance),
                ParamRules.reducer(params, new AvgNonZeroReducer()));
    }

    /**
     * @param margin triplet margin, >= 0
     * @param soft softplus instead of hinge
     * @param distance any distance or similarity
     * @param miner mines on {@code distance}'s matrix (built knowing which kind it is), or null for
     *     every valid triplet
     * @param reducer how the triplets' losses become one value (PML's default: avg-non-zero)
     */
    public TripletMarginLoss(double margin, boolean soft, Distance distance, Miner miner, Reducer reducer) {
        this(NAME, new TripletPenalty(NAME, margin, soft), distance, miner, reducer);
    }

    /**
     * A named preset of this loss ({@code batch-hard}, {@code batch-all}) from named parameters:
     * {@code margin}, {@code soft}, a Euclidean {@code distance} (plain or squared, rows normalised
     * when {@code normalize}), the miner {@code miner} makes for that distance (null: none) and
     * the average over the triplets with non-zero loss.
     */
    TripletMarginLoss(String name, LossParams params, Function<LpDistance, Miner> miner) {
        this(name, TripletPenalty.from(params), ParamRules.euclidean(params, false), miner);
    }

    private TripletMarginLoss(String name, TripletPenalty penalty, LpDistance distance,
            Function<LpDistance, Miner> miner) {
        this(name, penalty, distance, miner.apply(distance), new AvgNonZeroReducer());
    }

    /** For the named presets of this loss ({@code batch-hard}, {@code batch-all}). */
    TripletMarginLoss(String name, TripletPenalty penalty, Distance distance, Miner miner, Reducer reducer) {
        super(name);
        this.penalty = penalty;
        this.distance = distance;
        this.miner = miner;
        this.reducer = reducer;
    }

    public Distance distance() {
        return distance;
    }

    /** The miner, or null when the loss takes every valid triplet. */
    public Miner miner() {
        return miner;
    }

    public Reducer reducer() {
        return reducer;
    }

    @Override
    protected final NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray d = distance.pairwise(embeddings);
        IndicesTuple mined = miner == null ? null : miner.mine(d, batch);
        if (mined instanceof Triplets triplets) {
            if (triplets.isEmpty()) {
                // Nothing to gather from; still a value connected to the graph, with zero gradient.
                return SafeScalars.mul(d.sum(), 0);
            }
            return reducer.reduce(violation(triplets.anchorPositive(d), triplets.anchorNegative(d)));
        }
        // valid[a, p, n] = pos[a, p] * neg[a, n]
        NDList masks = PairMasks.of(mined, batch, d);
        NDArray valid = masks.get(0).expandDims(2).mul(masks.get(1).expandDims(1));
        return reducer.reduce(violation(d.expandDims(2), d.expandDims(1)), valid);
    }

    /** The penalty of each triplet; on a similarity, closer means larger, so the roles swap. */
    private NDArray violation(NDArray anchorPositive, NDArray anchorNegative) {
        return distance.isSimilarity()
                ? penalty.apply(anchorNegative, anchorPositive)
                : penalty.apply(anchorPositive, anchorNegative);
    }
}
