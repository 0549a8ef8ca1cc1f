package org.reid.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reid.core.loss.LossParameterBlock;

class ReidNetTest {
    private static final Shape INPUT = new Shape(4, 3, 32, 16);

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static ReidNetConfig small(Pooling pooling, Neck neck, int projection, int classes) {
        return new ReidNetConfig(Backbone.SMALL, projection, pooling, neck, classes, 32, 16);
    }

    private NDList forward(ReidNet net, NDArray x, boolean training) {
        return net.forward(new ParameterStore(manager, false), new NDList(x), training);
    }

    private NDArray input() {
        return manager.randomNormal(INPUT);
    }

    @Test
    void trainingReturnsPreNeckFeatureAndLogitsAndInferenceReturnsEmbedding() {
        ReidNet net = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 0, 10));
        net.initialize(manager, DataType.FLOAT32, INPUT);
        NDArray x = input();

        NDList train = forward(net, x, true);
        assertThat(train).hasSize(2);
        assertThat(train.get(0).getShape()).isEqualTo(new Shape(4, 256));
        assertThat(train.get(1).getShape()).isEqualTo(new Shape(4, 10));
        assertThat(net.trainingOutputShapes(INPUT)).containsExactly(new Shape(4, 256), new Shape(4, 10));

        NDList infer = forward(net, x, false);
        assertThat(infer).hasSize(1);
        assertThat(infer.get(0).getShape()).isEqualTo(new Shape(4, 256));
        assertThat(net.getOutputShapes(new Shape[] {INPUT})).containsExactly(new Shape(4, 256));
        // The BNNeck output differs from the pooled feature it normalises.
        NDList trainNoClassifierView = net.embeddingNet().forward(new ParameterStore(manager, false), new NDList(x), true);
        assertThat(trainNoClassifierView.get(0).sub(trainNoClassifierView.get(1)).abs().max().getFloat()).isGreaterThan(0f);
    }

    @Test
    void withoutClassifierTrainingReturnsOnlyTheFeature() {
        ReidNet net = new ReidNet(small(Pooling.AVG, Neck.NONE, 0, 0));
        net.initialize(manager, DataType.FLOAT32, INPUT);
        NDArray x = input();
        NDList train = forward(net, x, true);
        assertThat(train).hasSize(1);
        assertThat(train.get(0).getShape()).isEqualTo(new Shape(4, 256));
        assertThat(net.hasClassifier()).isFalse();
        assertThat(net.getParameters().keys()).noneMatch(k -> k.contains("classifier"));
        // With no neck the embedding is the pooled feature itself.
        NDList both = net.embeddingNet().forward(new ParameterStore(manager, false), new NDList(x), true);
        assertThat(both.get(1).toFloatArray()).containsExactly(both.get(0).toFloatArray());
        assertThat(forward(net, x, false).head().getShape()).isEqualTo(new Shape(4, 256));
    }

    @Test
    void projectionSetsTheEmbeddingDimension() {
        ReidNet net = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 64, 5));
        net.initialize(manager, DataType.FLOAT32, INPUT);
        NDList train = forward(net, input(), true);
        assertThat(train.get(0).getShape()).isEqualTo(new Shape(4, 64));
        assertThat(train.get(1).getShape()).isEqualTo(new Shape(4, 5));
        assertThat(net.config().embeddingDim()).isEqualTo(64);
    }

    @Test
    void gemWithPOneEqualsAveragePoolingAndItsExponentLearns() {
        ReidNet avg = new ReidNet(small(Pooling.AVG, Neck.NONE, 0, 0));
        ReidNet gem = new ReidNet(small(Pooling.GEM, Neck.NONE, 0, 0));
        avg.initialize(manager, DataType.FLOAT32, INPUT);
        gem.initialize(manager, DataType.FLOAT32, INPUT);
        copyParameters(avg, gem);
        Parameter p = param(gem, "embedding_pooling_p");
        assertThat(p.getArray().getFloat(0)).isEqualTo(GemPooling.INITIAL_P);
        NDArray x = input();

        float[] a = forward(avg, x, false).head().toFloatArray();
        float[] g3 = forward(gem, x, false).head().toFloatArray();
        // p = 3 weights large activations more: each channel's GeM >= its mean (power-mean inequality).
        for (int i = 0; i < a.length; i++) {
            assertThat(g3[i]).isGreaterThanOrEqualTo(a[i] - 1e-5f);
        }
        assertThat(maxAbsDiff(a, g3)).isGreaterThan(1e-3f);

        p.getArray().set(new float[] {1f});
        float[] g1 = forward(gem, x, false).head().toFloatArray();
        // ReLU output is >= 0, so clamping at eps barely moves the mean: p = 1 is average pooling.
        assertThat(maxAbsDiff(a, g1)).isLessThan(1e-5f);

        p.getArray().set(new float[] {3f});
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = gem.forward(new ParameterStore(manager, false), new NDList(x), true).head().sum();
            gc.backward(loss);
        }
        assertThat(p.getArray().getGradient().getFloat(0)).isNotZero();
    }

    @Test
    void bnNeckShiftIsFrozenAtZero() {
        ReidNet net = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 0, 3));
        net.initialize(manager, DataType.FLOAT32, INPUT);
        Parameter beta = param(net, "embedding_neck_beta");
        assertThat(beta.requiresGradient()).isFalse();
        assertThat(beta.getArray().abs().max().getFloat()).isZero();
        assertThat(param(net, "embedding_neck_gamma").requiresGradient()).isTrue();
    }

    @Test
    void lossParametersAreTrainedWithTheModelButTakeNoPartInForward() {
        ReidNet plain = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 0, 3));
        LossParameterBlock lossBlock = new LossParameterBlock();
        lossBlock.add("alpha", new Shape(1), new ConstantInitializer(0.5f), 100f);
        ReidNet withLoss = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 0, 3)).attachLossParameters(lossBlock);
        plain.initialize(manager, DataType.FLOAT32, INPUT);
        withLoss.initialize(manager, DataType.FLOAT32, INPUT);
        copyParameters(plain, withLoss);

        assertThat(withLoss.getParameters().keys()).anyMatch(k -> k.endsWith("lossParameters_alpha"));
        assertThat(withLoss.getParameters().size()).isEqualTo(plain.getParameters().size() + 1);
        assertThat(param(withLoss, "lossParameters_alpha").getArray().getFloat(0)).isEqualTo(0.5f);

        NDArray x = input();
        NDList a = forward(plain, x, true);
        NDList b = forward(withLoss, x, true);
        assertThat(b).hasSize(a.size());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).toFloatArray()).containsExactly(a.get(i).toFloatArray());
        }
        assertThat(forward(withLoss, x, false).head().toFloatArray())
                .containsExactly(forward(plain, x, false).head().toFloatArray());
    }

    @Test
    void lossParametersCannotBeAttachedAfterInitialisationOrTwice() {
        ReidNet net = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 0, 0));
        net.attachLossParameters(new LossParameterBlock());
        assertThatThrownBy(() -> net.attachLossParameters(new LossParameterBlock()))
                .isInstanceOf(IllegalStateException.class);
        ReidNet initialised = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 0, 0));
        initialised.initialize(manager, DataType.FLOAT32, INPUT);
        assertThatThrownBy(() -> initialised.attachLossParameters(new LossParameterBlock()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before initialising");
    }

    @Test
    void initialWeightsAreReproducibleByEngineSeed() {
        float[][] first = initialWeights(5);
        assertThat(initialWeights(5)).isDeepEqualTo(first);
        assertThat(initialWeights(6)[0]).isNotEqualTo(first[0]);
    }

    private float[][] initialWeights(int seed) {
        Engine.getInstance().setRandomSeed(seed);
        ReidNet net = new ReidNet(small(Pooling.AVG, Neck.BNNECK, 16, 3));
        net.initialize(manager, DataType.FLOAT32, INPUT);
        return net.getParameters().values().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
    }

    @Test
    void badConfigurationIsRejectedWithTheFieldNamed() {
        assertThatThrownBy(() -> new ReidNetConfig(Backbone.SMALL, -1, Pooling.AVG, Neck.NONE, 0, 32, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("projectionDim");
        assertThatThrownBy(() -> new ReidNetConfig(Backbone.SMALL, 0, Pooling.AVG, Neck.NONE, -2, 32, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numClasses");
        assertThatThrownBy(() -> Backbone.fromId("vgg")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vgg").hasMessageContaining("resnet50");
        assertThat(Backbone.fromId("ResNet50")).isEqualTo(Backbone.RESNET50);
    }

    @Test
    void resnet50WithLastStrideOneKeepsAOneSixteenthFeatureMap() {
        Shape in = new Shape(2, 3, 256, 128);
        Shape map = Backbone.RESNET50.create().getOutputShapes(new Shape[] {in})[0];
        // Stride 2 (stem) x 2 (max pool) x 2 x 2 x 1 (last stride) = 16: 16x8 at 256x128, not 8x4.
        assertThat(map).isEqualTo(new Shape(2, 2048, 16, 8));
        assertThat(ResNet50.create(2).getOutputShapes(new Shape[] {in})[0]).isEqualTo(new Shape(2, 2048, 8, 4));
        assertThat(new ReidNet(ReidNetConfig.bot(751)).trainingOutputShapes(in))
                .containsExactly(new Shape(2, 2048), new Shape(2, 751));
    }

    @Test
    void resnet50RunsForwardAndHasTorchvisionsWeightCount() {
        ReidNet net = new ReidNet(ReidNetConfig.bot(7).withInput(64, 32));
        Shape in = new Shape(2, 3, 64, 32);
        net.initialize(manager, DataType.FLOAT32, in);
        NDList train = forward(net, manager.randomNormal(in), true);
        assertThat(train.get(0).getShape()).isEqualTo(new Shape(2, 2048));
        assertThat(train.get(1).getShape()).isEqualTo(new Shape(2, 7));
        // torchvision's resnet50 without its fc layer has 23,508,032 weights (convs + BN scale/shift).
        long backboneWeights = net.getParameters().stream()
                .filter(p -> p.getKey().contains("embedding_01backbone") && p.getValue().requiresGradient())
                .mapToLong(p -> p.getValue().getArray().size())
                .sum();
        assertThat(backboneWeights).isEqualTo(23_508_032L);
    }

    /** DJL prefixes parameter names with the child's position ("01embedding_03neck_beta"). */
    private static Parameter param(ReidNet net, String path) {
        return net.getParameters().stream()
                .filter(e -> e.getKey().replaceAll("\\d+", "").equals(path.replaceAll("\\d+", "")))
                .map(ai.djl.util.Pair::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + path + " in " + net.getParameters().keys()));
    }

    private static void copyParameters(ReidNet from, ReidNet to) {
        for (var entry : from.getParameters()) {
            to.getParameters().get(entry.getKey()).getArray().set(entry.getValue().getArray().toFloatArray());
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
