package org.reid.core.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reid.core.loss.LossParameterBlock;
import org.reid.core.model.Backbone;
import org.reid.core.model.Neck;
import org.reid.core.model.Pooling;
import org.reid.core.model.ReidNet;
import org.reid.core.model.ReidNetConfig;

/**
 * A small ReidNet trained for a few steps with {@link FusedAdam} and, side by side, an identical
 * copy trained with the per-parameter {@link ReferenceAdam}: same gradients, same weights.
 */
class FusedAdamReidNetTest {
    private static final Shape INPUT = new Shape(8, 3, 32, 16);
    private static final float[] LR = {1e-2f, 1e-2f, 5e-3f};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A network with a GeM exponent, a BNNeck, an ID head and an attached alpha (100x rate). */
    private record Setup(ReidNet net, Parameter alpha, Map<String, Float> multipliers) {}

    private Setup newNet() {
        Engine.getInstance().setRandomSeed(5);
        LossParameterBlock lossBlock = new LossParameterBlock();
        Parameter alpha = lossBlock.add("alpha", new Shape(1), new ConstantInitializer(0.25f), 100f);
        ReidNet net = new ReidNet(new ReidNetConfig(Backbone.SMALL, 0, Pooling.GEM, Neck.BNNECK, 4, 32, 16))
                .attachLossParameters(lossBlock);
        net.initialize(manager, DataType.FLOAT32, INPUT);
        return new Setup(net, alpha, lossBlock.learningRateMultipliers());
    }

