package org.reid.core.loss;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.reid.core.loss.distance.Distance;
import org.reid.core.loss.miner.BatchHardMiner;
import org.reid.core.loss.miner.EasyPositiveHardNegativeMiner;
import org.reid.core.loss.miner.Miner;
import org.reid.core.loss.miner.MultiSimilarityMiner;

/**
 * Builds a miner by name for a loss that takes one. A miner reads the loss's pairwise matrix, so
 * it is built for the loss's distance; its own parameters come from the loss's parameters.
 */
final class MinerFactory {
    /** A miner's constructor: the loss's parameters and the distance it will mine on. */
    private interface Constructor {
        Miner create(LossParams params, Distance distance);
    }

    private static final Map<String, Constructor> MINERS = new TreeMap<>();

    static {
        MINERS.put(BatchHardMiner.NAME, (p, d) -> new BatchHardMiner(d.isSimilarity()));
        MINERS.put(MultiSimilarityMiner.NAME, (p, d) -> new MultiSimilarityMiner(
                ParamRules.requireNonNegative(p.loss(), SimilarityPairLoss.EPSILON,
                        p.getDouble(SimilarityPairLoss.EPSILON, 0.1)),
                d.isSimilarity()));
        MINERS.put(EasyPositiveHardNegativeMiner.NAME, (p, d) -> {
            // Its duplicate and keep rules are thresholds on cosine similarity.
            if (!d.isSimilarity()) {
                throw new IllegalArgumentException("loss '" + p.loss() + "': miner '"
                        + EasyPositiveHardNegativeMiner.NAME + "' picks by cosine similarity, but this loss compares"
                        + " embeddings by a distance; use it with a loss on cosine similarity (multi-similarity,"
                        + " binomial)");
            }
            return new EasyPositiveHardNegativeMiner();
        });
    }

    private MinerFactory() {}

    /** The miner called {@code name}, for a loss comparing embeddings with {@code distance}. */
    static Miner create(String name, LossParams params, Distance distance) {
        Constructor ctor = MINERS.get(name);
        if (ctor == null) {
            throw unknown(name);
        }
        return ctor.create(params, distance);
    }

    static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown miner '" + name + "'; known: " + names());
    }

    static Set<String> names() {
        return Collections.unmodifiableSet(MINERS.keySet());
    }
}
