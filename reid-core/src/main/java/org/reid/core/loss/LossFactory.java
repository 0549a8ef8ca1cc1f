package org.reid.core.loss;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Creates every loss of reid-core by name with parameters, the single place the training CLI and
 * library users go through: {@code LossFactory.create("batch-hard", Map.of("margin", "0.3"))}.
 */
public final class LossFactory {
    private static final Map<String, Function<LossParams, MetricLoss>> LOSSES = new TreeMap<>();

    static {
        // name -> constructor taking LossParams; one line per loss.
        LOSSES.put(BatchHardTripletLoss.NAME, BatchHardTripletLoss::new);
        LOSSES.put(BatchAllTripletLoss.NAME, BatchAllTripletLoss::new);
        LOSSES.put(ContrastiveLoss.NAME, ContrastiveLoss::new);
        LOSSES.put(GeneralizedLiftedStructureLoss.NAME, GeneralizedLiftedStructureLoss::new);
        LOSSES.put(BinomialDevianceLoss.NAME, BinomialDevianceLoss::new);
        LOSSES.put(MultiSimilarityLoss.NAME, MultiSimilarityLoss::new);
        LOSSES.put(ProxyNcaLoss.NAME, ProxyNcaLoss::new);
        LOSSES.put(NPairsLoss.NAME, NPairsLoss::new);
        LOSSES.put(NcaLoss.NAME, NcaLoss::new);
        LOSSES.put(MvpMatchingLoss.NAME, MvpMatchingLoss::new);
        LOSSES.put(NcaTripletLoss.NAME, NcaTripletLoss::new);
        LOSSES.put(SecondOrderTripletLoss.NAME, SecondOrderTripletLoss::new);
        LOSSES.put(LabelSmoothingCrossEntropyLoss.NAME, LabelSmoothingCrossEntropyLoss::new);
    }

    private LossFactory() {}

    /** The loss called {@code name} with {@code params}; unknown names or keys are errors. */
    public static MetricLoss create(String name, Map<String, String> params) {
        Function<LossParams, MetricLoss> ctor = LOSSES.get(name);
        if (ctor == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + names());
        }
        LossParams p = new LossParams(name, params);
        MetricLoss loss = ctor.apply(p);
        p.rejectUnknown();
        return loss;
    }

    /** The loss called {@code name} with its default parameters. */
    public static MetricLoss create(String name) {
        return create(name, Map.of());
    }

    /** Every registered loss name, sorted. */
    public static java.util.Set<String> names() {
        return Collections.unmodifiableSet(LOSSES.keySet());
    }
}