    /** What the training loop does per batch; returns the loss. */
    private float forwardBackward(Setup s, NDArray images, NDArray labels) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = s.net().forward(new ParameterStore(manager, false), new NDList(images), true);
            NDArray id = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(out.get(1)));
            NDArray metric = out.get(0).square().mean().sub(s.alpha().getArray()).square();
            NDArray loss = id.add(metric);
            gc.backward(loss);
            return loss.getFloat();
        }
    }

    private static void attachGradients(ReidNet net) {
        // As the training loop does; on views of the flat buffer this must be harmless.
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }

    /**
     * Independent runs: each network computes its own gradients. With the per-parameter loop
     * doing the same kernel arithmetic, any mistake in the flat buffer (a gradient not reaching
     * it, a view that stopped sharing storage, a wrong group) shows at once; float rounding alone
     * cannot hide it, since the runs agree to 1e-6.
     */
    @Test
    void trainsAsThePerParameterLoopStepForStep() {
        for (WeightDecayMode mode : WeightDecayMode.values()) {
            train(mode, ReferenceAdam.Arithmetic.DJL_KERNEL, false, 1e-6);
        }
    }

    /**
     * torch's per-parameter Adam written with NDArray operations, fed the same gradients: the
     * weights agree to float rounding. (Fed its own network's gradients, Adam's normalisation
     * amplifies the 1e-7 gradient differences that rounding causes, for elements whose gradient
     * nearly cancels, beyond 1e-5 within a few steps; that says nothing about the optimiser.)
     */
    @Test
    void updatesAsTorchsAdamGivenTheSameGradients() {
        for (WeightDecayMode mode : WeightDecayMode.values()) {
            train(mode, ReferenceAdam.Arithmetic.TORCH_OPS, true, 1e-5);
        }
    }

    private void train(WeightDecayMode mode, ReferenceAdam.Arithmetic arithmetic, boolean shareGradients, double tol) {
        Setup fused = newNet();
        Setup reference = newNet();
        copyParameters(fused.net(), reference.net());
        checkClose(values(reference.net()), values(fused.net()), 0, "initial weights");
        List<Parameter> fusedParams = FusedAdam.trainableParameters(fused.net());
        List<Parameter> refParams = FusedAdam.trainableParameters(reference.net());
        assertThat(fusedParams).hasSameSizeAs(refParams).hasSizeGreaterThan(10);

        FusedAdam adam = FusedAdam.builder(fusedParams)
                .optWeightDecay(5e-4f, mode)
                .optLearningRateMultipliers(fused.multipliers())
                .optNoWeightDecay(FusedAdam.allButWeights())
                .build();
        attachGradients(fused.net());
        ReferenceAdam ref = new ReferenceAdam(arithmetic, refParams, 0.9f, 0.999f, 1e-8f, 5e-4f, mode,
                Map.of(reference.alpha().getId(), 100f), FusedAdam.allButWeights());
        assertThat(adam.buffer().groups()).hasSize(3); // weights; other; alpha at 100x
        assertThat(adam.describe()).contains(fusedParams.size() + " parameters");

        Engine.getInstance().setRandomSeed(9);
        List<Float> losses = new ArrayList<>();
        for (int t = 0; t < LR.length; t++) {
            NDArray images = manager.randomNormal(INPUT);
            NDArray labels = manager.create(new float[] {0, 0, 1, 1, 2, 2, 3, 3});
            float lf = forwardBackward(fused, images, labels);
            float lr = forwardBackward(reference, images, labels);
            assertThat((double) lf).as("loss at step %d (%s)", t, mode).isCloseTo(lr, within(1e-4));
            losses.add(lf);
            checkGradientsMatch(adam, fusedParams, refParams, t, shareGradients);
            adam.step(LR[t]);
            ref.step(LR[t]);
            checkClose(values(fused.net()), values(reference.net()), tol,
                    "weights after step " + t + " (" + mode + ", " + arithmetic + ")");
        }
        // The network saw its updated weights: the loss moved every step.
        for (int t = 1; t < losses.size(); t++) {
            assertThat(losses.get(t)).isNotEqualTo(losses.get(t - 1));
        }
        assertThat(fused.alpha().getArray().getFloat(0)).isNotEqualTo(0.25f);
        adam.close();
    }

    /**
     * The flat gradient, slot by slot, equals each reference parameter's own gradient (bit for bit
     * at the first step, when the weights are still equal), and none is all zero. With
     * {@code share}, the reference's gradients are then overwritten in place by the fused ones.
     */
    private static void checkGradientsMatch(
            FusedAdam adam, List<Parameter> fused, List<Parameter> ref, int step, boolean share) {
        Map<String, FlatParameters.Slot> slots = adam.buffer().slotsById();
        try (NDArray grad = adam.buffer().gradientOrNull()) {
            assertThat(grad).as("flat gradient at step %d", step).isNotNull();
            for (int i = 0; i < fused.size(); i++) {
                FlatParameters.Slot slot = slots.get(fused.get(i).getId());
                NDArray slice = grad.get(new NDIndex().addSliceDim(slot.offset(), slot.offset() + slot.size()));
                float[] g = slice.toFloatArray();
                NDArray refGrad = ref.get(i).getArray().getGradient();
                float[] expected = refGrad.toFloatArray();
                String what = ref.get(i).getName() + " at step " + step;
                checkClose(toDouble(g), toDouble(expected), step == 0 ? 0 : 1e-5, "gradient of " + what);
                if (share) {
                    refGrad.muli(0).addi(slice.reshape(refGrad.getShape()));
                }
                float maxAbs = 0;
                for (float x : g) {
                    maxAbs = Math.max(maxAbs, Math.abs(x));
                }
                assertThat(maxAbs).as("gradient of %s is non-zero", what).isPositive();
            }
        }
    }

    private static void copyParameters(ReidNet from, ReidNet to) {
        for (Pair<String, Parameter> entry : from.getParameters()) {
            to.getParameters().get(entry.getKey()).getArray().set(entry.getValue().getArray().toFloatArray());
        }
    }

    /** All parameter values (trainable or not: BN running statistics too) in block order. */
    private static double[] values(ReidNet net) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            float[] f = p.getValue().getArray().toFloatArray();
            parts.add(f);
            n += f.length;
        }
        double[] all = new double[n];
        int k = 0;
        for (float[] f : parts) {
            for (float x : f) {
                all[k++] = x;
            }
        }
        return all;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** |actual - expected| <= tolerance * max(1, |expected|) everywhere; names the first element that is not. */
    private static void checkClose(double[] actual, double[] expected, double tolerance, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            double tol = tolerance * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                throw new AssertionError(what + ", element " + i + ": " + actual[i] + " vs " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
