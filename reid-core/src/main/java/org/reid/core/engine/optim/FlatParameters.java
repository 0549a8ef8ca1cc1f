package org.reid.core.engine.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Many DJL parameters stored in one flat buffer: each {@link Parameter}'s array is replaced by a
 * view (slice + reshape) of a single 1-D leaf tensor that requires gradient. The forward pass reads
 * the views, so autograd accumulates every parameter's gradient into the one flat gradient, and an
 * optimiser can update all parameters with a handful of native calls instead of several per
 * parameter.
 *
 * <p>Parameters are laid out group by group (a group: parameters that share a learning-rate
 * multiplier and weight-decay flag), so each group is one contiguous range and per-group settings
 * need no per-element masks. Groups appear in the order of their first parameter; inside a group
 * parameters keep their given order.
 *
 * <p>PyTorch engine only: it relies on torch slicing and reshape returning views, and on autograd
 * routing a view's gradient to its base. After binding, loading parameters into the block
 * ({@code Block.loadParameters}, {@code Parameter.load}) replaces the arrays and silently detaches
 * them from the buffer: load weights first, then bind. {@link #checkBound()} detects that.
 */
public final class FlatParameters implements AutoCloseable {

    /** One parameter's place in the buffer. */
    public record Slot(String id, String name, Shape shape, long offset, long size, int group) {}

    /** A contiguous range {@code [start, end)} of parameters sharing optimiser settings. */
    public record Group(float learningRateMultiplier, boolean weightDecay, long start, long end) {
        public long size() {
            return end - start;
        }
    }

    /** Grouping key a caller supplies per parameter. */
    public record GroupKey(float learningRateMultiplier, boolean weightDecay) {}

    private final List<Parameter> parameters;
    private final List<NDArray> views;
    private final List<Slot> slots;
    private final List<Group> groups;
    private final NDArray flat; // leaf, requires gradient, owns the storage
    private final NDArray data; // detached alias of flat, for in-place updates outside autograd
    private final long totalSize;

    private FlatParameters(
            List<Parameter> parameters, List<NDArray> views, List<Slot> slots, List<Group> groups, NDArray flat) {
        this.parameters = parameters;
        this.views = views;
        this.slots = slots;
        this.groups = groups;
        this.flat = flat;
        this.data = flat.stopGradient();
        this.totalSize = flat.size();
    }

    /**
     * Copies the parameters' current values into one buffer and rebinds each parameter's array to a
     * view of it. The original arrays are closed.
     *
     * @param parameters initialised parameters that require gradient, one float type, one device,
     *     each at most once
     * @param groupOf the optimiser group of each parameter
     */
    public static FlatParameters bind(List<Parameter> parameters, Function<Parameter, GroupKey> groupOf) {
        validate(parameters);
        // Group, keeping first-appearance order of groups and the given order inside a group.
        Map<GroupKey, List<Parameter>> byGroup = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            GroupKey key = groupOf.apply(p);
            if (key == null) {
                throw new IllegalArgumentException("no group for parameter " + p.getId());
            }
            byGroup.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        List<Parameter> ordered = new ArrayList<>();
        List<Slot> slots = new ArrayList<>();
        List<Group> groups = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<GroupKey, List<Parameter>> e : byGroup.entrySet()) {
            long start = offset;
            for (Parameter p : e.getValue()) {
                Shape shape = p.getArray().getShape();
                slots.add(new Slot(p.getId(), p.getName(), shape, offset, shape.size(), groups.size()));
                ordered.add(p);
                offset += shape.size();
            }
            groups.add(new Group(e.getKey().learningRateMultiplier(), e.getKey().weightDecay(), start, offset));
        }

        NDArray flat;
        NDList flattened = new NDList();
        for (Parameter p : ordered) {
            try (NDArray detached = p.getArray().stopGradient()) { // a new handle: close it, or it stays
                flattened.add(detached.flatten());
            }
        }
        try (NDArray joined = flattened.size() == 1 ? flattened.get(0).duplicate() : NDArrays.concat(flattened)) {
            flat = joined.stopGradient(); // a fresh leaf sharing joined's storage
        }
        flattened.close();
        flat.setRequiresGradient(true);

        // Views must be created with autograd on, or they would not carry the path to the base.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        List<NDArray> views = new ArrayList<>(ordered.size());
        try {
            for (Slot slot : slots) {
                try (NDArray slice = flat.get(new NDIndex().addSliceDim(slot.offset(), slot.offset() + slot.size()))) {
                    views.add(slice.reshape(slot.shape()));
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        for (int i = 0; i < ordered.size(); i++) {
            Parameter p = ordered.get(i);
            p.close(); // frees the original array; the shape stays
            p.setShape(null); // allowed now that the array is gone; setArray needs it unset
            p.setArray(views.get(i));
        }
        return new FlatParameters(List.copyOf(ordered), List.copyOf(views), List.copyOf(slots), List.copyOf(groups), flat);
    }

    private static void validate(List<Parameter> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("parameters must not be empty");
        }
        Set<String> ids = new HashSet<>();
        DataType type = null;
        Device device = null;
        for (Parameter p : parameters) {
            if (p == null) {
                throw new IllegalArgumentException("parameters must not contain null");
            }
            if (!ids.add(p.getId())) {
                throw new IllegalArgumentException("parameter " + p.getId() + " (" + p.getName() + ") is given twice");
            }
            if (!p.isInitialized()) {
                throw new IllegalArgumentException("parameter " + p.getName() + " is not initialised");
            }
            if (!p.requiresGradient()) {
                throw new IllegalArgumentException("parameter " + p.getName() + " does not require gradient (frozen or a"
                        + " running statistic); leave it out");
            }
            NDArray a = p.getArray();
            if (!(a instanceof PtNDArray)) {
                throw new IllegalArgumentException("parameter " + p.getName() + " is not a PyTorch-engine array: "
                        + a.getClass().getName());
            }
            DataType t = a.getDataType();
            if (t != DataType.FLOAT32 && t != DataType.FLOAT64) {
                throw new IllegalArgumentException("parameter " + p.getName() + " has data type " + t
                        + "; only float32 and float64 are supported");
            }
            if (type == null) {
                type = t;
                device = a.getDevice();
            } else if (t != type) {
                throw new IllegalArgumentException("parameter " + p.getName() + " has data type " + t
                        + " but the first parameter has " + type);
            } else if (!a.getDevice().equals(device)) {
                throw new IllegalArgumentException("parameter " + p.getName() + " is on " + a.getDevice()
                        + " but the first parameter is on " + device);
            }
        }
    }

    /**
     * Frees the buffer and its views. The parameters then hold closed arrays: call it when the
     * parameters were re-assigned (a checkpoint loaded) or the model is done with.
     */
    public void close() {
        views.forEach(NDArray::close);
        data.close();
        flat.close();
    }

    /**
     * Throws {@link IllegalStateException} if some parameter's array is no longer the view this
     * buffer made (e.g. the block's parameters were loaded after binding). Java reference
     * comparisons only, no native call.
     */
    public void checkBound() {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (!p.isInitialized() || p.getArray() != views.get(i)) {
                throw new IllegalStateException("parameter " + p.getName() + " (" + p.getId() + ") was re-assigned after"
                        + " the optimiser bound it to its flat buffer (parameters loaded afterwards?); create the"
                        + " optimiser after loading weights");
            }
        }
    }

    /** The flat leaf (requires gradient); its gradient is every parameter's gradient. */
    public NDArray flat() {
        return flat;
    }

    /** A detached alias of {@link #flat()} sharing its storage: write through it outside autograd. */
    public NDArray data() {
        return data;
    }

    /**
     * The flat gradient, or {@code null} if no backward pass has reached the buffer yet. The
     * returned array is a new handle on the gradient's storage: close it after use.
     */
    public NDArray gradientOrNull() {
        return JniUtils.getGradient((PtNDArray) flat);
    }

    /** Zeroes the flat gradient in place (one native call); no-op before the first backward. */
    public void zeroGradients() {
        JniUtils.zeroGrad((PtNDArray) flat);
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public List<Slot> slots() {
        return slots;
    }

    public List<Group> groups() {
        return groups;
    }

    public long totalSize() {
        return totalSize;
    }

    public DataType dataType() {
        return flat.getDataType();
    }

    /** Slot by parameter id, for tests and diagnostics. */
    public Map<String, Slot> slotsById() {
        Map<String, Slot> m = new LinkedHashMap<>();
        for (Slot s : slots) {
            m.put(s.id(), s);
        }
        return Collections.unmodifiableMap(m);
    }
}
