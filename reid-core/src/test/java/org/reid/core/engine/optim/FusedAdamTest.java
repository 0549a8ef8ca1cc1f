package org.reid.core.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FusedAdam} against hand-computed torch Adam / AdamW sequences, on hand-made parameters. */
class FusedAdamTest {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    // Large eps: placing it inside the square root, or before the bias correction, would show.
    private static final float EPS = 0.1f;
    private static final float WD = 0.05f;
    private static final float[] LR = {0.1f, 0.05f, 0.2f}; // a schedule: each step its own rate

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Three parameters: a decayed weight, a bias (no decay) and an alpha at 100x. */
    private List<Parameter> parameters(DataType type) {
        List<Parameter> list = new ArrayList<>();
        list.add(param("w", Parameter.Type.WEIGHT, new Shape(2, 3), new double[] {1, -2, 0.5, 3, -0.25, 0}, type));
        list.add(param("b", Parameter.Type.BIAS, new Shape(2), new double[] {0.1, -0.3}, type));
        list.add(param("alpha", Parameter.Type.OTHER, new Shape(1), new double[] {1.4}, type));
        return list;
    }

    private Parameter param(String name, Parameter.Type kind, Shape shape, double[] values, DataType type) {
        Initializer init = (m, s, t) -> m.create(values, s).toType(t, false);
        Parameter p = Parameter.builder().setName(name).setType(kind).optShape(shape).optInitializer(init).build();
        p.initialize(manager, type);
        return p;
    }

    /** The gradient of step t for element i of the concatenated parameters (w, b, alpha). */
    private static double gradient(int t, int i) {
        double[][] g = {
            {0.5, -1.5, 0.0, 2.0, 0.25, -0.75, 1.0, -0.5, 3.0},
            {0.4, 1.0, -0.2, -2.0, 0.0, 0.5, -1.0, 0.25, -1.0},
            {-0.3, 0.6, 0.9, 1.0, -0.25, 0.0, 0.5, 0.5, 2.0},
        };
        return g[t][i];
    }

