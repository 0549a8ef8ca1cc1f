package org.reid.core.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
/**
 * SGD with momentum and L2 weight decay over one flat buffer ({@link FlatParameters}), with torch's
 * {@code torch.optim.SGD} semantics: {@code g = grad + wd * w} (decayed groups), {@code v = mu * v + g}
 * ({@code v = g} on the first step, since v starts at 0), {@code w -= lr_group * v}. A handful of native calls per
 * parameter group per step, whatever the number of parameter tensors.
 */
public final class FusedSgd extends FlatBufferOptimizer {
    private static final int MAGIC = 0x53474431; // "SGD1"

    private final float momentum;
    private final float weightDecay;
    private final NDArray velocity;

    /**
     * @param parameters trainable parameters (see {@link FusedAdam#trainableParameters})
     * @param momentum momentum in [0, 1)
     * @param weightDecay L2 weight decay >= 0, applied to parameters {@code noWeightDecay} rejects
     * @param learningRateMultipliers per parameter id (e.g. MVP's alpha at 100x)
     * @param noWeightDecay parameters left undecayed (biases, BatchNorm, loss parameters)
     */
    public FusedSgd(List<Parameter> parameters, float momentum, float weightDecay,
            Map<String, Float> learningRateMultipliers, Predicate<Parameter> noWeightDecay) {
        super(parameters, checkedWeightDecay(momentum, weightDecay), learningRateMultipliers, noWeightDecay);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = flat.data().zerosLike();
    }

    /** {@code weightDecay}, once it and {@code momentum} are checked (before binding the parameters). */
    private static float checkedWeightDecay(float momentum, float weightDecay) {
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
        return weightDecay;
    }

    @Override
    public void step(float learningRate) {
        try (NDArray grad = gradientForStep(learningRate)) {
            // Every temporary of the update lives in this sub-manager: the views are attached to it,
            // and results attach to the manager of the array an op is called on.
            try (NDManager tmp = velocity.getManager().newSubManager()) {
                for (FlatParameters.Group g : flat.groups()) {
                    NDIndex range = new NDIndex().addSliceDim(g.start(), g.end());
                    NDArray w = flat.data().get(range);
                    NDArray v = velocity.get(range);
                    NDArray gs = grad.get(range);
                    w.attach(tmp);
                    v.attach(tmp);
                    gs.attach(tmp);
                    NDArray d = g.weightDecay() ? gs.add(w.mul(tmp.create(weightDecay))) : gs;
                    // In place on the velocity buffer; on the first step v is 0, so v = g as torch does.
                    v.muli(tmp.create(momentum)).addi(d);
                    w.subi(v.mul(tmp.create(learningRate * g.learningRateMultiplier())));
                }
            }
            steps++;
        }
        flat.zeroGradients();
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(steps);
        float[] v = velocity.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        out.writeInt(v.length);
        for (float x : v) {
            out.writeFloat(x);
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IllegalArgumentException("not an SGD optimiser state (was the run trained with another --optimizer?)");
        }
        int savedSteps = in.readInt();
        int n = in.readInt();
        if (n != flat.totalSize()) {
            throw new IllegalArgumentException("SGD state holds " + n + " values, the parameters " + flat.totalSize());
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        try (NDArray loaded = velocity.getManager().create(v).toType(velocity.getDataType(), false)) {
            velocity.set(new NDIndex(":"), loaded);
        }
        steps = savedSteps;
    }

    @Override
    public void close() {
        velocity.close();
    }
}
