package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.core.testutil.Oracles;

/**
 * Every case of shared/oracles/losses.json (pytorch-metric-learning 2.8.1, float64): each case's
 * PML class, constructor arguments, distance and miner are translated into one of our losses with
 * named parameters, built by {@link LossFactory} as the training CLI builds them, and must reproduce PML's
 * value and its gradient with respect to the embeddings (and the proxies), via DJL autograd.
 * A case whose configuration has no translation fails.
 */
class PmlLossOracleTest {
    private static final List<JsonNode> CASES = Oracles.cases("losses.json");
    private static int matched;
    private static double worstValueError;
    private static double worstGradError;

    static Stream<JsonNode> cases() {
        return CASES.stream();
    }

    /** Our loss name and parameters for one PML configuration. */
    record Translation(String name, Map<String, String> params) {}

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void reproducesPytorchMetricLearning(JsonNode c) {
        String id = c.get("case_id").asText();
        Translation t = translate(c);
        MetricLoss loss = LossFactory.create(t.name(), t.params());

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray embeddings = manager.create(Oracles.matrix(c.get("embeddings")));
            NDArray labels = manager.create(longs(c.get("labels")));
            Parameter proxies = null;
            if (loss instanceof ProxyNcaLoss proxyLoss) {
                double[][] stored = Oracles.matrix(c.get("proxies"));
                proxyLoss.parameterBlock().setInitializer(
                        (m, shape, type) -> m.create(stored).toType(type, false), Parameter.Type.OTHER);
                proxyLoss.initializeProxies(manager, DataType.FLOAT64);
                proxies = proxyLoss.proxies();
            }
            embeddings.setRequiresGradient(true);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = loss.evaluate(embeddings, labels);
                assertThat(out.getDataType()).isEqualTo(DataType.FLOAT64);
                assertThat(out.getShape().size()).isEqualTo(1);
                value = out.getDouble();
                // A collection between forward and backward exposed a DJL use-after-free (see
                // SafeScalars); provoking one here keeps that class of bug visible.
                System.gc();
                gc.backward(out);
            }
            double expected = c.get("value").asDouble();
            double valueError = Math.abs(value - expected);
            assertThat(valueError).as("%s value %s vs PML %s", id, value, expected)
                    .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)));
            double gradError = maxAbsDiff(embeddings.getGradient(), Oracles.matrix(c.get("grad")));
            assertThat(gradError).as("%s gradient w.r.t. embeddings", id).isLessThanOrEqualTo(1e-8);
            if (proxies != null) {
                double proxyError = maxAbsDiff(proxies.getArray().getGradient(), Oracles.matrix(c.get("grad_proxies")));
                assertThat(proxyError).as("%s gradient w.r.t. proxies", id).isLessThanOrEqualTo(1e-8);
                gradError = Math.max(gradError, proxyError);
            }
            synchronized (PmlLossOracleTest.class) {
                worstValueError = Math.max(worstValueError, valueError / Math.max(1, Math.abs(expected)));
                worstGradError = Math.max(worstGradError, gradError);
                matched++;
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("losses.json: %d of %d oracle cases matched pytorch-metric-learning"
                + " (worst value error %.2e relative, worst gradient error %.2e)%n",
                matched, CASES.size(), worstValueError, worstGradError);
        assertThat(CASES).hasSize(61);
        assertThat(matched).isEqualTo(CASES.size());
    }

    /** Translates a case's PML configuration into our loss name and named parameters. */
    static Translation translate(JsonNode c) {
        JsonNode p = c.get("params");
        JsonNode distance = p.get("distance");
        JsonNode miner = p.get("miner");
        Map<String, String> out = new LinkedHashMap<>();
        String loss = c.get("loss").asText();
        switch (loss) {
            case "TripletMarginLoss" -> {
                require(!p.get("swap").asBoolean(), c, "swap=true");
                require(p.get("triplets_per_anchor").asText().equals("all"), c, "triplets_per_anchor");
                out.put("margin", p.get("margin").asText());
                out.put("soft", p.get("smooth_loss").asText());
                int power = lp(distance, c);
                out.put("distance", power == 1 ? "euclidean" : "squared-euclidean");
                out.put("normalize", distance.get("normalize_embeddings").asText());
                if (miner == null || miner.isNull()) {
                    return new Translation(BatchAllTripletLoss.NAME, out);
                }
                require(miner.get("type").asText().equals("BatchHardMiner"), c, "miner " + miner);
                require(miner.get("distance").equals(distance), c, "miner distance differs from the loss's");
                return new Translation(BatchHardTripletLoss.NAME, out);
            }
            case "ContrastiveLoss", "GeneralizedLiftedStructureLoss" -> {
                requireNoMiner(miner, c);
                require(lp(distance, c) == 1, c, "power != 1");
                out.put("pos-margin", p.get("pos_margin").asText());
                out.put("neg-margin", p.get("neg_margin").asText());
                out.put("normalize", distance.get("normalize_embeddings").asText());
                return new Translation(
                        loss.equals("ContrastiveLoss") ? ContrastiveLoss.NAME : GeneralizedLiftedStructureLoss.NAME, out);
            }
            case "MultiSimilarityLoss" -> {
                out.put("alpha", p.get("alpha").asText());
                out.put("beta", p.get("beta").asText());
                out.put("base", p.get("base").asText());
                out.put("normalize", Boolean.toString(similarityNormalizes(distance, c)));
                boolean mining = miner != null && !miner.isNull();
                out.put("mining", Boolean.toString(mining));
                if (mining) {
                    require(miner.get("type").asText().equals("MultiSimilarityMiner"), c, "miner " + miner);
                    require(miner.get("distance").equals(distance), c, "miner distance differs from the loss's");
                    out.put("epsilon", miner.get("epsilon").asText());
                }
                return new Translation(MultiSimilarityLoss.NAME, out);
            }
            case "NPairsLoss" -> {
                requireNoMiner(miner, c);
                require(distance.get("type").asText().equals("DotProductSimilarity"), c, "distance " + distance);
                out.put("normalize", distance.get("normalize_embeddings").asText());
                return new Translation(NPairsLoss.NAME, out);
            }
            case "NCALoss", "ProxyNCALoss" -> {
                requireNoMiner(miner, c);
                require(lp(distance, c) == 2, c, "power != 2");
                out.put("scale", p.get("softmax_scale").asText());
                out.put("normalize", distance.get("normalize_embeddings").asText());
                if (loss.equals("NCALoss")) {
                    return new Translation(NcaLoss.NAME, out);
                }
                out.put("classes", p.get("num_classes").asText());
                out.put("embedding-dim", p.get("embedding_size").asText());
                return new Translation(ProxyNcaLoss.NAME, out);
            }
            default -> throw new AssertionError(c.get("case_id").asText() + ": no translation for PML " + loss);
        }
    }

    private static int lp(JsonNode distance, JsonNode c) {
        require(distance.get("type").asText().equals("LpDistance") && distance.get("p").asInt() == 2, c,
                "distance " + distance);
        return distance.get("power").asInt();
    }

    private static boolean similarityNormalizes(JsonNode distance, JsonNode c) {
        String type = distance.get("type").asText();
        if (type.equals("CosineSimilarity")) {
            return true;
        }
        require(type.equals("DotProductSimilarity"), c, "distance " + distance);
        return distance.get("normalize_embeddings").asBoolean();
    }

    private static void requireNoMiner(JsonNode miner, JsonNode c) {
        require(miner == null || miner.isNull(), c, "miner " + miner);
    }

    private static void require(boolean ok, JsonNode c, String what) {
        if (!ok) {
            throw new AssertionError(c.get("case_id").asText() + ": no translation for " + what);
        }
    }

    private static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }

    private static double maxAbsDiff(NDArray actual, double[][] expected) {
        double[] a = actual.toDoubleArray();
        int cols = expected[0].length;
        assertThat(a).hasSize(expected.length * cols);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < cols; j++) {
                double v = a[i * cols + j];
                assertThat(Double.isFinite(v)).as("finite gradient").isTrue();
                worst = Math.max(worst, Math.abs(v - expected[i][j]));
            }
        }
        return worst;
    }
}
