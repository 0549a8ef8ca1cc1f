package org.reid.core.loss;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Creates every loss of reid-core by name with parameters, the single place the training CLI and
 * library users go through: {@code LossFactory.create("batch-hard", Map.of("margin", "0.3"))}.
 * A loss that takes a miner is given one by name, as PML composes a loss with a miner:
 * {@code LossFactory.create("triplet", Map.of(), "batch-hard")}, or the parameter
 * {@code miner=batch-hard}, which is how the training CLI's {@code --miner} reaches it.
 */
public final class LossFactory {
    /** The parameter that names a miner, for callers that only pass parameters. */
    public static final String MINER = "miner";

    private static final Map<String, Function<LossParams, MetricLoss>> LOSSES = new TreeMap<>();
    private static final Map<String, BiFunction<LossParams, String, MetricLoss>> WITH_MINER = new TreeMap<>();

    static {
        // name -> constructor taking LossParams; one line per loss.
        LOSSES.put(BatchHardTripletLoss.NAME, BatchHardTripletLoss::new);
        LOSSES.put(BatchAllTripletLoss.NAME, BatchAllTripletLoss::new);
        LOSSES.put(ContrastiveLoss.NAME, ContrastiveLoss::new);
        LOSSES.put(GeneralizedLiftedStructureLoss.NAME, GeneralizedLiftedStructureLoss::new);
        LOSSES.put(ProxyNcaLoss.NAME, ProxyNcaLoss::new);
        LOSSES.put(NPairsLoss.NAME, NPairsLoss::new);
        LOSSES.put(NcaLoss.NAME, NcaLoss::new);
        LOSSES.put(MvpMatchingLoss.NAME, MvpMatchingLoss::new);
        LOSSES.put(NcaTripletLoss.NAME, NcaTripletLoss::new);
        LOSSES.put(SecondOrderTripletLoss.NAME, SecondOrderTripletLoss::new);
        LOSSES.put(LabelSmoothingCrossEntropyLoss.NAME, LabelSmoothingCrossEntropyLoss::new);
        // Losses that take a miner: constructor taking LossParams and a miner name (null: none).
        withMiner(TripletMarginLoss.NAME, TripletMarginLoss::new);
        withMiner(MultiSimilarityLoss.NAME, MultiSimilarityLoss::new);
        withMiner(BinomialDevianceLoss.NAME, BinomialDevianceLoss::new);
    }

    private static void withMiner(String name, BiFunction<LossParams, String, MetricLoss> ctor) {
        WITH_MINER.put(name, ctor);
        LOSSES.put(name, p -> ctor.apply(p, null));
    }

    private LossFactory() {}

    /**
     * The loss called {@code name} with {@code params}; unknown names or keys are errors. A
     * {@value #MINER} entry of {@code params} names the loss's miner.
     */
    public static MetricLoss create(String name, Map<String, String> params) {
        return create(name, params, null);
    }

    /**
     * The loss called {@code name} with {@code params} and the miner called {@code miner} (null:
     * the loss's own choice, none for {@code triplet}). An unknown miner, or a miner for a loss
     * that takes none, is an error naming the miner and what is known.
     */
    public static MetricLoss create(String name, Map<String, String> params, String miner) {
        Function<LossParams, MetricLoss> ctor = LOSSES.get(name);
        if (ctor == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + names());
        }
        Map<String, String> rest = new LinkedHashMap<>(params);
        String fromParams = rest.remove(MINER);
        if (miner != null && fromParams != null && !miner.equals(fromParams)) {
            throw new IllegalArgumentException("loss '" + name + "': two miners given, '" + miner + "' and parameter "
                    + MINER + "='" + fromParams + "'");
        }
        String chosen = miner != null ? miner : fromParams;
        LossParams p = new LossParams(name, rest);
        MetricLoss loss;
        if (chosen == null) {
            loss = ctor.apply(p);
        } else {
            checkMiner(name, chosen);
            loss = WITH_MINER.get(name).apply(p, chosen);
        }
        p.rejectUnknown();
        return loss;
    }

    /** The loss called {@code name} with its default parameters. */
    public static MetricLoss create(String name) {
        return create(name, Map.of());
    }

    /**
     * Throws unless {@code miner} is a known miner and loss {@code loss} takes one; lets a caller
     * check a command line before anything expensive happens.
     */
    public static void checkMiner(String loss, String miner) {
        if (!MinerFactory.names().contains(miner)) {
            throw MinerFactory.unknown(miner);
        }
        if (!WITH_MINER.containsKey(loss)) {
            throw new IllegalArgumentException("loss '" + loss + "' takes no miner (got miner '" + miner
                    + "'); losses that take one: " + minerLosses()
                    + (loss.equals(BatchHardTripletLoss.NAME) || loss.equals(BatchAllTripletLoss.NAME)
                            ? "; '" + loss + "' is triplet with a fixed choice, use loss 'triplet' with miner '"
                                    + miner + "'"
                            : ""));
        }
    }

    /** Every registered loss name, sorted. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(LOSSES.keySet());
    }

    /** Every registered miner name, sorted. */
    public static Set<String> minerNames() {
        return MinerFactory.names();
    }

    /** The losses that take a miner, sorted. */
    public static Set<String> minerLosses() {
        return Collections.unmodifiableSet(WITH_MINER.keySet());
    }
}