    /** Backward of sum_i c_i * x_i over all parameters sets each gradient to c. */
    private void backward(List<Parameter> params, int t) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            int offset = 0;
            for (Parameter p : params) {
                NDArray x = p.getArray();
                double[] c = new double[(int) x.size()];
                for (int i = 0; i < c.length; i++) {
                    c[i] = gradient(t, offset + i);
                }
                offset += c.length;
                NDArray term = x.mul(manager.create(c, x.getShape()).toType(x.getDataType(), false)).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    /** torch's Adam/AdamW, element by element in double, for the three steps. */
    private static double[][] expected(double[] w0, WeightDecayMode mode) {
        double[] w = w0.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[][] after = new double[3][];
        for (int t = 0; t < 3; t++) {
            int step = t + 1;
            for (int i = 0; i < w.length; i++) {
                boolean isAlpha = i == 8;
                boolean decayed = i < 6; // only the weight
                double lr = (double) LR[t] * (isAlpha ? 100 : 1);
                double g = gradient(t, i);
                if (decayed && mode == WeightDecayMode.L2) {
                    g += (double) WD * w[i];
                }
                if (decayed && mode == WeightDecayMode.DECOUPLED) {
                    w[i] *= 1 - lr * WD;
                }
                m[i] = BETA1 * m[i] + (1 - (double) BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - (double) BETA2) * g * g;
                double bc1 = 1 - Math.pow(BETA1, step);
                double bc2 = 1 - Math.pow(BETA2, step);
                w[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + EPS);
            }
            after[t] = w.clone();
        }
        return after;
    }

    private FusedAdam build(List<Parameter> params, WeightDecayMode mode) {
        return builder(params, mode).build();
    }

    private FusedAdam.Builder builder(List<Parameter> params, WeightDecayMode mode) {
        return FusedAdam.builder(params)
                .optBetas(BETA1, BETA2)
                .optEpsilon(EPS)
                .optWeightDecay(WD, mode)
                .optLearningRateMultipliers(Map.of(params.get(2).getId(), 100f))
                .optNoWeightDecay(FusedAdam.allButWeights());
    }

    private static double[] values(List<Parameter> params) {
        List<Double> all = new ArrayList<>();
        for (Parameter p : params) {
            for (double d : p.getArray().toType(DataType.FLOAT64, false).toDoubleArray()) {
                all.add(d);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private void checkThreeSteps(DataType type, WeightDecayMode mode, double tolerance) {
        checkThreeSteps(type, mode, tolerance, 0);
    }

    private void checkThreeSteps(DataType type, WeightDecayMode mode, double tolerance, long chunkSize) {
        List<Parameter> params = parameters(type);
        double[] w0 = values(params);
        double[][] expected = expected(w0, mode);
        FusedAdam.Builder builder = builder(params, mode);
        if (chunkSize > 0) {
            builder.optChunkSize(chunkSize);
        }
        try (FusedAdam adam = builder.build()) {
            assertThat(adam.buffer().groups()).hasSize(3);
            for (int t = 0; t < 3; t++) {
                backward(params, t);
                adam.step(LR[t]);
                assertThat(adam.steps()).isEqualTo(t + 1);
                double[] actual = values(params);
                for (int i = 0; i < actual.length; i++) {
                    assertThat(actual[i]).as("step %d element %d", t + 1, i).isCloseTo(expected[t][i], within(tolerance));
                }
            }
        }
    }

    // Float64 is not exact to 1e-15: DJL's fused kernel takes its scalars (lr, betas, eps) as float,
    // a relative 6e-8 on updates of up to 10 (alpha at 100x). A misplaced eps or bias correction is
    // off by 1e-2 or more.
    @Test
    void adamWithL2DecayMatchesTorchInFloat64() {
        checkThreeSteps(DataType.FLOAT64, WeightDecayMode.L2, 1e-6);
    }

    @Test
    void adamWithL2DecayMatchesTorchInFloat32() {
        checkThreeSteps(DataType.FLOAT32, WeightDecayMode.L2, 2e-5);
    }

    @Test
    void adamWWithDecoupledDecayMatchesTorchInFloat64() {
        checkThreeSteps(DataType.FLOAT64, WeightDecayMode.DECOUPLED, 1e-6);
    }

    @Test
    void adamWWithDecoupledDecayMatchesTorchInFloat32() {
        checkThreeSteps(DataType.FLOAT32, WeightDecayMode.DECOUPLED, 2e-5);
    }

    @Test
    void anyChunkSizeGivesTheSameSteps() {
        // 1 and 4 cut the 6-element weight group into pieces; Long.MAX_VALUE is one call per group.
        for (long chunk : new long[] {1, 4, Long.MAX_VALUE}) {
            checkThreeSteps(DataType.FLOAT32, WeightDecayMode.L2, 2e-5, chunk);
            checkThreeSteps(DataType.FLOAT64, WeightDecayMode.DECOUPLED, 1e-6, chunk);
        }
    }

    @Test
    void firstStepByHand() {
        // w = 1, g = 0.5, lr = 0.1, eps = 0.1: m^ = 0.5, v^ = 0.25, w = 1 - 0.1 * 0.5 / (0.5 + 0.1).
        Parameter p = param("w", Parameter.Type.WEIGHT, new Shape(1), new double[] {1}, DataType.FLOAT64);
        try (FusedAdam adam = FusedAdam.builder(List.of(p)).optEpsilon(0.1f).build()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.getArray().mul(manager.create(new double[] {0.5})).sum());
            }
            adam.step(0.1f);
            assertThat(p.getArray().getDouble(0)).isCloseTo(1 - 0.05 / 0.6, within(1e-8));
        }
    }

    @Test
    void parametersBecomeViewsOfOneBufferWithTheirValuesKept() {
        List<Parameter> params = parameters(DataType.FLOAT32);
        double[] before = values(params);
        Shape wShape = params.get(0).getArray().getShape();
        try (FusedAdam adam = build(params, WeightDecayMode.L2)) {
            assertThat(values(params)).containsExactly(before, within(0.0));
            assertThat(params.get(0).getArray().getShape()).isEqualTo(wShape);
            assertThat(adam.buffer().totalSize()).isEqualTo(9);
            // Writing the buffer shows through each parameter: they share storage.
            adam.buffer().data().addi(1f);
            double[] after = values(params);
            for (int i = 0; i < after.length; i++) {
                assertThat(after[i]).isCloseTo(before[i] + 1, within(1e-6));
            }
            assertThat(adam.describe()).contains("3 parameters, 9 elements").contains("3 groups");
        }
    }

    @Test
    void stepZeroesTheGradientsAndRefusesToRunWithoutOne() {
        List<Parameter> params = parameters(DataType.FLOAT32);
        try (FusedAdam adam = build(params, WeightDecayMode.L2)) {
            assertThatThrownBy(() -> adam.step(0.1f)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("backward");
            backward(params, 0);
            adam.step(0.1f);
            NDArray grad = adam.buffer().gradientOrNull();
            assertThat(grad.abs().max().getFloat()).isZero();
            // The next backward starts from zero, not from the previous gradient.
            backward(params, 1);
            NDArray g2 = adam.buffer().gradientOrNull();
            assertThat(g2.getFloat(0)).isEqualTo((float) gradient(1, 0));
            // update() leaves them: a second backward adds up.
            adam.update(0.1f);
            backward(params, 1);
            assertThat(adam.buffer().gradientOrNull().getFloat(0)).isEqualTo((float) (2 * gradient(1, 0)));
            adam.zeroGradients();
            assertThat(adam.buffer().gradientOrNull().abs().max().getFloat()).isZero();
        }
    }

    @Test
    void saveAndLoadResumesTheSameTrajectory() throws IOException {
        List<Parameter> straight = parameters(DataType.FLOAT32);
        byte[] state;
        double[] weightsAfterTwo;
        try (FusedAdam a = build(straight, WeightDecayMode.DECOUPLED)) {
            for (int t = 0; t < 2; t++) {
                backward(straight, t);
                a.step(LR[t]);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.save(new DataOutputStream(bytes));
            state = bytes.toByteArray();
            weightsAfterTwo = values(straight);
            backward(straight, 2);
            a.step(LR[2]);
        }
        // A fresh run: weights as checkpointed, optimiser state loaded, then the third step.
        List<Parameter> resumed = parameters(DataType.FLOAT32);
        int k = 0;
        for (Parameter p : resumed) {
            float[] f = new float[(int) p.getArray().size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) weightsAfterTwo[k++];
            }
            p.getArray().set(f);
        }
        try (FusedAdam b = build(resumed, WeightDecayMode.DECOUPLED)) {
            b.load(new DataInputStream(new ByteArrayInputStream(state)));
            assertThat(b.steps()).isEqualTo(2);
            backward(resumed, 2);
            b.step(LR[2]);
        }
        assertThat(values(resumed)).containsExactly(values(straight), within(1e-7));
    }

    @Test
    void loadRefusesAnotherParameterSet() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FusedAdam a = build(parameters(DataType.FLOAT32), WeightDecayMode.L2)) {
            a.save(new DataOutputStream(bytes));
        }
        // Same shapes, another grouping (no alpha multiplier, so the parameters sit elsewhere).
        List<Parameter> same = parameters(DataType.FLOAT32);
        try (FusedAdam b = FusedAdam.builder(same).optWeightDecay(WD, WeightDecayMode.L2).build()) {
            assertThatThrownBy(() -> b.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not match");
        }
        Parameter other = param("w", Parameter.Type.WEIGHT, new Shape(9), new double[9], DataType.FLOAT32);
        try (FusedAdam c = FusedAdam.builder(List.of(other)).build()) {
            assertThatThrownBy(() -> c.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("state holds 3 parameters");
        }
    }

    @Test
    void badInputIsRefusedWithItsName() {
        assertThatThrownBy(() -> FusedAdam.builder(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        Parameter p = param("w", Parameter.Type.WEIGHT, new Shape(2), new double[2], DataType.FLOAT32);
        assertThatThrownBy(() -> FusedAdam.builder(List.of(p, p)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        Parameter d = param("d", Parameter.Type.WEIGHT, new Shape(2), new double[2], DataType.FLOAT64);
        assertThatThrownBy(() -> FusedAdam.builder(List.of(p, d)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d has data type float64");
        Parameter frozen = param("f", Parameter.Type.WEIGHT, new Shape(2), new double[2], DataType.FLOAT32);
        frozen.freeze(true);
        assertThatThrownBy(() -> FusedAdam.builder(List.of(frozen)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f does not require gradient");
        assertThatThrownBy(() -> FusedAdam.builder(List.of(p)).optBetas(1f, 0.999f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta1");
        assertThatThrownBy(() -> FusedAdam.builder(List.of(p)).optChunkSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk size");
        assertThatThrownBy(() -> FusedAdam.builder(List.of(p)).optEpsilon(0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> FusedAdam.builder(List.of(p)).optWeightDecay(-1f, WeightDecayMode.L2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> FusedAdam.builder(List.of(p)).optLearningRateMultipliers(Map.of(p.getId(), -2f)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
        try (FusedAdam adam = FusedAdam.builder(List.of(p)).build()) {
            assertThatThrownBy(() -> adam.step(Float.NaN))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
        }
    }

    @Test
    void aParameterReassignedAfterBindingIsDetected() {
        List<Parameter> params = parameters(DataType.FLOAT32);
        try (FusedAdam adam = build(params, WeightDecayMode.L2)) {
            backward(params, 0);
            Parameter w = params.get(0);
            NDArray copy = w.getArray().duplicate();
            w.close();
            w.setShape(null);
            w.setArray(copy);
            assertThatThrownBy(() -> adam.step(0.1f)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("re-assigned");
        }
    }
}
