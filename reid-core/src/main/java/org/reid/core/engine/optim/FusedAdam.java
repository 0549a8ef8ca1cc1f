package org.reid.core.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Adam / AdamW over many DJL parameters at the cost of a few native calls per step, whatever the
 * number of parameters. DJL's own {@code Adam} (as {@code Trainer.step()} drives it) makes one
 * native update plus bookkeeping per parameter tensor, which on a GPU costs 25-30 ms of host time
 * per step for a ResNet-50; this optimiser binds all parameters to views of one flat buffer
 * ({@link FlatParameters}) and updates each group of parameters (same learning-rate multiplier and
 * weight-decay flag: typically two or three groups) with one fused native Adam update per group
 * on a GPU, or per chunk of {@link #DEFAULT_CPU_CHUNK} elements on CPU (where one pass over the
 * whole buffer per operation is slower; see there).
 *
 * <p>Semantics are exactly {@code torch.optim.Adam} / {@code torch.optim.AdamW} (amsgrad off,
 * maximize off): at step {@code t} with group learning rate {@code lr_g = lr * multiplier},
 * <pre>
 *   g = grad (+ wd * w in {@link WeightDecayMode#L2} mode, for decayed parameters)
 *   w = w * (1 - lr_g * wd)            ({@link WeightDecayMode#DECOUPLED} mode, decayed parameters)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - (lr_g / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * (eps outside the square root, bias-corrected). The fused kernel is DJL's
 * {@code NDArrayEx.adamUpdate} (PyTorch engine: one JNI call, in-place, no autograd), whose own
 * formula scales eps differently; passing it {@code eps * sqrt(1 - beta2^t)} and a learning rate
 * of {@code lr_g * sqrt(1 - beta2^t) / (1 - beta1^t)} gives the torch update above.
 *
 * <p>Use: initialise the block, load any weights, then build this optimiser (it rebinds the
 * parameters' arrays). Per batch: forward and {@code backward} inside a {@code GradientCollector},
 * then {@link #step(float)}, which also zeroes the gradients. DJL's PyTorch
 * {@code GradientCollector} does not zero gradients on open or close (verified in 0.35.0: only its
 * explicit {@code zeroGradients()} does, by walking every array of the system manager), and
 * {@code Trainer.step()} zeroes them inside its optimiser update; this optimiser does the same in
 * one native call. When a batch is skipped (e.g. a loss of exactly 0), call
 * {@link #zeroGradients()} yourself.
 *
 * <p>What breaks the binding (the parameters' arrays must stay the views this optimiser made):
 * {@code Block.loadParameters} / {@code Parameter.load} after building it (detected: the next step
 * throws), {@code NDArray.set(buffer)} on a parameter's array (torch {@code set_} swaps the view's
 * storage; not detected; write with in-place operations instead), a copying
 * {@code ParameterStore} ({@code new ParameterStore(manager, true)} or parameters on another device
 * than the forward pass: gradients then land on copies; use {@code new ParameterStore(manager,
 * false)} as DJL's Trainer does), and DJL's own optimiser or {@code Trainer.step()} over the same
 * block (it reads per-parameter gradients, which views do not keep).
 *
 * <p>Every bound parameter takes a step, also one that received no gradient in a batch (its
 * gradient reads 0 and momentum still moves it); torch skips parameters whose {@code grad} is
 * {@code None}. In this project every trainable parameter is used in each forward pass.
 */
public final class FusedAdam extends FlatBufferOptimizer {
    private static final int STATE_MAGIC = 0x46414431; // "FAD1"
    /**
     * On CPU the fused kernel makes about ten passes over its arrays and allocates several
     * temporaries; over one 100 MB buffer every pass goes to DRAM and every temporary is a fresh
     * mmap (page faults), which made a ResNet-50 step 4x slower than per-parameter updates.
     * Chunks of this many elements (1 MB of float32) keep the passes in cache and the temporaries
     * in malloc's free lists, at one native call per chunk (about 100 for ResNet-50, each ~0.6 ms
     * of work). Measured in docs/benchmarks.md ("Optimizer step").
     */
    public static final long DEFAULT_CPU_CHUNK = 1L << 18;

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final WeightDecayMode weightDecayMode;
    private final long chunkSize;
    private NDArray mean;
    private NDArray variance;
    private List<GroupState> groupStates;

    /**
     * Views of the flat weight, first and second moment over {@code [start, end)}, a chunk of one
     * parameter group.
     */
    private record GroupState(
            FlatParameters.Group group, long start, long end, NDArray weight, NDArray mean, NDArray variance) {}

    private FusedAdam(Builder b) {
        super(b.parameters, b.weightDecay, checkedMultipliers(b.learningRateMultipliers), b.noWeightDecay);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
        this.weightDecayMode = b.weightDecayMode;
        NDArray data = flat.data();
        this.chunkSize = b.chunkSize > 0 ? b.chunkSize
                : data.getDevice().isGpu() ? Long.MAX_VALUE : DEFAULT_CPU_CHUNK;
        this.mean = data.zerosLike();
        this.variance = data.zerosLike();
        this.groupStates = sliceGroups();
    }

    /** {@code multipliers}, once every value is checked to be finite and >= 0 (before binding). */
    private static Map<String, Float> checkedMultipliers(Map<String, Float> multipliers) {
        for (Map.Entry<String, Float> e : multipliers.entrySet()) {
            if (e.getValue() == null || !(e.getValue() >= 0f) || Float.isInfinite(e.getValue())) {
                throw new IllegalArgumentException("learning-rate multiplier of " + e.getKey()
                        + " must be finite and >= 0, got " + e.getValue());
            }
        }
        return multipliers;
    }

    /** Starts a builder over {@code parameters} (see {@link #trainableParameters(Block)}). */
    public static Builder builder(List<Parameter> parameters) {
        return new Builder(parameters);
    }

    /**
     * The parameters of {@code block} that an optimiser should update: those that require gradient
     * (BatchNorm running statistics and frozen parameters, such as the BNNeck shift, do not), in
     * the block's order.
     */
    public static List<Parameter> trainableParameters(Block block) {
        List<Parameter> list = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                list.add(p.getValue());
            }
        }
        return list;
    }

    /** A no-weight-decay rule: everything but {@code WEIGHT}-type parameters (biases, BN, GeM p, loss parameters). */
    public static Predicate<Parameter> allButWeights() {
        return p -> p.getType() != Parameter.Type.WEIGHT;
    }

    /** Cuts each group into chunks of at most {@code chunkSize} elements, with views of w, m and v. */
    private List<GroupState> sliceGroups() {
        List<GroupState> states = new ArrayList<>();
        boolean whole = flat.groups().size() == 1 && flat.totalSize() <= chunkSize;
        for (FlatParameters.Group g : flat.groups()) {
            for (long start = g.start(), end; start < g.end(); start = end) {
                end = start + Math.min(chunkSize, g.end() - start); // no overflow for a chunk of Long.MAX_VALUE
                if (whole) {
                    states.add(new GroupState(g, start, end, flat.data(), mean, variance));
                } else {
                    states.add(new GroupState(g, start, end, slice(flat.data(), start, end), slice(mean, start, end),
                            slice(variance, start, end)));
                }
            }
        }
        return states;
    }

    private static NDArray slice(NDArray array, long start, long end) {
        return array.get(new NDIndex().addSliceDim(start, end));
    }

    /**
     * Applies one Adam step with base learning rate {@code learningRate} to every parameter from its
     * accumulated gradient, then zeroes the gradients: what {@code Trainer.step()} does.
     *
     * @throws IllegalStateException when no backward pass has produced gradients for the parameters
     *     or a parameter was re-assigned after binding
     */
    @Override
    public void step(float learningRate) {
        update(learningRate);
        flat.zeroGradients();
    }

    /**
     * The update of {@link #step(float)} without zeroing the gradients afterwards: torch's
     * {@code optimizer.step()}. The next backward pass adds to the gradients unless
     * {@link #zeroGradients()} runs first.
     */
    public void update(float learningRate) {
        NDArray grad = gradientForStep(learningRate);
        try {
            int t = steps + 1;
            double bc1 = 1.0 - Math.pow(beta1, t);
            double sqrtBc2 = Math.sqrt(1.0 - Math.pow(beta2, t));
            // DJL's kernel computes w -= lrBc * m / (sqrt(v) + epsK); choose lrBc and epsK so that this is
            // torch's w -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps).
            float epsK = (float) (epsilon * sqrtBc2);
            boolean decoupled = weightDecayMode == WeightDecayMode.DECOUPLED;
            for (GroupState s : groupStates) {
                FlatParameters.Group g = s.group();
                double lr = (double) learningRate * g.learningRateMultiplier();
                float lrBc = (float) (lr * sqrtBc2 / bc1);
                float wd = g.weightDecay() ? weightDecay : 0f;
                NDArray gradSlice = s.mean() == mean ? grad : slice(grad, s.start(), s.end());
                try {
                    s.weight().getNDArrayInternal().adamUpdate(
                            new NDList(s.weight(), gradSlice, s.mean(), s.variance()),
                            new NDList(s.weight()),
                            (float) lr, lrBc, wd, 1f, -1f, beta1, beta2, epsK, false, decoupled);
                } finally {
                    if (gradSlice != grad) {
                        gradSlice.close();
                    }
                }
            }
            steps = t;
        } finally {
            grad.close();
        }
    }

    /**
     * Writes the step count, the parameter layout (names, groups and shapes in buffer order, to
     * refuse a mismatching checkpoint; DJL parameter ids are random per process, so they cannot
     * serve) and both moments. The weights themselves are saved with the model.
     */
    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(STATE_MAGIC);
        out.writeInt(steps);
        out.writeUTF(flat.dataType().name());
        out.writeLong(flat.totalSize());
        out.writeInt(flat.slots().size());
        for (FlatParameters.Slot s : flat.slots()) {
            out.writeUTF(s.name());
            out.writeInt(s.group());
            long[] dims = s.shape().getShape();
            out.writeInt(dims.length);
            for (long d : dims) {
                out.writeLong(d);
            }
        }
        writeArray(out, mean);
        writeArray(out, variance);
    }

    /**
     * Restores what {@link #save} wrote, into an optimiser built over the same parameters (same
     * order, names, shapes and grouping), e.g. a fresh process resuming a run.
     *
     * @throws IllegalArgumentException when the stream belongs to a different parameter set
     */
    @Override
    public void load(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != STATE_MAGIC) {
            throw new IllegalArgumentException("not a FusedAdam state: magic " + Integer.toHexString(magic));
        }
        int savedSteps = in.readInt();
        if (savedSteps < 0) {
            throw new IllegalArgumentException("step count must be >= 0, got " + savedSteps);
        }
        String type = in.readUTF();
        if (!type.equals(flat.dataType().name())) {
            throw new IllegalArgumentException("state data type " + type + " but parameters are " + flat.dataType());
        }
        long total = in.readLong();
        int count = in.readInt();
        if (total != flat.totalSize() || count != flat.slots().size()) {
            throw new IllegalArgumentException("state holds " + count + " parameters / " + total + " elements but this"
                    + " optimiser has " + flat.slots().size() + " / " + flat.totalSize());
        }
        for (FlatParameters.Slot s : flat.slots()) {
            String name = in.readUTF();
            int group = in.readInt();
            int rank = in.readInt();
            long[] dims = new long[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readLong();
            }
            if (!name.equals(s.name()) || group != s.group() || !Arrays.equals(dims, s.shape().getShape())) {
                throw new IllegalArgumentException("state parameter " + name + " " + Arrays.toString(dims) + " in group "
                        + group + " does not match " + s.name() + " " + s.shape() + " in group " + s.group()
                        + " at offset " + s.offset());
            }
        }
        NDArray newMean = readArray(in, flat.data().getManager(), flat.totalSize());
        NDArray newVariance = readArray(in, flat.data().getManager(), flat.totalSize());
        closeState();
        mean = newMean;
        variance = newVariance;
        groupStates = sliceGroups();
        steps = savedSteps;
    }

    private void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private NDArray readArray(DataInputStream in, NDManager manager, long size) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IllegalArgumentException("array length must be >= 0, got " + length);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IllegalArgumentException("state truncated: expected " + length + " bytes, got " + bytes.length);
        }
        NDArray a = NDArray.decode(manager, bytes).toDevice(flat.data().getDevice(), false);
        if (a.size() != size || a.getDataType() != flat.dataType()) {
            throw new IllegalArgumentException("state array has " + a.size() + " " + a.getDataType() + " elements,"
                    + " expected " + size + " " + flat.dataType());
        }
        return a;
    }

    /** Number of parameter tensors, elements and groups, e.g. for the run log. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("FusedAdam(").append(weightDecayMode == WeightDecayMode.L2 ? "Adam, L2" : "AdamW, decoupled")
                .append(" weight decay ").append(weightDecay)
                .append(", betas ").append(beta1).append('/').append(beta2)
                .append(", eps ").append(epsilon)
                .append("): ").append(flat.slots().size()).append(" parameters, ")
                .append(flat.totalSize()).append(" elements (").append(flat.dataType()).append(") in ")
                .append(flat.groups().size()).append(flat.groups().size() == 1 ? " group" : " groups");
        for (FlatParameters.Group g : flat.groups()) {
            sb.append("; [lr x").append(g.learningRateMultiplier())
                    .append(g.weightDecay() ? ", decay" : ", no decay").append(": ").append(g.size()).append(']');
        }
        return sb.toString();
    }

    private void closeState() {
        for (GroupState s : groupStates) {
            if (s.mean() != mean) { // views of their own
                s.weight().close();
                s.mean().close();
                s.variance().close();
            }
        }
        mean.close();
        variance.close();
    }

    /** Frees the moments. The parameter buffer stays: the model's parameters live in it. */
    @Override
    public void close() {
        closeState();
    }

    /** Settings for {@link FusedAdam}; defaults are torch's: betas 0.9/0.999, eps 1e-8, no decay. */
    public static final class Builder {
        private final List<Parameter> parameters;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private float weightDecay;
        private WeightDecayMode weightDecayMode = WeightDecayMode.L2;
        private Map<String, Float> learningRateMultipliers = Map.of();
        private Predicate<Parameter> noWeightDecay = p -> false;
        private long chunkSize; // 0 = by device

        private Builder(List<Parameter> parameters) {
            this.parameters = parameters == null ? null : List.copyOf(parameters);
        }

        public Builder optBetas(float beta1, float beta2) {
            if (!(beta1 >= 0f && beta1 < 1f)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
            }
            if (!(beta2 >= 0f && beta2 < 1f)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder optEpsilon(float epsilon) {
            if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
                throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /** Weight decay {@code wd >= 0} applied as {@code mode} says. */
        public Builder optWeightDecay(float weightDecay, WeightDecayMode mode) {
            if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
            }
            if (mode == null) {
                throw new IllegalArgumentException("weight decay mode must not be null");
            }
            this.weightDecay = weightDecay;
            this.weightDecayMode = mode;
            return this;
        }

        /**
         * Learning-rate multiplier by parameter id (e.g. {@code LossParameterBlock.learningRateMultipliers()});
         * parameters not named get 1. Ids not among the parameters are ignored, so a map of a
         * loss that is not attached does no harm.
         */
        public Builder optLearningRateMultipliers(Map<String, Float> multipliers) {
            if (multipliers == null) {
                throw new IllegalArgumentException("learning-rate multipliers must not be null (use an empty map)");
            }
            this.learningRateMultipliers = Map.copyOf(multipliers);
            return this;
        }

        /** Parameters for which weight decay is skipped (see {@link #allButWeights()}). */
        public Builder optNoWeightDecay(Predicate<Parameter> rule) {
            if (rule == null) {
                throw new IllegalArgumentException("no-weight-decay rule must not be null");
            }
            this.noWeightDecay = rule;
            return this;
        }

        /**
         * Elements per fused update call. Default: the whole group on a GPU, {@value #DEFAULT_CPU_CHUNK}
         * on CPU (see the benchmark in docs/benchmarks.md).
         */
        public Builder optChunkSize(long elements) {
            if (elements < 1) {
                throw new IllegalArgumentException("chunk size must be >= 1 element, got " + elements);
            }
            this.chunkSize = elements;
            return this;
        }

        /** Binds the parameters to one flat buffer (see {@link FlatParameters#bind}) and allocates the moments. */
        public FusedAdam build() {
            return new FusedAdam(this);
        }
    }
}
